// PatientScreen: see the header.
#include "screens/patient_screen.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QVBoxLayout>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

PatientScreen::PatientScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  name_ = makeLabel(QString(), kTitlePointSize, this);
  details_ = makeLabel(QString(), kBodyPointSize, this, "muted");
  layout->addWidget(name_);
  layout->addWidget(details_);
  layout->addWidget(makeLabel(tr("Tap a study to leave it out."), kBodyPointSize, this));
  list_ = new KineticList(this);
  layout->addWidget(list_, 1);
  auto* buttons = new QHBoxLayout;
  buttons->setSpacing(gap * 2);
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("backButton"));
  next_ = makeButton(tr("Choose the medium"), this, "action");
  next_->setObjectName(QStringLiteral("nextButton"));
  buttons->addWidget(back);
  buttons->addStretch(1);
  buttons->addWidget(next_);
  layout->addLayout(buttons);
  connect(back, &QPushButton::clicked, this, &PatientScreen::back);
  connect(next_, &QPushButton::clicked, this, &PatientScreen::next);
}

void PatientScreen::setPatient(const QJsonObject& patient) {
  name_->setText(personName(patient.value(QStringLiteral("patient_name")).toString()));
  details_->setText(tr("Patient ID %1 · born %2 · %3")
                        .arg(patient.value(QStringLiteral("patient_id")).toString(),
                             displayDate(patient.value(QStringLiteral("birth_date")).toString()),
                             displaySex(patient.value(QStringLiteral("sex")).toString())));
  list_->clearRows();
  studies_.clear();
  int row = 0;
  for (const QJsonValue& value : patient.value(QStringLiteral("studies")).toArray()) {
    const QJsonObject study = value.toObject();
    auto* card = new TapCard;
    const QString uid = study.value(QStringLiteral("study_uid")).toString();
    card->setObjectName(QStringLiteral("study_") + uid);
    QString description = study.value(QStringLiteral("description")).toString();
    if (description.isEmpty()) description = tr("(no description)");
    QStringList modalities;
    for (const QJsonValue& m : study.value(QStringLiteral("modalities")).toArray())
      modalities << m.toString();
    QLabel* title = makeLabel(tr("%1 · %2 · %3")
                                  .arg(displayDate(study.value(QStringLiteral("date")).toString()),
                                       modalities.join(QLatin1Char('/')), description),
                              kBodyPointSize, card);
    card->content()->addWidget(title);
    card->content()->addWidget(
        makeLabel(tr("%1 images, %2")
                      .arg(study.value(QStringLiteral("instances")).toInt())
                      .arg(displayBytes(study.value(QStringLiteral("bytes")).toDouble())),
                  kBodyPointSize, card, "muted"));
    QLabel* mark = makeLabel(QString(), kBodyPointSize, card);
    card->content()->addWidget(mark);
    auto show = [card, mark](bool selected) {
      card->setSelected(selected);
      mark->setText(selected ? tr("✓ Goes on the medium") : tr("Left out"));
    };
    show(true);
    connect(card, &TapCard::tapped, this, [this, card, show] {
      show(!card->isSelected());
      updateNext();
    });
    list_->rows()->insertWidget(row++, card);
    studies_.emplace_back(card, uid);
  }
  updateNext();
}

QStringList PatientScreen::selectedStudies() const {
  QStringList uids;
  for (const auto& [card, uid] : studies_)
    if (card->isSelected()) uids << uid;
  return uids;
}

bool PatientScreen::allSelected() const {
  return selectedStudies().size() == static_cast<qsizetype>(studies_.size());
}

void PatientScreen::updateNext() {
  next_->setEnabled(!selectedStudies().isEmpty());
}

}  // namespace burnstation::ui
