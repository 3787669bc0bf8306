// IdleScreen: see the header.
#include "screens/idle_screen.h"

#include <QLabel>
#include <QMouseEvent>
#include <QVBoxLayout>

#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

IdleScreen::IdleScreen(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->addStretch(1);
  QLabel* touch = makeLabel(tr("Touch to start"), kLargePointSize, this);
  touch->setObjectName(QStringLiteral("touchToStart"));
  touch->setAlignment(Qt::AlignCenter);
  layout->addWidget(touch);
  QLabel* what = makeLabel(tr("Burn a patient's images on a CD, DVD or USB stick"), kBodyPointSize,
                           this, "muted");
  what->setAlignment(Qt::AlignCenter);
  layout->addWidget(what);
  layout->addStretch(1);
  // The labels let a tap through to the screen itself.
  touch->setAttribute(Qt::WA_TransparentForMouseEvents);
  what->setAttribute(Qt::WA_TransparentForMouseEvents);
}

void IdleScreen::mousePressEvent(QMouseEvent* event) {
  event->accept();
}

void IdleScreen::mouseReleaseEvent(QMouseEvent* event) {
  event->accept();
  emit started();
}

}  // namespace burnstation::ui
