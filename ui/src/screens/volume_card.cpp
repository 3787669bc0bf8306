// VolumeCard: see the header.
#include "screens/volume_card.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

VolumeCard::VolumeCard(QWidget* parent) : QWidget(parent) {
  auto* frame = new QFrame(this);
  frame->setProperty("card", true);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->addWidget(frame);
  auto* layout = new QVBoxLayout(frame);
  const int gap = touchGapPx(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  title_ = makeLabel(QString(), kBodyPointSize, frame, "muted");
  instruction_ = makeLabel(QString(), kTitlePointSize, frame);
  instruction_->setObjectName(QStringLiteral("instruction"));
  bar_ = new QProgressBar(frame);
  bar_->setRange(0, 1000);
  bar_->setTextVisible(false);
  detail_ = makeLabel(QString(), kBodyPointSize, frame, "muted");
  layout->addWidget(title_);
  layout->addWidget(instruction_);
  layout->addWidget(bar_);
  layout->addWidget(detail_);
}

QString VolumeCard::instruction() const {
  return instruction_->text();
}

void VolumeCard::setVolume(const QJsonObject& v, const QString& kind, int copies) {
  const int index = v.value(QStringLiteral("index")).toInt(1);
  const int of = v.value(QStringLiteral("of")).toInt(1);
  const int copy = v.value(QStringLiteral("copy")).toInt(1);
  const QString state = v.value(QStringLiteral("state")).toString();
  const QString reject = v.value(QStringLiteral("reject_reason")).toString();
  const bool usb = kind == QLatin1String("USB");
  QString title = usb ? tr("USB stick %1 of %2").arg(index).arg(of)
                      : tr("%1 %2 of %3").arg(kind).arg(index).arg(of);
  if (copies > 1) title += tr(", copy %1 of %2").arg(copy).arg(copies);
  title_->setText(title);

  QString instruction;
  if (state == QLatin1String("waiting_for_media")) {
    if (!reject.isEmpty())
      instruction = usb ? tr("This stick cannot be used — take it out and insert another one")
                        : tr("This disc is already written — take it out and insert a blank one");
    else
      instruction = usb ? tr("Insert a USB stick (%1 of %2)").arg(index).arg(of)
                        : tr("Insert a blank disc (%1 of %2)").arg(index).arg(of);
  } else if (state == QLatin1String("done")) {
    // A stick may be pulled only once what was written has been read back.
    instruction = usb ? tr("Done — the USB stick can be removed") : tr("Done — take your disc");
  } else {
    instruction = stateWords(state);
  }
  instruction_->setText(instruction);
  instruction_->setProperty("role", !reject.isEmpty() ? "conflict" : "");

  const double total = v.value(QStringLiteral("bytes_total")).toDouble();
  const double written = v.value(QStringLiteral("bytes_written")).toDouble();
  int permille = total > 0 ? static_cast<int>(std::min(1.0, written / total) * 1000) : 0;
  if (state == QLatin1String("done") || state == QLatin1String("verifying")) permille = 1000;
  bar_->setValue(permille);
  QString detail;
  if (state == QLatin1String("writing")) {
    detail = tr("%1 of %2").arg(displayBytes(written), displayBytes(total));
    const double speed = v.value(QStringLiteral("bytes_per_second")).toDouble();
    if (speed > 0) detail += tr(" · %1/s").arg(displayBytes(speed));
    const qint64 eta = v.value(QStringLiteral("eta_seconds")).toInteger(-1);
    if (eta >= 0) detail += tr(" · %1 left").arg(displayDuration(eta));
  }
  if (!reject.isEmpty()) detail = tr("Why: %1").arg(reject);
  detail_->setText(detail);
  detail_->setVisible(!detail.isEmpty());
}

}  // namespace burnstation::ui
