// One end-to-end run of the real kiosk window under Xvfb with no window manager: the window
// covers the whole screen, and a real click (xdotool) on "Touch to start" opens the start
// screen, which asks the local API for the recent arrivals.
#include <gtest/gtest.h>

#include <QStandardPaths>
#include <QTest>

#include "raw_peer.h"
#include "xvfb_server.h"

namespace {

using burnstation::ui::test::Child;
using burnstation::ui::test::XvfbServer;

TEST(KioskUnderXvfbTest, FillsTheScreenAndATouchStarts) {
  const QString xvfb = QStandardPaths::findExecutable("Xvfb");
  const QString xdotool = QStandardPaths::findExecutable("xdotool");
  if (xvfb.isEmpty() || xdotool.isEmpty())
    GTEST_SKIP() << "Xvfb and xdotool are needed (packaging/bootstrap.sh test)";

  XvfbServer server;
  QString why;
  ASSERT_TRUE(server.start("1280x800x24", 96, &why)) << why.toStdString();

  burnstation::ui::test::RawPeer service;
  service.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"}, false);
  ASSERT_TRUE(service.listen());

  Child kiosk;
  QProcessEnvironment env = server.clientEnvironment();
  env.insert("QT_QPA_PLATFORM", "xcb");
  kiosk.process.setProcessEnvironment(env);
  kiosk.process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  kiosk.process.start(BURNSTATION_BINARY_DIR "/ui/burnstation-kiosk", {"--socket", service.path()});
  ASSERT_TRUE(kiosk.process.waitForStarted(10000));

  QString window;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        window = server.run(xdotool, {"search", "--onlyvisible", "--name", "Burnstation"})
                     .section('\n', 0, 0);
        return !window.isEmpty();
      },
      15000))
      << "no kiosk window appeared";
  // Without a window manager nobody places the window: it must cover the screen itself.
  QString geometry;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        geometry = server.run(xdotool, {"getwindowgeometry", window});
        return geometry.contains("Geometry: 1280x800");
      },
      10000))
      << geometry.toStdString();
  EXPECT_TRUE(geometry.contains("Position: 0,0")) << geometry.toStdString();

  // A touch anywhere on "Touch to start" (away from the centre, where the pointer starts and
  // where --sync would wait for a move that never comes): the start screen asks for the
  // recent arrivals.
  server.run(xdotool, {"mousemove", "--sync", "600", "300", "click", "1"});
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return service.requestLines().contains("GET /patients HTTP/1.1"); }, 10000))
      << service.requestLines().join(" | ").toStdString();
  EXPECT_TRUE(service.requestLines().contains("GET /events HTTP/1.1"));
}

}  // namespace
