// Admin: the data a person has to check (the admin's data fixes of the local API). Possible
// conflicts between patients (same ID with other names, same name with other IDs, a study
// under two patients), each marked as checked (POST /patients/{key}/conflicts/acknowledge)
// or its patient removed when it was sent by mistake (DELETE /patients/{key}); and copies
// kept aside because they reuse a stored SOP Instance UID with other content, each decided
// one by one (POST /set-aside/{id}/discard or /replace). Every action asks first, with
// buttons that say what they do.
#pragma once

#include <QJsonArray>
#include <QWidget>

class QLabel;

namespace burnstation::ui {

class KineticList;

class DataFixesPage : public QWidget {
  Q_OBJECT
 public:
  explicit DataFixesPage(QWidget* parent = nullptr);

  // GET /patients's "patients" and GET /set-aside's "set_aside".
  void setItems(const QJsonArray& patients, const QJsonArray& setAside);
  void setMessage(const QString& message, bool isError);

 signals:
  void refresh();
  void acknowledge(const QString& patientKey, const QString& conflictId);
  void removePatient(const QString& patientKey);
  void keepStoredCopy(qint64 setAsideId);
  void useNewCopy(qint64 setAsideId);
  void leave();

 private:
  QWidget* conflictRow(const QJsonObject& patient, const QJsonObject& conflict);
  QWidget* setAsideRow(const QJsonObject& copy);

  KineticList* list_;
  QLabel* message_;
};

}  // namespace burnstation::ui
