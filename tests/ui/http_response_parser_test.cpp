// HttpResponseParser: fragments, chunked bodies, bounds and malformed replies.
#include <gtest/gtest.h>

#include "http_response_parser.h"

using burnstation::ui::HttpResponseParser;

namespace {

QByteArray feedByteByByte(HttpResponseParser& parser, const QByteArray& bytes) {
  QByteArray body;
  for (char c : bytes) {
    parser.feed(QByteArrayView(&c, 1));
    body += parser.takeBody();
  }
  return body;
}

TEST(HttpResponseParserTest, ContentLengthBodyOneByteAtATime) {
  HttpResponseParser parser;
  const QByteArray body = feedByteByByte(
      parser,
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
      "{\"a\": true}");
  ASSERT_TRUE(parser.complete()) << parser.error().toStdString();
  EXPECT_EQ(parser.status(), 200);
  EXPECT_EQ(parser.header("CONTENT-type"), "application/json");
  EXPECT_EQ(body, "{\"a\": true}");
}

TEST(HttpResponseParserTest, ChunkedBodyWithExtensionsAndTrailers) {
  HttpResponseParser parser;
  const QByteArray body =
      feedByteByByte(parser,
                     "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "4;ext=1\r\n{\"id\r\nB\r\n\": \"job-7\"}\r\n0\r\nX-Trailer: yes\r\n\r\n");
  ASSERT_TRUE(parser.complete()) << parser.error().toStdString();
  EXPECT_EQ(parser.status(), 201);
  EXPECT_EQ(body, "{\"id\": \"job-7\"}");
}

TEST(HttpResponseParserTest, BodyUntilCloseCompletesOnFinish) {
  HttpResponseParser parser;
  parser.feed("HTTP/1.0 200 OK\r\n\r\npartial");
  EXPECT_FALSE(parser.complete());
  parser.feed(" and rest");
  parser.finish();
  ASSERT_TRUE(parser.complete());
  EXPECT_EQ(parser.takeBody(), "partial and rest");
}

TEST(HttpResponseParserTest, InterimContinueIsSkipped) {
  HttpResponseParser parser;
  parser.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_TRUE(parser.complete());
  EXPECT_EQ(parser.status(), 204);
}

TEST(HttpResponseParserTest, TruncatedBodyIsAnError) {
  HttpResponseParser parser;
  parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
  parser.finish();
  EXPECT_TRUE(parser.failed());
  EXPECT_TRUE(parser.error().contains("closed the connection")) << parser.error().toStdString();
}

struct Malformed {
  const char* name;
  QByteArray bytes;
  const char* reason;
};

class MalformedReplyTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedReplyTest, FailsWithAReason) {
  HttpResponseParser parser(1000);
  parser.feed(GetParam().bytes);
  ASSERT_TRUE(parser.failed()) << GetParam().name;
  EXPECT_TRUE(parser.error().contains(GetParam().reason)) << parser.error().toStdString();
  // Nothing more is taken once the reply is refused.
  parser.feed("HTTP/1.1 200 OK\r\n\r\n");
  EXPECT_TRUE(parser.failed());
}

INSTANTIATE_TEST_SUITE_P(
    Replies, MalformedReplyTest,
    ::testing::Values(
        Malformed{"not_http", "SSH-2.0-OpenSSH\r\n", "HTTP status"},
        Malformed{"bad_code", "HTTP/1.1 2x0 OK\r\n", "status code"},
        Malformed{"header_without_colon", "HTTP/1.1 200 OK\r\nNoColon\r\n", "malformed header"},
        Malformed{"negative_length", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
                  "Content-Length"},
        Malformed{"length_over_bound", "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n",
                  "larger than"},
        Malformed{"chunk_size_not_hex",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size"},
        Malformed{"chunk_over_bound",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n",
                  "larger than"},
        Malformed{"chunk_longer_than_size",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n",
                  "longer than its size"},
        Malformed{"endless_line", "HTTP/1.1 200 OK\r\nX: " + QByteArray(70000, 'a'), "longer"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HttpResponseParserTest, CloseDelimitedBodyIsBounded) {
  HttpResponseParser parser(10);
  parser.feed("HTTP/1.1 200 OK\r\n\r\n0123456789ABC");
  EXPECT_TRUE(parser.failed());
}

}  // namespace
