// One end-to-end run of the real burnstation-kiosk binary under Xvfb against the real
// service: real X clicks (xdotool) and a scanner's keystrokes take a received patient from
// "touch to start" to a burned disc. Where to click is read from a KioskWindow in this
// process, at the same size and style, on the same service: the same layout, so the clicks
// land on the buttons the clerk would touch. The job the service then runs is the proof.
#include <QLineEdit>
#include <QStandardPaths>

#include "screens/confirm_screen.h"
#include "service_kiosk.h"
#include "xvfb_server.h"

namespace burnstation::ui::test {
namespace {

class KioskServiceXvfbTest : public ServiceKioskTest {
 protected:
  QString xdotool(const QStringList& args) { return xvfb_.run(xdotoolPath_, args); }
  // A click where `w` is in the mirror window, i.e. where it is on the kiosk's screen.
  void clickAt(QWidget* w) {
    const QPoint centre = w->mapTo(window.get(), w->rect().center());
    xdotool({"mousemove", "--sync", QString::number(centre.x()), QString::number(centre.y()),
             "click", "1"});
    QTest::qWait(1000);  // the kiosk's screen changes before the next touch
  }
  QPushButton* button(QWidget* screen, const char* name) {
    auto* b = screen->findChild<QPushButton*>(name);
    EXPECT_NE(b, nullptr) << name;
    return b;
  }

  XvfbServer xvfb_;
  QString xdotoolPath_;
};

TEST_F(KioskServiceXvfbTest, ARealWindowBurnsAReceivedPatientByClicks) {
  const QString xvfb = QStandardPaths::findExecutable("Xvfb");
  xdotoolPath_ = QStandardPaths::findExecutable("xdotool");
  if (xvfb.isEmpty() || xdotoolPath_.isEmpty())
    GTEST_SKIP() << "Xvfb and xdotool are needed (packaging/bootstrap.sh test)";
  QString why;
  ASSERT_TRUE(xvfb_.start("1280x800x24", 96, &why)) << why.toStdString();

  Child kiosk;
  QProcessEnvironment env = xvfb_.clientEnvironment();
  env.insert("QT_QPA_PLATFORM", "xcb");
  env.insert("QT_FONT_DPI", "96");  // as the offscreen mirror lays out its text
  kiosk.process.setProcessEnvironment(env);
  kiosk.process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  kiosk.process.start(BURNSTATION_BINARY_DIR "/ui/burnstation-kiosk",
                      {"--socket", QString::fromStdString(socket().string())});
  ASSERT_TRUE(kiosk.process.waitForStarted(10000));
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        return !xdotool({"search", "--onlyvisible", "--name", "Burnstation"}).isEmpty();
      },
      15000))
      << "no kiosk window appeared";

  // The mirror: the same window at the same size on the same service.
  openKiosk();
  window->resize(1280, 800);
  const json yamada = patientDocument(kYamadaId);
  const QString key = QString::fromStdString(yamada["key"].get<std::string>());

  // Touch to start (away from the centre, where the pointer starts), then the patient ID as
  // a barcode scanner types it.
  xdotool({"mousemove", "--sync", "600", "300", "click", "1"});
  QTest::qWait(1000);
  xdotool({"type", "--delay", "50", "JP-4711"});
  xdotool({"key", "Return"});
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  QTest::keyClicks(window->startScreen()->searchField(), "JP-4711");
  QTest::keyClick(window->startScreen()->searchField(), Qt::Key_Return);
  TapCard* card = nullptr;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        card = window->startScreen()->findChild<TapCard*>("patient_" + key);
        return card && window->startScreen()->findChildren<TapCard*>().size() == 1;
      },
      kAnswerMs));
  QTest::qWait(500);
  clickAt(card);

  // Patient, medium (the plans answered first), confirm: the buttons where the mirror has them.
  QTest::mouseClick(card, Qt::LeftButton);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Patient);
  clickAt(button(window->patientScreen(), "nextButton"));
  tap("nextButton", window->patientScreen());
  QPushButton* next = button(window->mediumScreen(), "nextButton");
  ASSERT_TRUE(QTest::qWaitFor([&] { return next->isEnabled(); }, kAnswerMs));
  QTest::qWait(1000);  // the kiosk's own plans
  clickAt(next);
  tap("nextButton", window->mediumScreen());
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Confirm);
  EXPECT_TRUE(get("/jobs")["jobs"].empty()) << "a click burned before the confirmation";
  clickAt(button(window->confirmScreen(), "burnButton"));

  // The real window's order reached the service: a job for the patient the clicks chose.
  json jobs;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        jobs = get("/jobs")["jobs"];
        return !jobs.empty();
      },
      kAnswerMs))
      << "the clicks made no job";
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0]["patient_key"], yamada["key"]);
  EXPECT_EQ(jobs[0]["profile"], "cd");
  ASSERT_TRUE(QTest::qWaitFor([&] { return onlyJob()["state"] == "done"; }, kBurnMs))
      << onlyJob().dump(2);
  EXPECT_GT(fs::file_size(disc()), 0u);
}

}  // namespace
}  // namespace burnstation::ui::test
