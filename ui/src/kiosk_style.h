// The kiosk's look: one font family list with fallbacks (Noto CJK for Chinese, Japanese and
// Korean names), 16 pt body text, dark text on light backgrounds (contrast above 4.5:1), and
// buttons no smaller than the touch target.
#pragma once

class QApplication;

namespace burnstation::ui {

void applyKioskStyle(QApplication& app);

}  // namespace burnstation::ui
