// Clerk sign-in at the kiosk against a peer that answers like the local API's contract:
// where GET /config turns clerk sign-in on, "touch to start" leads to the sign-in screen; a
// refused PIN shows the service's reason, an accepted one shows who is signed in; a scanned
// badge (a fast burst ending in Enter) signs in while a person's typing does not; the job is
// submitted with the clerk's token (not the admin's); the idle timeout ends the session.
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>

#include "api_client.h"
#include "demonstration.h"
#include "kiosk_window.h"
#include "raw_peer.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/clerk_sign_in_screen.h"
#include "screens/clerks_page.h"
#include "screens/confirm_screen.h"
#include "screens/idle_screen.h"
#include "screens/start_screen.h"

using burnstation::ui::KioskWindow;
using burnstation::ui::test::RawPeer;

namespace {

QByteArray json(int status, const char* reason, const QByteArray& body) {
  return "HTTP/1.1 " + QByteArray::number(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " +
         QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// Taps the visible button of that name (both keypads have digit keys; one is shown).
void tap(QWidget* parent, const QString& name) {
  for (QPushButton* button : parent->findChildren<QPushButton*>(name)) {
    if (!button->isVisible()) continue;
    QTest::mouseClick(button, Qt::LeftButton);
    return;
  }
  ADD_FAILURE() << "no visible button " << name.toStdString();
}

QString shown(QWidget* parent, const QString& name) {
  auto* label = parent->findChild<QLabel*>(name);
  return label && label->isVisible() ? label->text() : QString();
}

// The first request whose request line starts with `line`, whole; empty when none came.
QByteArray requestTo(const RawPeer& peer, const QByteArray& line) {
  for (const QByteArray& r : peer.requests())
    if (r.startsWith(line)) return r;
  return {};
}

QJsonObject configWithSignIn(bool on) {
  QJsonObject config = burnstation::ui::demonstration::config();
  config.insert(QStringLiteral("admin"), QJsonObject{{QStringLiteral("clerk_sign_in"), on}});
  return config;
}

class ClerkFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"}, false);
    service.answerTo("GET /patients", json(200, "OK", R"({"patients": []})"));
    service.answerTo("DELETE /clerk-session", "HTTP/1.1 204 No Content\r\n\r\n");
    ASSERT_TRUE(service.listen());
    window = std::make_unique<KioskWindow>(service.path());
    window->resize(1024, 600);
    window->setAttribute(Qt::WA_DontShowOnScreen);
    window->show();
  }
  void acceptSignIn() {
    service.answerTo("POST /clerk-session", json(201, "Created",
                                                 R"({"token": "clerk-tok", "clerk": "Anna Meier",
                              "expires": "2026-12-02T08:00:00+00:00"})"));
  }

  RawPeer service;
  std::unique_ptr<KioskWindow> window;
};

TEST_F(ClerkFlowTest, APinSignsInAndTheJobCarriesTheClerksTokenUntilIdleEndsIt) {
  window->setConfig(configWithSignIn(true));
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::SignIn);
  auto* signIn = window->signInScreen();

  service.answerTo(
      "POST /clerk-session",
      json(401, "Unauthorized",
           R"({"error": "wrong PIN; 2 attempts left before \"Anna Meier\" is locked"})"));
  for (const char* key : {"key_A", "key_N", "key_N", "key_A"}) tap(signIn, key);
  EXPECT_EQ(signIn->nameField()->text(), "ANNA");
  QTest::mouseClick(signIn->pinField(), Qt::LeftButton);  // the digits keypad now
  for (const char* key : {"key_4", "key_8", "key_1", "key_5"}) tap(signIn, key);
  EXPECT_EQ(signIn->pinField()->text(), "4815");
  tap(signIn, "clerkSignInButton");
  ASSERT_TRUE(QTest::qWaitFor([&] { return !shown(signIn, "clerkMessage").isEmpty(); }, 10000));
  EXPECT_EQ(shown(signIn, "clerkMessage"),
            R"(wrong PIN; 2 attempts left before "Anna Meier" is locked)");
  EXPECT_TRUE(signIn->pinField()->text().isEmpty());  // the PIN does not stay on screen
  EXPECT_TRUE(service.lastRequest().endsWith(R"({"name":"ANNA","pin":"4815"})"))
      << service.lastRequest().toStdString();

  acceptSignIn();
  QTest::mouseClick(signIn->pinField(), Qt::LeftButton);
  for (const char* key : {"key_4", "key_8", "key_1", "key_5"}) tap(signIn, key);
  tap(signIn, "clerkSignInButton");
  ASSERT_TRUE(QTest::qWaitFor([&] { return window->currentScreen() == KioskWindow::Screen::Start; },
                              10000));
  EXPECT_EQ(window->clerk(), "Anna Meier");
  EXPECT_EQ(shown(window->startScreen(), "signedInClerk"), "Signed in: Anna Meier");

  // Burn: the admin opened admin on this kiosk too, yet the job names the clerk.
  window->client()->setAdminToken(QStringLiteral("admin-tok"));
  service.answerTo("POST /jobs", json(201, "Created", R"({"id": 7, "state": "queued"})"));
  const QJsonObject patient = burnstation::ui::demonstration::patients()
                                  .value(QStringLiteral("patients"))
                                  .toArray()
                                  .at(0)
                                  .toObject();
  window->choosePatient(patient);
  window->showScreen(KioskWindow::Screen::Confirm);
  tap(window->confirmScreen(), "burnButton");
  ASSERT_TRUE(QTest::qWaitFor([&] { return !requestTo(service, "POST /jobs").isEmpty(); }, 10000));
  const QByteArray submit = requestTo(service, "POST /jobs");
  EXPECT_TRUE(submit.contains("Authorization: Bearer clerk-tok")) << submit.toStdString();
  EXPECT_FALSE(submit.contains("admin-tok")) << submit.toStdString();

  // The idle timeout clears the patient and ends the clerk's session at the service.
  window->setIdleMs(300);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return !requestTo(service, "DELETE /clerk-session").isEmpty(); }, 10000));
  EXPECT_TRUE(requestTo(service, "DELETE /clerk-session").contains("Bearer clerk-tok"));
  EXPECT_EQ(window->currentScreen(), KioskWindow::Screen::Idle);
  EXPECT_TRUE(window->clerk().isEmpty());
  EXPECT_FALSE(window->client()->hasClerkToken());
  EXPECT_TRUE(shown(window->startScreen(), "signedInClerk").isEmpty());
  // The next person starts at the sign-in screen again.
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  EXPECT_EQ(window->currentScreen(), KioskWindow::Screen::SignIn);
}

TEST_F(ClerkFlowTest, AScannedBadgeSignsInAndAPersonsTypingDoesNot) {
  window->setConfig(configWithSignIn(true));
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::SignIn);
  auto* name = window->signInScreen()->nameField();
  name->setFocus();

  // A person: keystrokes far apart, then Enter, which moves on to the PIN.
  QTest::keyClicks(name, "BENJ", Qt::NoModifier, 150);
  QTest::qWait(150);
  QTest::keyClick(name, Qt::Key_Return);
  EXPECT_EQ(name->text(), "BENJ");
  EXPECT_TRUE(requestTo(service, "POST /clerk-session").isEmpty());

  // A scanner: the whole badge at once, then Enter.
  name->clear();
  acceptSignIn();
  QTest::keyClicks(name, "0004711");
  QTest::keyClick(name, Qt::Key_Return);
  ASSERT_TRUE(QTest::qWaitFor([&] { return window->currentScreen() == KioskWindow::Screen::Start; },
                              10000));
  EXPECT_TRUE(requestTo(service, "POST /clerk-session").endsWith(R"({"badge":"0004711"})"));
  EXPECT_TRUE(name->text().isEmpty());  // the badge does not stay on screen
  EXPECT_EQ(window->clerk(), "Anna Meier");

  // "Sign out" ends the session and asks the next clerk to sign in.
  tap(window->startScreen(), "signOutButton");
  EXPECT_EQ(window->currentScreen(), KioskWindow::Screen::SignIn);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return !requestTo(service, "DELETE /clerk-session").isEmpty(); }, 10000));
  EXPECT_TRUE(window->clerk().isEmpty());
}

TEST_F(ClerkFlowTest, ASubmitWithoutAClerkOrWithAnEndedSessionAsksToSignInThenConfirmAgain) {
  window->setConfig(configWithSignIn(true));
  window->choosePatient(burnstation::ui::demonstration::patients()
                            .value(QStringLiteral("patients"))
                            .toArray()
                            .at(0)
                            .toObject());
  window->showScreen(KioskWindow::Screen::Confirm);
  tap(window->confirmScreen(), "burnButton");
  EXPECT_EQ(window->currentScreen(), KioskWindow::Screen::SignIn);
  QTest::qWait(100);
  EXPECT_TRUE(requestTo(service, "POST /jobs").isEmpty());  // nothing submitted unsigned

  acceptSignIn();
  auto* name = window->signInScreen()->nameField();
  QTest::keyClicks(name, "0004711");
  QTest::keyClick(name, Qt::Key_Return);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return window->currentScreen() == KioskWindow::Screen::Confirm; }, 10000));

  // The service ended the session meanwhile: sign in again, back to Confirm.
  service.answerTo("POST /jobs", json(401, "Unauthorized", R"({"error": "sign in first"})"));
  tap(window->confirmScreen(), "burnButton");
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return window->currentScreen() == KioskWindow::Screen::SignIn; }, 10000));
  EXPECT_EQ(shown(window->signInScreen(), "clerkMessage"), "sign in first");
  EXPECT_TRUE(window->clerk().isEmpty());
  QTest::keyClicks(name, "0004711");
  QTest::keyClick(name, Qt::Key_Return);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return window->currentScreen() == KioskWindow::Screen::Confirm; }, 10000));
  EXPECT_EQ(window->clerk(), "Anna Meier");
}

TEST_F(ClerkFlowTest, WithSignInOffTheKioskStartsAsBefore) {
  window->setConfig(configWithSignIn(false));
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  EXPECT_EQ(window->currentScreen(), KioskWindow::Screen::Start);
  EXPECT_TRUE(shown(window->startScreen(), "signedInClerk").isEmpty());
  auto* signOut = window->startScreen()->findChild<QPushButton*>("signOutButton");
  ASSERT_NE(signOut, nullptr);
  EXPECT_FALSE(signOut->isVisible());
}

TEST_F(ClerkFlowTest, TheAdminAddsAndRemovesClerksWithTheAdminsToken) {
  service.answerTo("GET /config", json(200, "OK", R"({"profiles": [], "kiosk": {}})"));
  service.answerTo("POST /session", json(201, "Created", R"({"token": "admin-tok"})"));
  service.answerTo("GET /clerks", json(200, "OK", R"({"clerk_sign_in": true, "clerks": [
      {"name": "Anna Meier", "has_pin": true, "has_badge": false, "locked": false}]})"));
  service.answerTo("PUT /clerks/",
                   json(422, "Unprocessable Content",
                        R"({"error": "the PIN must have at least 4 digits, not 3"})"));
  window->showScreen(KioskWindow::Screen::Admin);
  auto* pinPage = window->adminScreen()->pinPage();
  for (const char* key : {"key_1", "key_2", "key_3", "key_4", "key_5", "key_6"}) tap(pinPage, key);
  tap(pinPage, "openAdminButton");
  ASSERT_TRUE(
      QTest::qWaitFor([&] { return window->adminScreen()->currentWidget() != pinPage; }, 10000));
  tap(window->adminScreen(), "section_clerks");
  auto* page = window->adminScreen()->clerksPage();
  ASSERT_EQ(window->adminScreen()->currentWidget(), page);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return page->findChild<QPushButton*>("removeClerk_Anna Meier") != nullptr; }, 10000));
  EXPECT_TRUE(requestTo(service, "GET /clerks").contains("Bearer admin-tok"));

  // Add Ben with a PIN the service refuses: its reason is shown.
  for (const char* key : {"key_B", "key_E", "key_N"}) tap(page, key);
  QTest::mouseClick(page->findChild<QLineEdit*>("clerkPin"), Qt::LeftButton);
  for (const char* key : {"key_1", "key_2", "key_3"}) tap(page, key);
  tap(page, "saveClerk");
  ASSERT_TRUE(QTest::qWaitFor([&] { return !shown(page, "clerksMessage").isEmpty(); }, 10000));
  EXPECT_EQ(shown(page, "clerksMessage"), "the PIN must have at least 4 digits, not 3");
  const QByteArray put = requestTo(service, "PUT /clerks/BEN ");
  EXPECT_TRUE(put.contains("Bearer admin-tok")) << put.toStdString();
  EXPECT_TRUE(put.endsWith(R"({"pin":"123"})")) << put.toStdString();

  // Removing asks first, with verb-labelled buttons.
  service.answerTo("DELETE /clerks/", json(200, "OK", R"({"removed": "Anna Meier"})"));
  tap(page, "removeClerk_Anna Meier");
  QMessageBox* box = nullptr;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return (box = page->findChild<QMessageBox*>("confirmDestructive")) != nullptr; },
      5000));
  EXPECT_EQ(box->defaultButton(), nullptr);
  QPushButton* verb = nullptr;
  for (QAbstractButton* b : box->buttons())
    if (b->text() == "Remove the clerk") verb = qobject_cast<QPushButton*>(b);
  ASSERT_NE(verb, nullptr);
  QTest::mouseClick(verb, Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return !requestTo(service, "DELETE /clerks/Anna%20Meier").isEmpty(); }, 10000));
  EXPECT_TRUE(requestTo(service, "DELETE /clerks/Anna%20Meier").contains("Bearer admin-tok"));
}

}  // namespace
