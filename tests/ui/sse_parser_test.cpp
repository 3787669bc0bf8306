// SseParser: the event-stream format split anywhere, every line ending, bounds.
#include <gtest/gtest.h>

#include "sse_parser.h"

using burnstation::ui::ServerEvent;
using burnstation::ui::SseParser;

namespace {

TEST(SseParserTest, EventsSplitAtEveryByte) {
  const QByteArray stream =
      ": keep-alive\n\nevent: job\nid: 41\ndata: {\"id\": 7,\ndata:  \"state\": \"writing\"}\n\n"
      "data: plain\n\n";
  SseParser parser;
  std::vector<ServerEvent> events;
  for (char c : stream)
    for (auto& e : parser.feed(QByteArrayView(&c, 1))) events.push_back(e);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "job");
  EXPECT_EQ(events[0].id, "41");
  EXPECT_EQ(events[0].data, "{\"id\": 7,\n \"state\": \"writing\"}");
  EXPECT_EQ(events[1].type, "message");
  EXPECT_EQ(events[1].data, "plain");
  EXPECT_EQ(events[1].id, "41");  // the last event ID carries over
}

TEST(SseParserTest, CrLfAndBareCrEndLines) {
  SseParser parser;
  auto events = parser.feed("event: drive\r\ndata: a\r\n\r\nevent: stick\rdata: b\r\r");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "drive");
  EXPECT_EQ(events[0].data, "a");
  EXPECT_EQ(events[1].type, "stick");
  EXPECT_EQ(events[1].data, "b");
}

TEST(SseParserTest, CrLfSplitBetweenReadsIsOneLineEnd) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("data: x\r").empty());
  // The LF completes the CR's line end; the blank line after it dispatches.
  auto events = parser.feed("\n\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseParserTest, EventWithoutDataIsNotDispatched) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("event: job\nretry: 10\nunknown: 1\n\n").empty());
}

TEST(SseParserTest, OversizedEventIsDroppedAndTheNextOneKept) {
  SseParser parser;
  QByteArray huge = "event: job\ndata: " + QByteArray(SseParser::kMaxEventBytes + 10, 'x') + "\n\n";
  auto events = parser.feed(huge + "event: volume\ndata: small\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "volume");
  EXPECT_EQ(events[0].data, "small");
  EXPECT_EQ(parser.droppedEvents(), 1);
}

TEST(SseParserTest, ManyDataLinesAreBoundedTogether) {
  SseParser parser;
  QByteArray lines;
  const QByteArray line = "data: " + QByteArray(1000, 'y') + "\n";
  for (int i = 0; i < 1100; ++i) lines += line;
  auto events = parser.feed(lines + "\n");
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(parser.droppedEvents(), 1);
}

}  // namespace
