// ApiClient against a QLocalServer speaking raw bytes: what it sends, how it reads fragmented,
// chunked and malformed answers, error documents, timeouts and a missing service.
#include <gtest/gtest.h>

#include <QJsonObject>
#include <QTest>
#include <optional>

#include "api_client.h"
#include "raw_peer.h"

using burnstation::ui::ApiClient;
using burnstation::ui::ApiReply;
using burnstation::ui::test::RawPeer;

namespace {

std::optional<ApiReply> call(ApiClient& client, const QByteArray& method, const QString& path,
                             const QJsonValue& body = QJsonValue(QJsonValue::Undefined)) {
  std::optional<ApiReply> reply;
  QObject context;
  client.send(method, path, body, &context, [&](const ApiReply& r) { reply = r; });
  EXPECT_TRUE(QTest::qWaitFor([&] { return reply.has_value(); }, 10000)) << "no answer in 10 s";
  return reply;
}

TEST(ApiClientTest, SendsJsonAndReadsAFragmentedAnswer) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 20", "1 Created\r\nContent-Type: applic", "ation/json\r\nContent-Le",
               "ngth: 15\r\n\r\n{\"id\": ", "\"job-7\"}"});
  ApiClient client(peer.path());
  client.setAdminToken("tok123");
  auto reply = call(client, "POST", "/jobs", QJsonObject{{"patient", "P1"}, {"request_id", "r"}});
  ASSERT_TRUE(reply);
  ASSERT_TRUE(reply->ok()) << reply->error.toStdString();
  EXPECT_EQ(reply->status, 201);
  EXPECT_EQ(reply->json.toObject().value("id").toString(), "job-7");
  const QByteArray request = peer.lastRequest();
  EXPECT_TRUE(request.startsWith("POST /jobs HTTP/1.1\r\n")) << request.toStdString();
  EXPECT_TRUE(request.contains("Authorization: Bearer tok123\r\n"));
  EXPECT_TRUE(request.contains("Content-Type: application/json\r\n"));
  EXPECT_TRUE(request.endsWith("{\"patient\":\"P1\",\"request_id\":\"r\"}"));
}

TEST(ApiClientTest, ReadsAChunkedAnswer) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json"
               "\r\n\r\n",
               "d\r\n{\"patients\": ", "\r\n3\r\n[]}\r\n", "0\r\n\r\n"},
              /*closeAfter=*/false);
  ApiClient client(peer.path());
  auto reply = call(client, "GET", "/patients?q=%E5%B1%B1");
  ASSERT_TRUE(reply && reply->ok()) << reply->error.toStdString();
  EXPECT_TRUE(reply->json.toObject().value("patients").isArray());
  EXPECT_TRUE(peer.lastRequest().startsWith("GET /patients?q=%E5%B1%B1 HTTP/1.1"));
}

TEST(ApiClientTest, ErrorDocumentBecomesTheMessage) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  const QByteArray doc = R"({"error": "profile \"x\": unknown medium \"STD-FOO\""})";
  peer.answer(
      {"HTTP/1.1 422 Unprocessable Content\r\nContent-Type: application/json\r\n"
       "Content-Length: " +
       QByteArray::number(doc.size()) + "\r\n\r\n" + doc});
  ApiClient client(peer.path());
  auto reply = call(client, "PUT", "/config/profiles/x", QJsonObject{{"medium", "STD-FOO"}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 422);
  EXPECT_EQ(reply->error, "profile \"x\": unknown medium \"STD-FOO\"");
}

TEST(ApiClientTest, ErrorWithoutDocumentNamesTheStatus) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 500 Internal\r\nContent-Length: 4\r\n\r\noops"});
  ApiClient client(peer.path());
  auto reply = call(client, "GET", "/jobs");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->error.contains("500")) << reply->error.toStdString();
}

TEST(ApiClientTest, MalformedAnswerIsAnErrorNotACrash) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "nothex\r\n"});
  ApiClient client(peer.path());
  auto reply = call(client, "GET", "/jobs");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 0);
  EXPECT_TRUE(reply->error.contains("chunk size")) << reply->error.toStdString();
}

TEST(ApiClientTest, InvalidJsonIsReported) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer(
      {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"a\":"});
  ApiClient client(peer.path());
  auto reply = call(client, "GET", "/config");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->error.contains("not valid JSON")) << reply->error.toStdString();
}

TEST(ApiClientTest, AnswerLargerThanTheBoundIsRefused) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 200 OK\r\n\r\n", QByteArray(3000, 'x')});
  ApiClient client(peer.path());
  client.setMaxBodyBytes(1000);
  auto reply = call(client, "GET", "/jobs/1/labels/1");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->error.contains("larger than")) << reply->error.toStdString();
}

TEST(ApiClientTest, SilentServiceTimesOut) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({}, /*closeAfter=*/false);
  ApiClient client(peer.path());
  client.setTimeoutMs(300);
  auto reply = call(client, "GET", "/jobs");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->error.contains("did not answer")) << reply->error.toStdString();
}

TEST(ApiClientTest, MissingSocketSaysTheServiceIsNotRunning) {
  ApiClient client("/nonexistent-dir/api.sock");
  bool reachable = true;
  QObject::connect(&client, &ApiClient::reachabilityObserved, [&](bool r) { reachable = r; });
  auto reply = call(client, "GET", "/patients");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->serviceUnreachable());
  EXPECT_EQ(reply->error, ApiClient::notRunningMessage());
  EXPECT_FALSE(reachable);
}

TEST(ApiClientTest, CallbackOfADestroyedScreenIsNotRun) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"});
  ApiClient client(peer.path());
  bool called = false;
  bool observed = false;
  QObject::connect(&client, &ApiClient::reachabilityObserved, [&](bool) { observed = true; });
  {
    QObject screen;
    client.get("/jobs", &screen, [&](const ApiReply&) { called = true; });
  }
  ASSERT_TRUE(QTest::qWaitFor([&] { return observed; }, 10000));
  EXPECT_FALSE(called);
}

}  // namespace
