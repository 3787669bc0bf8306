// Screen 2, Patient: the patient's studies with date, modality, description, instance count
// and size; all are selected at first and each can be unselected with a tap.
#pragma once

#include <QJsonObject>
#include <QStringList>
#include <QWidget>
#include <vector>

class QLabel;
class QPushButton;

namespace burnstation::ui {

class KineticList;
class TapCard;

class PatientScreen : public QWidget {
  Q_OBJECT
 public:
  explicit PatientScreen(QWidget* parent = nullptr);

  void setPatient(const QJsonObject& patient);
  QStringList selectedStudies() const;
  // All studies selected: the request names none, so studies arriving later go too.
  bool allSelected() const;

 signals:
  void back();
  void next();

 private:
  void updateNext();

  QLabel* name_;
  QLabel* details_;
  KineticList* list_;
  QPushButton* next_;
  std::vector<std::pair<TapCard*, QString>> studies_;
};

}  // namespace burnstation::ui
