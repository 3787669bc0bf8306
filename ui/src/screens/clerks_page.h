// Admin: the clerks who may sign in (GET /clerks): each with whether it has a PIN and a
// badge (the kiosk never sees either), removed after a confirmation, and a form that adds a
// clerk or gives one a new PIN or badge (PUT /clerks/{name}); a badge may be scanned into
// its field.
#pragma once

#include <QJsonArray>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace burnstation::ui {

class Keypad;
class KineticList;

class ClerksPage : public QWidget {
  Q_OBJECT
 public:
  explicit ClerksPage(QWidget* parent = nullptr);

  // GET /clerks's "clerks" array, and whether clerk sign-in is on.
  void setClerks(const QJsonArray& clerks, bool signInOn);
  void setMessage(const QString& message, bool isError);
  void clearForm();

 signals:
  void refresh();
  // pin and badge: empty to keep what the clerk has.
  void save(const QString& name, const QString& pin, const QString& badge);
  void remove(const QString& name);
  void leave();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  KineticList* list_;
  QLabel* state_;
  QLabel* message_;
  QLineEdit* name_;
  QLineEdit* pin_;
  QLineEdit* badge_;
  Keypad* keypad_;
};

}  // namespace burnstation::ui
