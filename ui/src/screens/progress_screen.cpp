// ProgressScreen: see the header.
#include "screens/progress_screen.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QVBoxLayout>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "screens/volume_card.h"
#include "touch_metrics.h"

namespace burnstation::ui {

ProgressScreen::ProgressScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  title_ = makeLabel(QString(), kTitlePointSize, this);
  state_ = makeLabel(QString(), kBodyPointSize, this);
  state_->setObjectName(QStringLiteral("jobState"));
  cards_ = new KineticList(this);
  layout->addWidget(title_);
  layout->addWidget(state_);
  layout->addWidget(cards_, 1);
  format_ = makeButton(tr("Format as FAT32 — erases everything on the stick"), this, "danger");
  format_->setObjectName(QStringLiteral("formatStickButton"));
  format_->hide();
  layout->addWidget(format_);
  auto* buttons = new QHBoxLayout;
  cancel_ = makeButton(tr("Cancel the burn"), this, "danger");
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  done_ = makeButton(tr("Next patient"), this, "action");
  done_->setObjectName(QStringLiteral("doneButton"));
  buttons->addWidget(cancel_);
  buttons->addStretch(1);
  buttons->addWidget(done_);
  layout->addLayout(buttons);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    const QString id = jobId_;
    confirmDestructive(this, tr("Stop burning? Discs already written stay as they are."),
                       tr("Cancel the burn"), tr("Keep burning"),
                       [this, id] { emit cancelConfirmed(id); });
  });
  connect(done_, &QPushButton::clicked, this, &ProgressScreen::finished);
  connect(format_, &QPushButton::clicked, this, [this] {
    const QString id = stickId_;
    confirmDestructive(this,
                       tr("Erase everything on this USB stick and format it as FAT32? What is on "
                          "it now cannot be brought back."),
                       tr("Erase and format"), tr("Keep the stick as it is"),
                       [this, id] { emit formatStickConfirmed(id); });
  });
}

void ProgressScreen::setRefusedStick(const QString& stickId) {
  stickId_ = stickId;
  format_->setVisible(!stickId_.isEmpty() && !ended_);
}

void ProgressScreen::setJob(const QJsonObject& job, const QString& kind) {
  jobId_ = job.value(QStringLiteral("id")).toVariant().toString();
  const QString state = job.value(QStringLiteral("state")).toString();
  title_->setText(tr("Burning job %1").arg(jobId_));
  QString words = stateWords(state);
  const QString message = job.value(QStringLiteral("message")).toString();
  if (!message.isEmpty()) words += QStringLiteral(": ") + message;
  state_->setText(words);
  const bool ended = state == QLatin1String("done") || state == QLatin1String("failed") ||
                     state == QLatin1String("cancelled");
  cancel_->setVisible(!ended);
  // Only while a stick job waits: a disc job is not the place to erase a stick.
  ended_ = ended || kind != QLatin1String("USB");
  format_->setVisible(!stickId_.isEmpty() && !ended_);
  done_->setText(ended ? tr("Next patient") : tr("Leave it running: next patient"));
  cards_->clearRows();
  const int copies = job.value(QStringLiteral("copies")).toInt(1);
  int row = 0;
  for (const QJsonValue& v : job.value(QStringLiteral("volumes")).toArray()) {
    auto* card = new VolumeCard;
    card->setVolume(v.toObject(), kind, copies);
    cards_->rows()->insertWidget(row++, card);
  }
}

void ProgressScreen::setMessage(const QString& message) {
  if (!message.isEmpty()) state_->setText(message);
}

QStringList ProgressScreen::instructions() const {
  QStringList out;
  for (VolumeCard* card : cards_->widget()->findChildren<VolumeCard*>()) out << card->instruction();
  return out;
}

}  // namespace burnstation::ui
