// POST /remotes/{ae_title}/echo: a configured remote echoed through the route, against DCMTK's
// storescp and a closed port; unknown and uncallable remotes refused with the reason.
#include <gtest/gtest.h>

#include "burnstation/jobs/api_routes.h"
#include "dicom_peer.h"
#include "station_harness.h"

namespace burnstation {
namespace {

class EchoApiTest : public ::testing::Test {
 protected:
  EchoApiTest() {
    config = station::builtInConfig();
    config.receiver.aeTitle = "OURSTATION";
    context.config = [this] { return config; };
    jobs::addPatientRoutes(router, context);
  }
  void remote(const std::string& ae, const std::string& host, int port) {
    config.receiver.remotes.push_back({ae, host, "", port});
  }
  jobs::ApiResponse echo(const std::string& ae) {
    jobs::ApiRequest request;
    request.method = "POST";
    request.path = "/remotes/" + ae + "/echo";
    return router.dispatch(request);
  }
  static nlohmann::json document(const jobs::ApiResponse& r) {
    return nlohmann::json::parse(r.body);
  }

  station::StationConfig config;
  jobs::ApiContext context;
  jobs::ApiRouter router;
};

TEST_F(EchoApiTest, AnsweringRemoteIsOk) {
  harness::TempDir dir;
  harness::StoreScp peer(dir.path(), "PACS");
  remote("PACS", "127.0.0.1", peer.port());
  const auto r = echo("PACS");
  ASSERT_EQ(r.status, jobs::http::kOk) << r.body;
  const nlohmann::json d = document(r);
  EXPECT_EQ(d["ae_title"], "PACS");
  EXPECT_TRUE(d["ok"].get<bool>()) << d.dump();
  EXPECT_EQ(d["status"], 0);
  EXPECT_FALSE(d["detail"].get<std::string>().empty());
  EXPECT_GE(d["milliseconds"].get<int>(), 0);
  EXPECT_LT(d["milliseconds"].get<int>(), 10'000);
}

TEST_F(EchoApiTest, UnreachableRemoteIs200WithTheReason) {
  remote("GONE", "127.0.0.1", harness::freePort());
  const auto r = echo("GONE");
  ASSERT_EQ(r.status, jobs::http::kOk) << r.body;
  const nlohmann::json d = document(r);
  EXPECT_FALSE(d["ok"].get<bool>());
  EXPECT_TRUE(d["status"].is_null());
  EXPECT_NE(d["detail"].get<std::string>().find("refused"), std::string::npos) << d.dump();
}

TEST_F(EchoApiTest, RejectingRemoteIs200WithTheReason) {
  harness::TempDir dir;
  harness::StoreScp peer(dir.path(), "PACS", {"--refuse"});
  remote("PACS", "127.0.0.1", peer.port());
  const nlohmann::json d = document(echo("PACS"));
  EXPECT_FALSE(d["ok"].get<bool>());
  EXPECT_NE(d["detail"].get<std::string>().find("rejected"), std::string::npos) << d.dump();
}

TEST_F(EchoApiTest, UnknownAndUncallableRemotesAreRefused) {
  remote("NOHOST", "", 104);
  remote("NOPORT", "10.1.2.3", 0);
  const auto unknown = echo("NOBODY");
  EXPECT_EQ(unknown.status, jobs::http::kNotFound);
  EXPECT_NE(document(unknown)["error"].get<std::string>().find("NOBODY"), std::string::npos);
  const auto noHost = echo("NOHOST");
  EXPECT_EQ(noHost.status, jobs::http::kUnprocessable);
  EXPECT_NE(document(noHost)["error"].get<std::string>().find("no host"), std::string::npos);
  const auto noPort = echo("NOPORT");
  EXPECT_EQ(noPort.status, jobs::http::kUnprocessable);
  EXPECT_NE(document(noPort)["error"].get<std::string>().find("no port"), std::string::npos);
  jobs::ApiRequest get;
  get.method = "GET";
  get.path = "/remotes/NOHOST/echo";
  EXPECT_EQ(router.dispatch(get).status, jobs::http::kMethodNotAllowed);
}

}  // namespace
}  // namespace burnstation
