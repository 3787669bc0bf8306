// The on-screen keypad: Qt's virtual keyboard is QML-only (and refused under Wayland), so the
// kiosk has its own. It types into one QLineEdit: letters, digits, space, backspace, clear;
// the PIN entry uses the digits alone.
#pragma once

#include <QPointer>
#include <QWidget>

#include <QLineEdit>

namespace burnstation::ui {

class Keypad : public QWidget {
  Q_OBJECT
 public:
  enum class Keys { LettersAndDigits, Digits };

  explicit Keypad(Keys keys, QWidget* parent = nullptr);
  void setTarget(QLineEdit* target) { target_ = target; }

 signals:
  void edited();

 private:
  void type(const QString& text);
  void backspace();
  void clear();

  QPointer<QLineEdit> target_;
};

}  // namespace burnstation::ui
