// The progress screen's offer to format a stick the service refused (exFAT, NTFS): shown only
// for a running USB job with such a stick, and only after a confirmation whose buttons say
// what they do and that has no default (Enter erases nothing).
#include <gtest/gtest.h>

#include <QMessageBox>
#include <QPushButton>
#include <QTest>

#include "demonstration.h"
#include "screens/progress_screen.h"
#include "stick_offer.h"

namespace {

using burnstation::ui::ProgressScreen;

QJsonObject waitingUsbJob() {
  QJsonObject job = burnstation::ui::demonstration::usbDoneJob();
  job.insert(QStringLiteral("state"), QStringLiteral("waiting_for_media"));
  return job;
}

QPushButton* formatButton(ProgressScreen& screen) {
  return screen.findChild<QPushButton*>(QStringLiteral("formatStickButton"));
}

// The confirmation's button labelled text, once the box is up (nullptr after 5 s).
QPushButton* confirmationButton(ProgressScreen& screen, const QString& text,
                                QMessageBox** boxOut = nullptr) {
  QMessageBox* box = nullptr;
  if (!QTest::qWaitFor(
          [&] { return (box = screen.findChild<QMessageBox*>("confirmDestructive")) != nullptr; },
          5000)) {
    return nullptr;
  }
  if (boxOut) *boxOut = box;
  for (QAbstractButton* b : box->buttons())
    if (b->text() == text) return qobject_cast<QPushButton*>(b);
  return nullptr;
}

TEST(StickFormatOfferTest, OnlyForARunningUsbJobWithARefusedStick) {
  ProgressScreen screen;
  screen.show();
  screen.setJob(waitingUsbJob(), QStringLiteral("USB"));
  ASSERT_NE(formatButton(screen), nullptr);
  EXPECT_FALSE(formatButton(screen)->isVisible());
  screen.setRefusedStick(QStringLiteral("sdb1"));
  EXPECT_TRUE(formatButton(screen)->isVisible());
  EXPECT_TRUE(formatButton(screen)->text().contains(QStringLiteral("erases everything")));
  screen.setRefusedStick(QString());
  EXPECT_FALSE(formatButton(screen)->isVisible());

  screen.setRefusedStick(QStringLiteral("sdb1"));
  screen.setJob(burnstation::ui::demonstration::twoDiscJob(), QStringLiteral("CD"));
  EXPECT_FALSE(formatButton(screen)->isVisible()) << "offered on a disc job";
  screen.setJob(burnstation::ui::demonstration::usbDoneJob(), QStringLiteral("USB"));
  EXPECT_FALSE(formatButton(screen)->isVisible()) << "offered after the job ended";
}

TEST(StickFormatOfferTest, FormattingAsksWithVerbsAndNoDefault) {
  ProgressScreen screen;
  screen.show();
  screen.setJob(waitingUsbJob(), QStringLiteral("USB"));
  screen.setRefusedStick(QStringLiteral("sdb1"));
  QStringList confirmed;
  QObject::connect(&screen, &ProgressScreen::formatStickConfirmed,
                   [&](const QString& id) { confirmed << id; });

  QTest::mouseClick(formatButton(screen), Qt::LeftButton);
  QMessageBox* box = nullptr;
  QPushButton* keep = confirmationButton(screen, QStringLiteral("Keep the stick as it is"), &box);
  ASSERT_NE(keep, nullptr);
  EXPECT_EQ(box->defaultButton(), nullptr);
  QTest::keyClick(box, Qt::Key_Return);  // no default: nothing happens
  EXPECT_TRUE(confirmed.isEmpty());
  QTest::mouseClick(keep, Qt::LeftButton);
  EXPECT_TRUE(confirmed.isEmpty());
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return screen.findChild<QMessageBox*>("confirmDestructive") == nullptr; }, 5000));

  QTest::mouseClick(formatButton(screen), Qt::LeftButton);
  QPushButton* erase = confirmationButton(screen, QStringLiteral("Erase and format"));
  ASSERT_NE(erase, nullptr);
  QTest::mouseClick(erase, Qt::LeftButton);
  EXPECT_EQ(confirmed, QStringList{QStringLiteral("sdb1")});
}

// The offer follows the drives document: a stick refused for its filesystem, where the admin
// allows formats; never one the allowlist refuses, which no format makes allowed.
TEST(StickFormatOfferTest, OfferedOnlyForAStickAFormatWouldMend) {
  using burnstation::ui::formattableStick;
  const auto drives = [](const char* status, bool formattable) {
    return QStringLiteral(R"({"drives": [
      {"name": "cd1", "kind": "optical", "media": {"status": "refused", "reason": "written"}},
      {"name": "usb", "kind": "usb", "id": "sdb1",
       "media": {"status": "%1", "reason": "...", "formattable": %2}}]})")
        .arg(QLatin1String(status), formattable ? QStringLiteral("true") : QStringLiteral("false"))
        .toUtf8();
  };
  const QJsonObject allowed{{QStringLiteral("usb"), QJsonObject{{"allow_format", true}}}};
  const QJsonObject closed{{QStringLiteral("usb"), QJsonObject{{"allow_format", false}}}};
  EXPECT_EQ(formattableStick(allowed, drives("refused", true)), QStringLiteral("sdb1"));
  EXPECT_EQ(formattableStick(allowed, drives("refused", false)), QString()) << "unlisted stick";
  EXPECT_EQ(formattableStick(allowed, drives("usable", false)), QString());
  EXPECT_EQ(formattableStick(closed, drives("refused", true)), QString()) << "admin forbids";
  EXPECT_EQ(formattableStick(QJsonObject{}, drives("refused", true)), QString());
  EXPECT_EQ(formattableStick(allowed, "not json"), QString());
}

}  // namespace
