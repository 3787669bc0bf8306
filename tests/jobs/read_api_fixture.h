// What the tests of the local API's read resources share: patients received by a real
// service (a plain name, an accented Latin-1 one and a Japanese ISO 2022 one, each with an
// accession number), then the store opened in-process and the routes dispatched directly.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/store.h"
#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {

// PS3.5 H.3.1: Yamada^Tarou=山田^太郎=やまだ^たろう in ISO 2022 IR 87.
inline const std::string kJapaneseName =
    "Yamada^Tarou="
    "\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
    "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B";

class ReadApiTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  std::filesystem::path data() const { return dir.path() / "data"; }

  static testdata::InstanceSpec patient(const std::string& id, const std::string& nameBytes,
                                        const std::string& charset, const std::string& birthDate,
                                        const std::string& accession) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = id;
    spec.patientNameBytes = nameBytes;
    spec.specificCharacterSet = charset;
    spec.birthDate = birthDate;
    spec.accessionNumber = accession;
    spec.studyInstanceUid = testdata::newUid();
    return spec;
  }
  static std::vector<testdata::InstanceSpec> threePatients() {
    return {patient("PAT-PLAIN", "SMITH^JOHN", "", "19800315", "ACC100"),
            patient("PAT-MUE", "M\xfcller^J\xfcrgen", "ISO_IR 100", "19700101", "ACC200"),
            patient("PAT-JP", kJapaneseName, "\\ISO 2022 IR 87", "19650505", "JP-77")};
  }

  // Sends each spec in its own association, in order (the last is the newest arrival),
  // through a real service, stops it and opens the store for the routes.
  void receive(const std::vector<testdata::InstanceSpec>& specs) {
    {
      harness::Station station(data());
      for (std::size_t i = 0; i < specs.size(); ++i) {
        testdata::InstanceSpec spec = specs[i];
        spec.seed = static_cast<unsigned>(i + 1);
        const auto file = testdata::writeInstance(spec, dir.path() / "sent");
        const auto sent = harness::storescu(station.port(), {file});
        ASSERT_EQ(sent.exitCode, 0) << sent.err;
      }
      ASSERT_EQ(station.stop(), 0);
    }
    config = station::effectiveConfig(std::nullopt, data());
    store =
        std::make_unique<store::Store>(store::StoreOptions{data()}, store::Store::Access::ReadOnly);
    context.store = store.get();
    context.config = [this] { return config; };
    jobs::addPatientRoutes(router, context);
  }

  jobs::ApiResponse call(const std::string& method, const std::string& path,
                         const std::map<std::string, std::string>& query = {},
                         const std::string& body = {}) {
    jobs::ApiRequest request;
    request.method = method;
    request.path = path;
    request.query = query;
    request.body = body;
    return router.dispatch(request);
  }
  nlohmann::json document(const jobs::ApiResponse& response) {
    return nlohmann::json::parse(response.body);
  }
  // The patient IDs of GET /patients?q=text, in the order answered.
  std::vector<std::string> idsFound(const std::string& text) {
    const auto response = call("GET", "/patients", {{"q", text}});
    EXPECT_EQ(response.status, jobs::http::kOk) << text << ": " << response.body;
    const nlohmann::json found = document(response);  // must outlive the loop over it
    std::vector<std::string> ids;
    for (const auto& p : found["patients"]) ids.push_back(p["patient_id"]);
    return ids;
  }

  station::StationConfig config;
  std::unique_ptr<store::Store> store;
  jobs::ApiContext context;
  jobs::ApiRouter router;
};

}  // namespace burnstation
