// A barcode scanner acts as a keyboard: it types a badge's characters much faster than a
// finger can, then Enter. BadgeReader watches one line edit and tells such a burst (a badge)
// from a person typing, so the sign-in screen needs no extra field or button for badges.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QLineEdit;

namespace burnstation::ui {

class BadgeReader : public QObject {
  Q_OBJECT
 public:
  // Keystrokes at most this far apart count as one scan.
  static constexpr qint64 kScanGapMs = 60;
  static constexpr int kMinBadgeChars = 4;

  explicit BadgeReader(QLineEdit* field);

 signals:
  // A burst ending in Enter: the field is cleared and the badge handed on.
  void scanned(const QString& badge);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QLineEdit* field_;
  QElapsedTimer sinceLastKey_;
  QString burst_;  // what the current burst typed
};

}  // namespace burnstation::ui
