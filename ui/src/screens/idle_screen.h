// Screen 8, Idle: shown when nobody touched the kiosk for a while; no patient is on it.
#pragma once

#include <QWidget>

class QLabel;

namespace burnstation::ui {

class IdleScreen : public QWidget {
  Q_OBJECT
 public:
  explicit IdleScreen(QWidget* parent = nullptr);

 signals:
  void started();

 protected:
  // The press is accepted so that the release comes here too (Qt sends a release to the
  // widget that took the press).
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
};

}  // namespace burnstation::ui
