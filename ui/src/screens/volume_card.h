// One disc (or stick) of one copy on the Progress screen: what the clerk must do now, the
// progress bar, speed and time left, built from one entry of the job document's "volumes".
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace burnstation::ui {

class VolumeCard : public QWidget {
  Q_OBJECT
 public:
  explicit VolumeCard(QWidget* parent = nullptr);
  void setVolume(const QJsonObject& volume, const QString& mediumKind, int copies);
  QString instruction() const;

 private:
  QLabel* title_;
  QLabel* instruction_;
  QProgressBar* bar_;
  QLabel* detail_;
};

}  // namespace burnstation::ui
