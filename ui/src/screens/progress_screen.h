// Screen 5, Progress: one card per disc and copy of the running job, its overall state and
// reason, and cancel (after a confirmation) or, once it ended, a new patient.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;

namespace burnstation::ui {

class KineticList;

class ProgressScreen : public QWidget {
  Q_OBJECT
 public:
  explicit ProgressScreen(QWidget* parent = nullptr);

  // The job document; `mediumKind` ("CD", "DVD", "USB") names what the clerk inserts.
  void setJob(const QJsonObject& job, const QString& mediumKind);
  void setMessage(const QString& message);
  QString jobId() const { return jobId_; }
  QStringList instructions() const;

 signals:
  void cancelConfirmed(const QString& jobId);
  void finished();

 private:
  QLabel* title_;
  QLabel* state_;
  KineticList* cards_;
  QPushButton* cancel_;
  QPushButton* done_;
  QString jobId_;
};

}  // namespace burnstation::ui
