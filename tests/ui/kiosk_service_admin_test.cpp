// The kiosk when the real service goes away and comes back (plain words, then the data
// again), and the admin screens against the service's PIN and configuration: a wrong PIN
// refused, the right one accepted, five wrong ones locking admin, and a profile change the
// service refuses shown with the service's reason while a valid one is saved.
#include <QLineEdit>

#include "api_client.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/config_editor.h"
#include "service_kiosk.h"

namespace burnstation::ui::test {
namespace {

class KioskServiceAdminTest : public ServiceKioskTest {
 protected:
  AdminPinPage* pinPage() const { return window->adminScreen()->pinPage(); }
  // The PIN typed on the admin keypad and sent; returns the message shown, if any.
  QString enterPin(const QString& pin) {
    pinPage()->setMessage(QString());  // only the service's answer fills it again
    typeOnKeypad(pin, pinPage());
    tap("openAdminButton", pinPage());
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
          return window->adminScreen()->currentWidget() != pinPage() ||
                 !shownLabel("pinMessage").isEmpty();
        },
        kAnswerMs))
        << "no answer to the PIN";
    return shownLabel("pinMessage");
  }
  void openAdmin() {
    QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
    tap("adminButton", window->startScreen());
    ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Admin);
    ASSERT_EQ(window->adminScreen()->currentWidget(), pinPage());
  }
};

TEST_F(KioskServiceAdminTest, SaysTheServiceIsNotRunningAndShowsDataAgainAfterARestart) {
  openKiosk();
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  QWidget* start = window->startScreen();
  ASSERT_TRUE(waitForLabel(start, "MUSTERMANN ERIKA"));
  EXPECT_FALSE(window->bannerShown());

  ASSERT_EQ(station->stop(), 0) << station->log();
  ASSERT_TRUE(QTest::qWaitFor([&] { return window->bannerShown(); }, kAnswerMs));
  EXPECT_EQ(window->bannerText(), "The burning service is not running. Trying again…");
  // A search while it is away says the same, and is answered once the service is back.
  typeOnKeypad("DE-0815", start);
  ASSERT_TRUE(waitForLabel(start, ApiClient::notRunningMessage()))
      << labels(start).join(" | ").toStdString();
  keepScreenshot("20-service-not-running");

  startService();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window->bannerShown(); }, kAnswerMs)) << station->log();
  const QString yamadaKey =
      QString::fromStdString(patientDocument(kYamadaId)["key"].get<std::string>());
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        return labels(start).contains("MUSTERMANN ERIKA") &&
               start->findChild<TapCard*>("patient_" + yamadaKey) == nullptr;
      },
      kAnswerMs))
      << labels(start).join(" | ").toStdString();
  EXPECT_FALSE(labels(start).contains(ApiClient::notRunningMessage()));
  keepScreenshot("21-service-back");
}

TEST_F(KioskServiceAdminTest, AWrongPinIsRefusedTheRightOneOpensAndFiveWrongOnesLock) {
  openKiosk();
  openAdmin();
  // Until a PIN is set, admin is closed; the service says so.
  const QString closed = enterPin("135790");
  EXPECT_FALSE(closed.isEmpty());
  EXPECT_EQ(window->adminScreen()->currentWidget(), pinPage());
  EXPECT_EQ(closed.toStdString(),
            harness::apiCall(socket(), "POST", "/session", json{{"pin", "135790"}}).error());

  setPin("135790");
  EXPECT_EQ(enterPin("000000"), "wrong PIN; 4 attempts left before admin is locked");
  EXPECT_TRUE(pinPage()->pinField()->text().isEmpty());  // the PIN does not stay on screen
  keepScreenshot("22-admin-pin-refused");

  enterPin("135790");
  ASSERT_NE(window->adminScreen()->currentWidget(), pinPage())
      << shownLabel("pinMessage").toStdString();
  EXPECT_TRUE(window->client()->hasAdminToken());
  // The settings shown are the service's: every profile it has is listed.
  for (const json& p : json(get("/config")["profiles"]))
    EXPECT_NE(
        window->adminScreen()->findChild<TapCard*>("entry_" + QString::fromStdString(p["name"])),
        nullptr)
        << p.dump();
  keepScreenshot("23-admin-open");
  tap("closeAdmin", window->adminScreen());
  EXPECT_FALSE(window->client()->hasAdminToken());

  tap("adminButton", window->startScreen());
  QString said;
  for (int i = 0; i < 5; ++i) said = enterPin("000000");
  EXPECT_EQ(window->adminScreen()->currentWidget(), pinPage());
  // Locked: the right PIN is refused too, with the service's reason.
  said = enterPin("135790");
  EXPECT_EQ(window->adminScreen()->currentWidget(), pinPage());
  EXPECT_EQ(said, "admin is locked for 5 more minutes");
  EXPECT_EQ(harness::apiCall(socket(), "POST", "/session", json{{"pin", "135790"}}).status, 423);
  keepScreenshot("24-admin-locked");
}

TEST_F(KioskServiceAdminTest, AnInvalidProfileIsRefusedWithTheServicesReason) {
  setPin("246810");
  openKiosk();
  openAdmin();
  enterPin("246810");
  ASSERT_NE(window->adminScreen()->currentWidget(), pinPage())
      << shownLabel("pinMessage").toStdString();
  tapCard("entry_cd");
  ConfigEditor* editor = window->adminScreen()->editor();
  ASSERT_EQ(window->adminScreen()->currentWidget(), editor);

  auto* medium = editor->findChild<QLineEdit*>("field_medium");
  ASSERT_NE(medium, nullptr);
  EXPECT_EQ(medium->text(), "STD-GEN-CD");
  touch(medium);  // the keypad types into the touched field
  tap("key_clear", editor);
  typeOnKeypad("FLOPPY", editor);
  ASSERT_EQ(medium->text(), "FLOPPY");
  tap("saveButton", editor);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !shownLabel("editorMessage").isEmpty(); }, kAnswerMs));
  const QString refusal = shownLabel("editorMessage");
  EXPECT_TRUE(refusal.contains("medium must be one of")) << refusal.toStdString();
  EXPECT_FALSE(fs::exists(data() / "station.toml"));  // nothing was saved
  EXPECT_EQ(get("/config")["profiles"][0]["medium"], "STD-GEN-CD");
  keepScreenshot("25-profile-refused");

  // The same entry with a valid change: what the kiosk sends back is what the service reads.
  touch(medium);
  tap("key_clear", editor);
  typeOnKeypad("STD-GEN-CD", editor);
  auto* reserve = editor->findChild<QLineEdit*>("field_viewer_reserve");
  ASSERT_NE(reserve, nullptr);
  touch(reserve);
  tap("key_clear", editor);
  typeOnKeypad("4096", editor);
  tap("saveButton", editor);
  ASSERT_TRUE(QTest::qWaitFor([&] { return shownLabel("editorMessage") != refusal; }, kAnswerMs))
      << shownLabel("editorMessage").toStdString() << " / medium " << medium->text().toStdString()
      << " / viewer_reserve " << reserve->text().toStdString();
  EXPECT_EQ(shownLabel("editorMessage"), "Saved.");
  json cd;
  for (const json& p : json(get("/config")["profiles"]))
    if (p["name"] == "cd") cd = p;
  EXPECT_EQ(cd["medium"], "STD-GEN-CD") << cd.dump();
  EXPECT_EQ(cd["viewer_reserve"].dump(), "4096") << cd.dump();
  EXPECT_TRUE(fs::exists(data() / "station.toml"));
}

}  // namespace
}  // namespace burnstation::ui::test
