// Touch metrics: see the header.
#include "touch_metrics.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>
#include <algorithm>
#include <cmath>

namespace burnstation::ui {

namespace {
const QScreen* screenOf(const QWidget* widget) {
  if (widget && widget->screen()) return widget->screen();
  return QGuiApplication::primaryScreen();
}
}  // namespace

int touchTargetPx(const QScreen* screen) {
  // Pixels per millimetre in device-independent pixels, the unit layouts use.
  double dpi = screen ? screen->physicalDotsPerInch() / screen->devicePixelRatio() : 0.0;
  if (!(dpi > 0.0) || dpi > 1000.0) dpi = 96.0;  // a screen that reports nonsense
  const int px = static_cast<int>(std::ceil(kTouchTargetMm * dpi / 25.4));
  return std::max(kMinTouchTargetPx, px);
}

int touchGapPx(const QScreen* screen) {
  return std::max(8, touchTargetPx(screen) / 5);
}

int touchTargetPx(const QWidget* widget) {
  return touchTargetPx(screenOf(widget));
}
int touchGapPx(const QWidget* widget) {
  return touchGapPx(screenOf(widget));
}

}  // namespace burnstation::ui
