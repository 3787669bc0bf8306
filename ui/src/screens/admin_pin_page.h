// The door to the admin screens: the admin PIN typed on a digits keypad (POST /session).
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;

namespace burnstation::ui {

class AdminPinPage : public QWidget {
  Q_OBJECT
 public:
  explicit AdminPinPage(QWidget* parent = nullptr);
  void reset();
  void setMessage(const QString& message);
  QLineEdit* pinField() const { return pin_; }

 signals:
  void pinEntered(const QString& pin);
  void leave();

 private:
  QLineEdit* pin_;
  QLabel* message_;
};

}  // namespace burnstation::ui
