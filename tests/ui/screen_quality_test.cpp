// Every screen with the demonstration data at the sizes the kiosk must hold: screenshots
// kept as test artifacts (build/artifacts/kiosk/WxH/), and the quality bar checked on what
// is shown: nothing outside the window, no clipped text, body text of 16 pt or more, every
// button at least one touch target.
#include <gtest/gtest.h>

#include <QAbstractScrollArea>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>

#include "kiosk_style.h"
#include "kiosk_window.h"
#include "screenshot_tour.h"
#include "touch_metrics.h"

using burnstation::ui::KioskWindow;

namespace {

// The viewport a widget scrolls in, if any: such a widget may lie below the fold.
QWidget* scrollViewport(QWidget* w, QWidget* window) {
  for (QWidget* p = w->parentWidget(); p && p != window; p = p->parentWidget())
    if (auto* area = qobject_cast<QAbstractScrollArea*>(p->parentWidget()))
      if (area->viewport() == p) return p;
  return nullptr;
}

QString describe(QWidget* w) {
  QString text;
  if (auto* l = qobject_cast<QLabel*>(w)) text = l->text();
  if (auto* b = qobject_cast<QPushButton*>(w)) text = b->text();
  return QStringLiteral("%1 %2 \"%3\"")
      .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text.left(40));
}

QStringList qualityProblems(KioskWindow& window) {
  QStringList problems;
  const int target = burnstation::ui::touchTargetPx(&window);
  const QRect inside = window.rect();
  for (QWidget* w : window.findChildren<QWidget*>()) {
    if (!w->isVisibleTo(&window) || w->isWindow()) continue;
    const QRect r(w->mapTo(&window, QPoint(0, 0)), w->size());
    if (QWidget* viewport = scrollViewport(w, &window)) {
      // Below the fold is fine; beside the viewport is not (no sideways scrolling).
      const QRect v(viewport->mapTo(&window, QPoint(0, 0)), viewport->size());
      if (r.left() < v.left() - 1 || r.right() > v.right() + 1)
        problems << QStringLiteral("sticks out of its list sideways: ") + describe(w);
    } else if (!inside.contains(r)) {
      problems << QStringLiteral("outside the window: ") + describe(w);
    }
    if (auto* label = qobject_cast<QLabel*>(w); label && !label->text().isEmpty()) {
      const QFont f = label->font();
      const double points = f.pointSizeF() > 0 ? f.pointSizeF() : f.pixelSize() * 72.0 / 96.0;
      if (points < burnstation::ui::kBodyPointSize - 0.01)
        problems << QStringLiteral("text smaller than 16 pt: ") + describe(w);
      const bool clipped = label->wordWrap()
                               ? label->heightForWidth(label->width()) > label->height() + 1
                               : label->sizeHint().width() > label->width() + 1 ||
                                     label->sizeHint().height() > label->height() + 1;
      if (clipped) problems << QStringLiteral("clipped text: ") + describe(w);
    }
    if (auto* button = qobject_cast<QPushButton*>(w)) {
      if (button->width() < target || button->height() < target)
        problems << QStringLiteral("button smaller than %1 px: %2 (%3x%4)")
                        .arg(target)
                        .arg(describe(w))
                        .arg(button->width())
                        .arg(button->height());
      if (button->isDefault()) problems << QStringLiteral("a default button: ") + describe(w);
    }
  }
  return problems;
}

// Patient safety on the Confirm screen: name, patient ID, birth date and sex each in large
// type, filled in, and all in view without scrolling.
QStringList confirmProblems(KioskWindow& window) {
  QStringList problems;
  for (const char* name : {"confirmName", "confirmPatientId", "confirmBirthDate", "confirmSex"}) {
    auto* label = window.findChild<QLabel*>(QString::fromLatin1(name));
    if (!label || !label->isVisibleTo(&window) || label->text().isEmpty()) {
      problems << QStringLiteral("not shown: ") + QString::fromLatin1(name);
      continue;
    }
    if (label->font().pointSizeF() < burnstation::ui::kLargePointSize - 0.01)
      problems << QStringLiteral("not in large type (%1 pt): ").arg(label->font().pointSizeF()) +
                      describe(label);
    if (QWidget* viewport = scrollViewport(label, &window)) {
      const QRect v(viewport->mapTo(&window, QPoint(0, 0)), viewport->size());
      const QRect r(label->mapTo(&window, QPoint(0, 0)), label->size());
      if (!v.contains(r)) problems << QStringLiteral("below the fold: ") + describe(label);
    }
  }
  return problems;
}

class ScreenQualityTest : public ::testing::TestWithParam<QSize> {};

TEST_P(ScreenQualityTest, EveryScreenHoldsTheQualityBar) {
  burnstation::ui::applyKioskStyle(*qApp);
  const QSize size = GetParam();
  const QString dir = QStringLiteral(BURNSTATION_BINARY_DIR "/artifacts/kiosk/%1x%2")
                          .arg(size.width())
                          .arg(size.height());
  ASSERT_TRUE(QDir().mkpath(dir));
  KioskWindow window{QString()};
  window.resize(size);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  int screens = 0;
  int confirms = 0;
  burnstation::ui::tourScreens(window, [&](const QString& name) {
    ++screens;
    const QPixmap shot = window.grab();
    EXPECT_EQ(shot.size(), size) << name.toStdString();
    EXPECT_TRUE(shot.save(QDir(dir).filePath(name + ".png"), "PNG")) << name.toStdString();
    QStringList problems = qualityProblems(window);
    if (name.endsWith(QStringLiteral("-confirm"))) {
      ++confirms;
      problems << confirmProblems(window);
    }
    EXPECT_TRUE(problems.isEmpty())
        << name.toStdString() << " at " << size.width() << "x" << size.height() << ":\n  "
        << problems.join(QStringLiteral("\n  ")).toStdString();
  });
  EXPECT_EQ(screens, 15);
  EXPECT_EQ(confirms, 1);
}

INSTANTIATE_TEST_SUITE_P(Sizes, ScreenQualityTest,
                         ::testing::Values(QSize(1024, 600), QSize(1280, 800), QSize(1920, 1080)),
                         [](const auto& info) {
                           return std::to_string(info.param.width()) + "x" +
                                  std::to_string(info.param.height());
                         });

// The checks themselves: a window far below the supported sizes must fail them.
TEST(ScreenQualityCheckTest, FindsProblemsInAWindowTooSmall) {
  burnstation::ui::applyKioskStyle(*qApp);
  KioskWindow window{QString()};
  window.resize(480, 300);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  QStringList problems;
  burnstation::ui::tourScreens(window,
                               [&](const QString&) { problems << qualityProblems(window); });
  // (A top-level window does not shrink below its layout's minimum, so what breaks is text.)
  EXPECT_FALSE(problems.filter(QStringLiteral("clipped text")).isEmpty());
}

TEST(ScreenshotsTest, WritesOnePngPerScreen) {
  const QString dir = QStringLiteral(BURNSTATION_BINARY_DIR "/artifacts/kiosk/tour");
  QDir(dir).removeRecursively();
  const QStringList files = burnstation::ui::writeScreenshots(dir, QSize(1024, 600));
  ASSERT_EQ(files.size(), 15);
  for (const QString& file : files) {
    QImage image(file);
    EXPECT_EQ(image.size(), QSize(1024, 600)) << file.toStdString();
  }
}

}  // namespace
