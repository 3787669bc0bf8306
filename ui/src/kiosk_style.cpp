// The kiosk's style sheet and fonts: see the header. Colours and their contrast ratios
// against their background: text #1a1a1a on #ffffff 17:1; white on the action blue
// #0b4f9c 8.6:1; the conflict red #a10000 on #fff0f0 8.4:1; the muted grey #4a4a4a 8.9:1.
#include "kiosk_style.h"

#include <QApplication>
#include <QFont>

#include "touch_metrics.h"

namespace burnstation::ui {

void applyKioskStyle(QApplication& app) {
  QFont font(QStringLiteral("Noto Sans"));
  font.setFamilies({QStringLiteral("Noto Sans"), QStringLiteral("Noto Sans CJK JP"),
                    QStringLiteral("Noto Sans CJK SC"), QStringLiteral("Noto Sans CJK KR"),
                    QStringLiteral("DejaVu Sans")});
  font.setPointSize(kBodyPointSize);
  app.setFont(font);
  // Heights from the style sheet; every button also gets the touch target as its minimum
  // size in makeButton(), which counts border and padding too.
  // Style sheet sizes are of the contents: padding (4 px top and bottom) and border (2 px)
  // come on top.
  const int target = touchTargetPx(static_cast<const QScreen*>(nullptr));
  app.setStyleSheet(QStringLiteral(R"(
    QWidget { color: #1a1a1a; background: #ffffff; }
    QLabel { background: transparent; }
    QPushButton { min-height: %1px; padding: 4px 16px; border-radius: 6px;
                  background: #e4e9f0; border: 2px solid #4a4a4a; }
    QPushButton[key="true"] { padding: 0px; min-height: %2px; min-width: %2px; }
    QPushButton:pressed { background: #c5d3e6; }
    QPushButton:checked { background: #0b4f9c; color: #ffffff; }
    QPushButton:disabled { color: #4a4a4a; background: #f2f2f2; border-color: #9a9a9a; }
    QPushButton[role="action"] { background: #0b4f9c; color: #ffffff; border-color: #0b4f9c; }
    QPushButton[role="danger"] { background: #a10000; color: #ffffff; border-color: #a10000; }
    QLineEdit { min-height: %2px; border: 2px solid #4a4a4a; border-radius: 6px; padding: 0 8px; }
    QFrame[card="true"] { border: 2px solid #4a4a4a; border-radius: 8px; }
    QFrame[card="true"][selected="true"] { border: 4px solid #0b4f9c; background: #eef4fb; }
    QLabel[role="conflict"] { color: #a10000; background: #fff0f0; font-weight: bold; }
    QLabel[role="muted"] { color: #4a4a4a; }
    QLabel[role="banner"] { color: #ffffff; background: #a10000; padding: 8px; font-weight: bold; }
    QLabel[role="notice"] { color: #1a1a1a; background: #fff4cc; padding: 8px; }
    QProgressBar { min-height: 24px; border: 2px solid #4a4a4a; border-radius: 6px;
                   text-align: center; }
    QProgressBar::chunk { background: #0b4f9c; }
  )")
                        .arg(target - 12)
                        .arg(target - 4));
}

}  // namespace burnstation::ui
