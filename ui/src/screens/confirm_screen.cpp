// ConfirmScreen: see the header.
#include "screens/confirm_screen.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QVBoxLayout>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

ConfirmScreen::ConfirmScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* inner = new QWidget;
  auto* content = new QVBoxLayout(inner);
  content->setSpacing(gap);
  content->addWidget(makeLabel(tr("Is this the patient?"), kTitlePointSize, inner));
  name_ = makeLabel(QString(), kLargePointSize, inner);
  name_->setObjectName(QStringLiteral("confirmName"));
  QFont bold = name_->font();
  bold.setBold(true);
  name_->setFont(bold);
  identity_ = makeLabel(QString(), kTitlePointSize, inner);
  order_ = makeLabel(QString(), kTitlePointSize, inner);
  message_ = makeLabel(QString(), kBodyPointSize, inner, "conflict");
  message_->hide();
  content->addWidget(name_);
  content->addWidget(identity_);
  content->addWidget(order_);
  content->addWidget(message_);
  content->addStretch(1);
  auto* scroll = new KineticList(this);
  scroll->rows()->insertWidget(0, inner);

  auto* buttons = new QHBoxLayout;
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("backButton"));
  burn_ = makeButton(tr("Yes, this is the patient: burn"), this, "action");
  burn_->setObjectName(QStringLiteral("burnButton"));
  buttons->addWidget(back);
  buttons->addStretch(1);
  buttons->addWidget(burn_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  layout->addWidget(scroll, 1);
  layout->addLayout(buttons);
  connect(back, &QPushButton::clicked, this, &ConfirmScreen::back);
  connect(burn_, &QPushButton::clicked, this, &ConfirmScreen::confirmed);
}

void ConfirmScreen::setOrder(const QJsonObject& patient, const QJsonObject& profile, int copies,
                             const QJsonObject& plan, int studies) {
  name_->setText(personName(patient.value(QStringLiteral("patient_name")).toString()));
  identity_->setText(tr("Patient ID: %1\nBorn: %2\nSex: %3")
                         .arg(patient.value(QStringLiteral("patient_id")).toString(),
                              displayDate(patient.value(QStringLiteral("birth_date")).toString()),
                              displaySex(patient.value(QStringLiteral("sex")).toString())));
  const int discs = std::max<int>(1, plan.value(QStringLiteral("volumes")).toArray().size());
  const QString kind = mediumKind(profile);
  const QString what = studies == 1 ? tr("1 study") : tr("%1 studies").arg(studies);
  const QString times = copies == 1 ? tr("1 copy") : tr("%1 copies").arg(copies);
  order_->setText(
      tr("%1 on %2 × %3 = %4")
          .arg(what, mediumCount(kind, discs), times, mediumCount(kind, discs * copies)));
  setMessage(QString());
  setBusy(false);
}

void ConfirmScreen::setMessage(const QString& message) {
  message_->setText(message);
  message_->setVisible(!message.isEmpty());
}

void ConfirmScreen::setBusy(bool busy) {
  burn_->setEnabled(!busy);
}

}  // namespace burnstation::ui
