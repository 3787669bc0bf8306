// Screen 4, Confirm (patient safety): full name, patient ID, birth date and sex in large
// type, and medium × copies × discs; the clerk confirms this is the patient at the counter.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;

namespace burnstation::ui {

class ConfirmScreen : public QWidget {
  Q_OBJECT
 public:
  explicit ConfirmScreen(QWidget* parent = nullptr);

  void setOrder(const QJsonObject& patient, const QJsonObject& profile, int copies,
                const QJsonObject& plan, int studies);
  void setMessage(const QString& message);
  void setBusy(bool busy);

 signals:
  void back();
  void confirmed();

 private:
  QLabel* name_;
  QLabel* patientId_;
  QLabel* birthDate_;
  QLabel* sex_;
  QLabel* order_;
  QLabel* message_;
  QPushButton* burn_;
};

}  // namespace burnstation::ui
