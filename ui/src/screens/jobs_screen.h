// Screen 6, Jobs: the queue and the history with state and reason; a failed job can be
// retried and a written volume's label reprinted.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QWidget>

class QLabel;

namespace burnstation::ui {

class KineticList;

class JobsScreen : public QWidget {
  Q_OBJECT
 public:
  explicit JobsScreen(QWidget* parent = nullptr);
  // patientNames: a patient's key → name as the patients document has it, so that a row
  // names the patient; a key it lacks (a patient since removed) is shown as the key.
  void setJobs(const QJsonArray& jobs, const QHash<QString, QString>& patientNames = {});
  void setMessage(const QString& message);

 signals:
  void back();
  void retry(const QString& jobId);
  void reprint(const QString& jobId, int volume);
  void follow(const QString& jobId);

 private:
  QWidget* jobRow(const QJsonObject& job, const QHash<QString, QString>& patientNames);

  KineticList* list_;
  QLabel* message_;
};

}  // namespace burnstation::ui
