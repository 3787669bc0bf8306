// BadgeReader: see the header.
#include "badge_reader.h"

#include <QKeyEvent>
#include <QLineEdit>

namespace burnstation::ui {

BadgeReader::BadgeReader(QLineEdit* field) : QObject(field), field_(field) {
  field->installEventFilter(this);
}

bool BadgeReader::eventFilter(QObject* watched, QEvent* event) {
  if (watched != field_ || event->type() != QEvent::KeyPress) return false;
  const auto* key = static_cast<QKeyEvent*>(event);
  const bool inBurst = sinceLastKey_.isValid() && sinceLastKey_.elapsed() <= kScanGapMs;
  sinceLastKey_.start();
  if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
    const QString badge = inBurst ? burst_ : QString();
    burst_.clear();
    if (badge.size() < kMinBadgeChars) return false;  // a person's Enter
    field_->clear();
    emit scanned(badge);
    return true;
  }
  if (key->text().isEmpty()) return false;
  if (!inBurst) burst_.clear();
  burst_ += key->text();
  return false;
}

}  // namespace burnstation::ui
