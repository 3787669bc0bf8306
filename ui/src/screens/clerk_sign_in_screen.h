// The clerk's sign-in, where the admin turns clerk sign-in on ([admin] clerk_sign_in): the
// name and PIN typed on the on-screen keypads, or a badge scanned (the scanner types into the
// name field; BadgeReader tells it from typing). Jobs then record who asked for them.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QStackedWidget;

namespace burnstation::ui {

class ClerkSignInScreen : public QWidget {
  Q_OBJECT
 public:
  explicit ClerkSignInScreen(QWidget* parent = nullptr);

  void reset();
  void setMessage(const QString& message);
  QLineEdit* nameField() const { return name_; }
  QLineEdit* pinField() const { return pin_; }

 signals:
  void pinEntered(const QString& name, const QString& pin);
  void badgeScanned(const QString& badge);
  void back();
  void adminRequested();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void submit();

  QLineEdit* name_;
  QLineEdit* pin_;
  QStackedWidget* keypads_;
  QLabel* message_;
};

}  // namespace burnstation::ui
