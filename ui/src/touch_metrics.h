// The kiosk's physical measures: touch targets of at least 12 mm with gaps between them,
// computed from the screen's physical DPI (with a floor in pixels for screens that report
// none), and the type sizes of the quality bar.
#pragma once

class QWidget;
class QScreen;

namespace burnstation::ui {

constexpr double kTouchTargetMm = 12.0;
constexpr int kMinTouchTargetPx = 48;
constexpr int kBodyPointSize = 16;
constexpr int kTitlePointSize = 22;
constexpr int kLargePointSize = 28;

// The smallest side of anything a finger taps, in pixels, on this screen.
int touchTargetPx(const QScreen* screen);
// The space left between two touch targets.
int touchGapPx(const QScreen* screen);
// The same for the screen the widget is on (the primary screen before it is shown).
int touchTargetPx(const QWidget* widget);
int touchGapPx(const QWidget* widget);

}  // namespace burnstation::ui
