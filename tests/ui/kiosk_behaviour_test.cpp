// The kiosk's behaviour by touch: typing on the keypad, the idle timeout clearing the
// patient, the service's absence and return in the banner, the cancel confirmation.
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>

#include "api_client.h"
#include "demonstration.h"
#include "event_stream.h"
#include "keypad.h"
#include "kiosk_window.h"
#include "raw_peer.h"
#include "screens/idle_screen.h"
#include "screens/patient_screen.h"
#include "screens/progress_screen.h"
#include "screens/start_screen.h"

using burnstation::ui::KioskWindow;

namespace {

void tap(QWidget* parent, const QString& name) {
  auto* button = parent->findChild<QPushButton*>(name);
  ASSERT_NE(button, nullptr) << name.toStdString();
  QTest::mouseClick(button, Qt::LeftButton);
}

bool anyLabelContains(QWidget* window, const QString& text) {
  for (QLabel* label : window->findChildren<QLabel*>())
    if (label->text().contains(text)) return true;
  return false;
}

TEST(KeypadTest, TypesLettersDigitsSpaceAndDeletes) {
  QLineEdit field;
  burnstation::ui::Keypad keypad(burnstation::ui::Keypad::Keys::LettersAndDigits);
  keypad.setTarget(&field);
  keypad.show();
  for (const char* key :
       {"key_M", "key_U", "key_E", "key_space", "key_1", "key_9", "key_X", "key_backspace"})
    tap(&keypad, QString::fromLatin1(key));
  EXPECT_EQ(field.text(), "MUE 19");
  tap(&keypad, "key_clear");
  EXPECT_TRUE(field.text().isEmpty());
}

TEST(KeypadTest, PinKeypadHasDigitsOnly) {
  QLineEdit field;
  burnstation::ui::Keypad keypad(burnstation::ui::Keypad::Keys::Digits);
  keypad.setTarget(&field);
  for (const char* key : {"key_1", "key_2", "key_0"}) tap(&keypad, QString::fromLatin1(key));
  EXPECT_EQ(field.text(), "120");
  EXPECT_EQ(keypad.findChild<QPushButton*>("key_A"), nullptr);
}

TEST(StartScreenTest, KeypadTypingSearchesOnce) {
  burnstation::ui::StartScreen screen;
  screen.show();
  QStringList searches;
  QObject::connect(&screen, &burnstation::ui::StartScreen::searchChanged,
                   [&](const QString& q) { searches << q; });
  for (const char* key : {"key_Y", "key_A", "key_M", "key_A"})
    tap(&screen, QString::fromLatin1(key));
  ASSERT_TRUE(QTest::qWaitFor([&] { return !searches.isEmpty(); }, 5000));
  EXPECT_EQ(searches, QStringList{"YAMA"});
  // A barcode scanner is a keyboard typing into the search field.
  QTest::keyClicks(screen.searchField(), "4711");
  QTest::keyClick(screen.searchField(), Qt::Key_Return);
  ASSERT_TRUE(QTest::qWaitFor([&] { return searches.size() >= 2; }, 5000));
  EXPECT_EQ(searches.at(1), "YAMA4711");
}

TEST(KioskWindowTest, IdleTimeoutClearsThePatient) {
  KioskWindow window{QString()};
  window.resize(1024, 600);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  const QJsonObject patient =
      burnstation::ui::demonstration::patients().value("patients").toArray().first().toObject();
  window.choosePatient(patient);
  ASSERT_EQ(window.currentScreen(), KioskWindow::Screen::Patient);
  ASSERT_TRUE(anyLabelContains(&window, QString::fromUtf8("山田")));
  window.setIdleMs(300);
  ASSERT_TRUE(
      QTest::qWaitFor([&] { return window.currentScreen() == KioskWindow::Screen::Idle; }, 5000));
  EXPECT_TRUE(window.patient().isEmpty());
  EXPECT_FALSE(anyLabelContains(&window, QString::fromUtf8("山田")));
  EXPECT_TRUE(window.patientScreen()->selectedStudies().isEmpty());
  // A touch on "Touch to start" opens the start screen.
  QTest::mouseClick(window.idleScreen(), Qt::LeftButton);
  EXPECT_EQ(window.currentScreen(), KioskWindow::Screen::Start);
}

TEST(KioskWindowTest, TouchesKeepTheScreen) {
  KioskWindow window{QString()};
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  window.choosePatient(
      burnstation::ui::demonstration::patients().value("patients").toArray().first().toObject());
  window.setIdleMs(400);
  // Touches every 100 ms for a second: the idle timeout never runs out.
  for (int i = 0; i < 10; ++i) {
    QTest::mousePress(window.patientScreen(), Qt::LeftButton, {}, QPoint(5, 5));
    QTest::mouseRelease(window.patientScreen(), Qt::LeftButton, {}, QPoint(5, 5));
    QTest::qWait(100);
    ASSERT_EQ(window.currentScreen(), KioskWindow::Screen::Patient) << "after touch " << i;
  }
}

TEST(KioskWindowTest, SaysTheServiceIsNotRunningThenConnects) {
  burnstation::ui::test::RawPeer peer;  // no socket yet: the service is not running
  KioskWindow window(peer.path());
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  window.events()->setBackoff(50, 200);
  window.start();
  ASSERT_TRUE(QTest::qWaitFor([&] { return window.bannerShown(); }, 10000));
  EXPECT_EQ(window.bannerText(), burnstation::ui::ApiClient::notRunningMessage());
  EXPECT_EQ(window.bannerText(), "The burning service is not running. Trying again…");
  // The service starts: every request gets an event stream's answer, which is enough for
  // the stream to count as connected.
  peer.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"}, false);
  ASSERT_TRUE(peer.listen());
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.bannerShown(); }, 10000));
  // And stops again.
  peer.close();
  ASSERT_TRUE(QTest::qWaitFor([&] { return window.bannerShown(); }, 10000));
}

TEST(ProgressScreenTest, CancelAsksWithVerbsAndNoDefault) {
  burnstation::ui::ProgressScreen screen;
  screen.show();
  screen.setJob(burnstation::ui::demonstration::twoDiscJob(), "CD");
  EXPECT_TRUE(screen.instructions().contains("Insert a blank disc (2 of 2)"))
      << screen.instructions().join(" | ").toStdString();
  EXPECT_TRUE(screen.instructions().contains(QString::fromUtf8("Done — take your disc")));
  QStringList cancelled;
  QObject::connect(&screen, &burnstation::ui::ProgressScreen::cancelConfirmed,
                   [&](const QString& id) { cancelled << id; });
  tap(&screen, "cancelButton");
  QMessageBox* box = nullptr;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return (box = screen.findChild<QMessageBox*>("confirmDestructive")) != nullptr; },
      5000));
  EXPECT_EQ(box->defaultButton(), nullptr);
  QStringList labels;
  QPushButton* verb = nullptr;
  for (QAbstractButton* b : box->buttons()) {
    labels << b->text();
    if (b->text() == "Cancel the burn") verb = qobject_cast<QPushButton*>(b);
  }
  EXPECT_TRUE(labels.contains("Keep burning")) << labels.join(", ").toStdString();
  ASSERT_NE(verb, nullptr) << labels.join(", ").toStdString();
  // Enter does nothing: no default button.
  QTest::keyClick(box, Qt::Key_Return);
  EXPECT_TRUE(cancelled.isEmpty());
  QTest::mouseClick(verb, Qt::LeftButton);
  EXPECT_EQ(cancelled, QStringList{"42"});
}

TEST(ProgressScreenTest, RejectedDiscAndUsbDoneInPlainWords) {
  burnstation::ui::ProgressScreen screen;
  screen.setJob(burnstation::ui::demonstration::rejectedDiscJob(), "DVD");
  EXPECT_TRUE(screen.instructions().contains(
      QString::fromUtf8("This disc is already written — take it out and insert a blank one")));
  screen.setJob(burnstation::ui::demonstration::usbDoneJob(), "USB");
  EXPECT_EQ(screen.instructions(),
            QStringList{QString::fromUtf8("Done — the USB stick can be removed")});
  // Verifying is not done: the stick must stay in.
  QJsonObject verifying = burnstation::ui::demonstration::usbDoneJob();
  QJsonArray volumes = verifying.value("volumes").toArray();
  QJsonObject v = volumes.first().toObject();
  v.insert("state", "verifying");
  volumes.replace(0, v);
  verifying.insert("volumes", volumes);
  verifying.insert("state", "verifying");
  screen.setJob(verifying, "USB");
  EXPECT_EQ(screen.instructions(), QStringList{"Checking what was written"});
}

}  // namespace
