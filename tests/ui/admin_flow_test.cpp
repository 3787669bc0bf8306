// The admin screens against a peer that answers like the local API's contract: a refused
// PIN shows the service's reason, an accepted one opens the settings, a change the service
// refuses (422) shows its reason and the token goes with every admin call.
#include <gtest/gtest.h>

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include "kiosk_window.h"
#include "raw_peer.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/config_editor.h"

using burnstation::ui::KioskWindow;

namespace {

QByteArray json(int status, const char* reason, const QByteArray& body) {
  return "HTTP/1.1 " + QByteArray::number(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " +
         QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

void tap(QWidget* parent, const QString& name) {
  auto* button = parent->findChild<QPushButton*>(name);
  ASSERT_NE(button, nullptr) << name.toStdString();
  ASSERT_TRUE(button->isVisible()) << name.toStdString();
  QTest::mouseClick(button, Qt::LeftButton);
}

QString shown(QWidget* parent, const QString& name) {
  auto* label = parent->findChild<QLabel*>(name);
  return label && label->isVisible() ? label->text() : QString();
}

TEST(AdminFlowTest, PinRefusedThenAcceptedThenAnInvalidProfileRefused) {
  burnstation::ui::test::RawPeer service;
  service.answer({"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"}, false);
  service.answerTo("POST /session",
                   json(403, "Forbidden", R"({"error": "Wrong PIN. 4 attempts left."})"));
  service.answerTo("GET /config",
                   json(200, "OK", R"({"profiles": [{"name": "cd", "medium": "STD-GEN-CD"}],
      "station": {"ae_title": "BURNSTATION", "port": 11112}, "kiosk": {"idle_seconds": 120}})"));
  service.answerTo("PUT /config/profiles/cd",
                   json(422, "Unprocessable Content",
                        R"({"error": "[[profile]] \"cd\": unknown medium \"STD-GEN-CDX\""})"));
  ASSERT_TRUE(service.listen());

  KioskWindow window(service.path());
  window.resize(1024, 600);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  window.showScreen(KioskWindow::Screen::Start);
  tap(&window, "adminButton");
  ASSERT_EQ(window.currentScreen(), KioskWindow::Screen::Admin);
  auto* pinPage = window.adminScreen()->pinPage();
  for (const char* key : {"key_1", "key_2", "key_3", "key_4", "key_5", "key_6"})
    tap(pinPage, QString::fromLatin1(key));
  EXPECT_EQ(pinPage->pinField()->text(), "123456");
  tap(pinPage, "openAdminButton");
  ASSERT_TRUE(QTest::qWaitFor([&] { return !shown(pinPage, "pinMessage").isEmpty(); }, 10000));
  EXPECT_EQ(shown(pinPage, "pinMessage"), "Wrong PIN. 4 attempts left.");
  EXPECT_TRUE(pinPage->pinField()->text().isEmpty());  // the PIN does not stay on screen
  EXPECT_TRUE(service.lastRequest().endsWith(R"({"pin":"123456"})"));

  service.answerTo(
      "POST /session",
      json(200, "OK", R"({"token": "tok-9", "expires": "2026-12-02T08:00:00+00:00"})"));
  for (const char* key : {"key_6", "key_5", "key_4", "key_3", "key_2", "key_1"})
    tap(pinPage, QString::fromLatin1(key));
  tap(pinPage, "openAdminButton");
  ASSERT_TRUE(
      QTest::qWaitFor([&] { return window.adminScreen()->currentWidget() != pinPage; }, 10000));
  // The profiles section lists "cd"; tapping it opens the editor.
  auto* entry = window.adminScreen()->findChild<QWidget*>("entry_cd");
  ASSERT_NE(entry, nullptr);
  QTest::mouseClick(entry, Qt::LeftButton);
  auto* editor = window.adminScreen()->editor();
  ASSERT_EQ(window.adminScreen()->currentWidget(), editor);
  auto* medium = editor->findChild<QLineEdit*>("field_medium");
  ASSERT_NE(medium, nullptr);
  medium->setText("STD-GEN-CD");
  QTest::mouseClick(medium, Qt::LeftButton);  // the keypad types into the touched field
  tap(editor, "key_X");
  EXPECT_EQ(medium->text(), "STD-GEN-CDX");
  tap(editor, "saveButton");
  ASSERT_TRUE(QTest::qWaitFor([&] { return !shown(editor, "editorMessage").isEmpty(); }, 10000));
  EXPECT_EQ(shown(editor, "editorMessage"), R"([[profile]] "cd": unknown medium "STD-GEN-CDX")");
  const QByteArray put = service.lastRequest();
  EXPECT_TRUE(put.startsWith("PUT /config/profiles/cd HTTP/1.1")) << put.toStdString();
  EXPECT_TRUE(put.contains("Authorization: Bearer tok-9")) << put.toStdString();
  EXPECT_TRUE(put.contains(R"("medium":"STD-GEN-CDX")")) << put.toStdString();

  // Leaving admin forgets the session.
  tap(editor, "editorBack");
  tap(window.adminScreen(), "closeAdmin");
  EXPECT_EQ(window.currentScreen(), KioskWindow::Screen::Start);
}

}  // namespace
