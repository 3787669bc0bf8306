// Screen 1, Start: recent arrivals (newest first, studies still arriving marked, conflicts
// marked) and the search by name, patient ID, birth date or accession number, typed on the
// on-screen keypad or by a barcode scanner acting as a keyboard.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace burnstation::ui {

class KineticList;
class Keypad;

class StartScreen : public QWidget {
  Q_OBJECT
 public:
  explicit StartScreen(QWidget* parent = nullptr);

  // The patients document's "patients" array.
  void setPatients(const QJsonArray& patients);
  void setMessage(const QString& message);
  QString searchText() const;
  void clear();
  QLineEdit* searchField() const { return search_; }
  // The signed-in clerk's name, shown with a "Sign out" button; empty: no one (hidden).
  void setClerk(const QString& name);
  QString clerk() const;  // "Signed in: NAME" as shown, empty when hidden

 signals:
  void searchChanged(const QString& text);
  void patientChosen(const QJsonObject& patient);
  void jobsRequested();
  void adminRequested();
  void signOutRequested();

 private:
  QWidget* patientRow(const QJsonObject& patient);

  QLineEdit* search_;
  Keypad* keypad_;
  QLabel* heading_;
  QLabel* message_;
  QLabel* clerk_;
  QPushButton* signOut_;
  KineticList* list_;
  QTimer debounce_;
};

}  // namespace burnstation::ui
