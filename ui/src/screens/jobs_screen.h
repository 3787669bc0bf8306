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
  // A row names the patient as the job document does; a job whose patient has since been
  // removed (patient_name null) is shown by its key.
  void setJobs(const QJsonArray& jobs);
  void setMessage(const QString& message);

 signals:
  void back();
  void retry(const QString& jobId);
  void reprint(const QString& jobId, int volume);
  void follow(const QString& jobId);

 private:
  QWidget* jobRow(const QJsonObject& job);

  KineticList* list_;
  QLabel* message_;
};

}  // namespace burnstation::ui
