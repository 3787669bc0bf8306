// One end-to-end run of the real kiosk window under Xvfb with no window manager: the window
// covers the whole screen, and a real click (xdotool) on "Touch to start" opens the start
// screen, which asks the local API for the recent arrivals.
#include <gtest/gtest.h>

#include <unistd.h>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include "raw_peer.h"

namespace {

// A child process that is stopped when the test ends, however it ends.
struct Child {
  QProcess process;
  ~Child() {
    if (process.state() != QProcess::NotRunning) {
      process.kill();
      process.waitForFinished(5000);
    }
  }
};

QString run(const QString& program, const QStringList& args, const QString& display) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("DISPLAY", display);
  p.setProcessEnvironment(env);
  p.start(program, args);
  if (!p.waitForFinished(10000)) {
    p.kill();
    p.waitForFinished(2000);
    return QString();
  }
  return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

TEST(KioskUnderXvfbTest, FillsTheScreenAndATouchStarts) {
  const QString xvfb = QStandardPaths::findExecutable("Xvfb");
  const QString xdotool = QStandardPaths::findExecutable("xdotool");
  if (xvfb.isEmpty() || xdotool.isEmpty())
    GTEST_SKIP() << "Xvfb and xdotool are needed (packaging/bootstrap.sh test)";

  // A display number nobody uses: no lock file and no socket.
  int number = 90 + getpid() % 400;
  while (QFileInfo::exists(QString("/tmp/.X%1-lock").arg(number)) ||
         QFileInfo::exists(QString("/tmp/.X11-unix/X%1").arg(number)))
    ++number;
  const QString display = QString(":%1").arg(number);
  Child server;
  server.process.start(xvfb, {display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"});
  ASSERT_TRUE(server.process.waitForStarted(10000));
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return QFileInfo::exists(QString("/tmp/.X11-unix/X%1").arg(number)); }, 10000))
      << "Xvfb did not start";

  burnstation::ui::test::RawPeer service;
  service.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"}, false);
  ASSERT_TRUE(service.listen());

  Child kiosk;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("DISPLAY", display);
  env.insert("QT_QPA_PLATFORM", "xcb");
  kiosk.process.setProcessEnvironment(env);
  kiosk.process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  kiosk.process.start(BURNSTATION_BINARY_DIR "/ui/burnstation-kiosk", {"--socket", service.path()});
  ASSERT_TRUE(kiosk.process.waitForStarted(10000));

  QString window;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        window = run(xdotool, {"search", "--onlyvisible", "--name", "Burnstation"}, display)
                     .section('\n', 0, 0);
        return !window.isEmpty();
      },
      15000))
      << "no kiosk window appeared";
  // Without a window manager nobody places the window: it must cover the screen itself.
  QString geometry;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        geometry = run(xdotool, {"getwindowgeometry", window}, display);
        return geometry.contains("Geometry: 1280x800");
      },
      10000))
      << geometry.toStdString();
  EXPECT_TRUE(geometry.contains("Position: 0,0")) << geometry.toStdString();

  // A touch anywhere on "Touch to start" (away from the centre, where the pointer starts and
  // where --sync would wait for a move that never comes): the start screen asks for the
  // recent arrivals.
  run(xdotool, {"mousemove", "--sync", "600", "300", "click", "1"}, display);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return service.requestLines().contains("GET /patients HTTP/1.1"); }, 10000))
      << service.requestLines().join(" | ").toStdString();
  EXPECT_TRUE(service.requestLines().contains("GET /events HTTP/1.1"));
}

}  // namespace
