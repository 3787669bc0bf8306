// Screen 5, Progress: one card per disc and copy of the running job, its overall state and
// reason, and cancel (after a confirmation) or, once it ended, a new patient. A USB stick the
// station refused can be formatted FAT32 from here, after a second confirmation.
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
  // A stick the service refused and may format (its drives-document id); empty: none.
  void setRefusedStick(const QString& stickId);
  QString jobId() const { return jobId_; }
  QStringList instructions() const;

 signals:
  void cancelConfirmed(const QString& jobId);
  void formatStickConfirmed(const QString& stickId);
  void finished();

 private:
  QLabel* title_;
  QLabel* state_;
  KineticList* cards_;
  QPushButton* cancel_;
  QPushButton* done_;
  QPushButton* format_;
  QString jobId_;
  QString stickId_;
  bool ended_ = true;  // or not a USB job: no format offered
};

}  // namespace burnstation::ui
