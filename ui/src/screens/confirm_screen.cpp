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
  // Everything that tells this patient from another is in large type, each on its own line.
  const auto large = [inner](const char* name, bool bold) {
    QLabel* label = makeLabel(QString(), kLargePointSize, inner);
    label->setObjectName(QString::fromLatin1(name));
    QFont font = label->font();
    font.setBold(bold);
    label->setFont(font);
    return label;
  };
  name_ = large("confirmName", true);
  patientId_ = large("confirmPatientId", false);
  birthDate_ = large("confirmBirthDate", false);
  sex_ = large("confirmSex", false);
  order_ = makeLabel(QString(), kTitlePointSize, inner);
  order_->setObjectName(QStringLiteral("confirmOrder"));
  message_ = makeLabel(QString(), kBodyPointSize, inner, "conflict");
  message_->hide();
  content->addWidget(name_);
  content->addWidget(patientId_);
  content->addWidget(birthDate_);
  content->addWidget(sex_);
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
  patientId_->setText(
      tr("Patient ID: %1").arg(patient.value(QStringLiteral("patient_id")).toString()));
  birthDate_->setText(
      tr("Born: %1").arg(displayDate(patient.value(QStringLiteral("birth_date")).toString())));
  sex_->setText(tr("Sex: %1").arg(displaySex(patient.value(QStringLiteral("sex")).toString())));
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
