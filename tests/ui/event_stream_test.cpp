// EventStream: events from a chunked text/event-stream, and the service's absence and return.
#include <gtest/gtest.h>

#include <QTest>

#include "event_stream.h"
#include "raw_peer.h"

using burnstation::ui::EventStream;
using burnstation::ui::ServerEvent;
using burnstation::ui::test::RawPeer;

namespace {

QByteArray chunk(const QByteArray& data) {
  return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

TEST(EventStreamTest, DeliversEventsOfAChunkedStream) {
  RawPeer peer;
  ASSERT_TRUE(peer.listen());
  peer.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
               "chunked\r\n\r\n",
               chunk("event: job\nda"), chunk("ta: {\"id\": 3}\n\n: ping\n\n")},
              /*closeAfter=*/false);
  EventStream stream(peer.path());
  std::vector<ServerEvent> events;
  QObject::connect(&stream, &EventStream::eventReceived,
                   [&](const ServerEvent& e) { events.push_back(e); });
  stream.start();
  ASSERT_TRUE(QTest::qWaitFor([&] { return events.size() == 1; }, 10000));
  EXPECT_TRUE(stream.isConnected());
  EXPECT_EQ(events[0].type, "job");
  EXPECT_EQ(events[0].data, "{\"id\": 3}");
  EXPECT_TRUE(peer.lastRequest().startsWith("GET /events HTTP/1.1\r\n"));
  peer.push(chunk("event: volume\ndata: {}\n\n"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return events.size() == 2; }, 10000));
  EXPECT_EQ(events[1].type, "volume");
}

TEST(EventStreamTest, ReportsTheServiceMissingThenConnectsWhenItAppears) {
  RawPeer peer;  // not listening yet: the socket file does not exist
  EventStream stream(peer.path());
  stream.setBackoff(50, 200);
  std::vector<bool> changes;
  QObject::connect(&stream, &EventStream::connectedChanged, [&](bool c) { changes.push_back(c); });
  stream.start();
  // Attempts fail and the pause grows to its bound.
  ASSERT_TRUE(QTest::qWaitFor([&] { return stream.nextPauseMs() == 200; }, 10000));
  EXPECT_FALSE(stream.isConnected());
  peer.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"},
              /*closeAfter=*/false);
  ASSERT_TRUE(peer.listen());
  ASSERT_TRUE(QTest::qWaitFor([&] { return stream.isConnected(); }, 10000));
  EXPECT_EQ(changes, (std::vector<bool>{false, true}));
  // The service stops: the stream notices and says so.
  peer.close();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !stream.isConnected(); }, 10000));
  EXPECT_EQ(changes, (std::vector<bool>{false, true, false}));
}

}  // namespace
