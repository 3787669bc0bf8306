// The kiosk when the real service goes away and comes back (plain words, then the data
// again), and the admin screens against the service's PIN and configuration: a wrong PIN
// refused, the right one accepted, five wrong ones locking admin, and a profile change the
// service refuses shown with the service's reason while a valid one is saved; and the
// patients to check: a possible mix-up marked as checked, a patient sent by mistake removed
// and a copy kept aside decided, each by the service.
#include <QLineEdit>

#include "screens/data_fixes_page.h"

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
  // A button on a page that the service's answer fills: once it is shown, flicked into view
  // and pressed.
  void press(const QString& name, QWidget* within) {
    QPushButton* button = nullptr;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
          button = within->findChild<QPushButton*>(name);
          return button && button->isVisibleTo(window.get());
        },
        kAnswerMs))
        << "no visible button " << name.toStdString();
    touch(button);
  }
  json patientByKey(const QString& key) {
    for (const json& p : json(get("/patients")["patients"]))
      if (p["key"] == key.toStdString()) return p;
    return json();
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

TEST_F(KioskServiceAdminTest, PatientsToCheckAreDecidedOnTheKiosk) {
  // A second MUSTERMANN^ERIKA under her ID with another name (a possible mix-up), Yamada's
  // name under another ID, sent by mistake, and a changed copy of one of Erika's instances.
  const auto other =
      patientInstances(kErikaId, "MUSTERFRAU^ERIKA", "", "19650712", "F", {{"CR KNEE", 1}});
  send(other);
  send(patientInstances("JP-9999", "山田^太郎", "ISO_IR 192", "19800315", "M", {{"CT HEAD", 1}}));
  waitForPatients(4);
  const fs::path changed = dir.path() / "changed.dcm";
  fs::copy_file(other.front(), changed);
  ASSERT_EQ(harness::runCommand({"dcmodify", "-nb", "-m", "(0008,1030)=CHANGED", changed.string()})
                .exitCode,
            0);
  send({changed});
  json patients;
  const auto named = [&](const std::string& name, const std::string& id) {
    for (const json& p : patients["patients"])
      if (p["patient_name"] == name && p["patient_id"] == id) return p;
    return json();
  };
  const auto standing = [](const json& patient, const std::string& kind) {
    int n = 0;
    for (const json& c : patient["conflict_details"])
      if (c["kind"] == kind && !c["acknowledged"].get<bool>()) ++n;
    return n;
  };
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        patients = get("/patients");
        const json erika = named("MUSTERMANN^ERIKA", kErikaId);
        return erika.is_object() && standing(erika, "same-id") == 1 &&
               standing(named("MUSTERFRAU^ERIKA", kErikaId), "set-aside") == 1;
      },
      kAnswerMs))
      << patients.dump(2) << station->log();
  const json erika = named("MUSTERMANN^ERIKA", kErikaId);
  const json mistaken = named("山田^太郎", "JP-9999");
  ASSERT_TRUE(mistaken.is_object()) << patients.dump(2);
  const QString erikaKey = QString::fromStdString(erika["key"].get<std::string>());
  const QString mistakenKey = QString::fromStdString(mistaken["key"].get<std::string>());
  QString mixUp;
  for (const json& c : erika["conflict_details"])
    if (c["kind"] == "same-id") mixUp = QString::fromStdString(c["id"].get<std::string>());

  setPin("246810");
  openKiosk();
  openAdmin();
  enterPin("246810");
  ASSERT_NE(window->adminScreen()->currentWidget(), pinPage());
  tap("section_fixes", window->adminScreen());
  DataFixesPage* page = window->adminScreen()->dataFixesPage();
  ASSERT_EQ(window->adminScreen()->currentWidget(), page);
  // Every standing conflict the service lists is on the page, with the service's words.
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return page->findChild<QWidget*>("conflict_" + erikaKey + "_" + mixUp) != nullptr; },
      kAnswerMs))
      << labels(page).join(" | ").toStdString();
  for (const json& c : erika["conflict_details"]) {
    if (c["kind"] != "same-id") continue;
    EXPECT_TRUE(waitForLabel(page, QString::fromUtf8("⚠ ") + QString::fromStdString(c["text"])))
        << labels(page).join(" | ").toStdString();
  }
  EXPECT_NE(page->findChild<QPushButton*>("removePatient_" + mistakenKey), nullptr);
  // The page's rows are made again after every decision: the copy's button by its name.
  QString keepStored;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        for (QPushButton* b : page->findChildren<QPushButton*>())
          if (b->objectName().startsWith("keepStored_")) keepStored = b->objectName();
        return !keepStored.isEmpty();
      },
      kAnswerMs))
      << "no copy kept aside on the page";
  keepScreenshot("26-patients-to-check");

  // Marked as checked: asked first, then the service records it for both patients.
  press("acknowledge_" + erikaKey + "_" + mixUp, page);
  QAbstractButton* keepWarning = confirmationButton("Keep the warning");
  ASSERT_NE(keepWarning, nullptr);
  QTest::mouseClick(keepWarning, Qt::LeftButton);
  EXPECT_EQ(standing(patientByKey(erikaKey), "same-id"), 1) << "acknowledged without asking";
  press("acknowledge_" + erikaKey + "_" + mixUp, page);
  QAbstractButton* mark = confirmationButton("Mark as checked");
  ASSERT_NE(mark, nullptr);
  QTest::mouseClick(mark, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return shownLabel("fixesMessage") == "Marked as checked."; },
                              kAnswerMs))
      << shownLabel("fixesMessage").toStdString();
  EXPECT_EQ(standing(patientByKey(erikaKey), "same-id"), 0);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return page->findChild<QWidget*>("conflict_" + erikaKey + "_" + mixUp) == nullptr; },
      kAnswerMs));

  // The patient sent by mistake: removed from the station, after the question.
  press("removePatient_" + mistakenKey, page);
  QAbstractButton* remove = confirmationButton("Remove the patient");
  ASSERT_NE(remove, nullptr);
  QTest::mouseClick(remove, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return get("/patients")["patients"].size() == 3u; }, kAnswerMs))
      << get("/patients").dump(2);
  EXPECT_TRUE(patientByKey(mistakenKey).is_null());

  // The copy kept aside: the stored one stays, the other goes.
  const auto storedFiles = [&] {
    std::string sums;
    for (const fs::path& f : harness::filesEndingWith(data() / "objects", ".dcm"))
      sums += harness::runCommand({"md5sum", f.string()}).out;
    return sums;
  };
  const std::string before = storedFiles();
  press(keepStored, page);
  QAbstractButton* discard = confirmationButton("Discard the new copy");
  ASSERT_NE(discard, nullptr);
  QTest::mouseClick(discard, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return harness::filesEndingWith(data() / "set-aside", ".dcm").empty(); }, kAnswerMs));
  EXPECT_EQ(storedFiles(), before);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        return labels(page).contains(
            "Nothing to check: no possible conflicts and no copies kept aside.");
      },
      kAnswerMs))
      << labels(page).join(" | ").toStdString();
}

}  // namespace
}  // namespace burnstation::ui::test
