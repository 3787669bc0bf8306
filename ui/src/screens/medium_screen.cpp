// MediumScreen: see the header.
#include "screens/medium_screen.h"

#include <QHBoxLayout>
#include <QVBoxLayout>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

namespace {
int volumeCount(const QJsonObject& plan) {
  return static_cast<int>(plan.value(QStringLiteral("volumes")).toArray().size());
}
}  // namespace

QString planAnswer(const QJsonObject& profile, const QJsonObject& plan,
                   const QString& betterAlternative) {
  const int n = volumeCount(plan);
  const QString media = mediumCount(mediumKind(profile), n);
  QString answer =
      n <= 1 ? MediumScreen::tr("fits on %1").arg(media) : MediumScreen::tr("needs %1").arg(media);
  if (n > 1 && !betterAlternative.isEmpty())
    answer = MediumScreen::tr("needs %1 or %2").arg(media, betterAlternative);
  const QJsonArray unplaceable = plan.value(QStringLiteral("unplaceable")).toArray();
  if (!unplaceable.isEmpty()) {
    // One line per reason: the count of images it keeps off this medium.
    std::map<QString, int> reasons;
    for (const QJsonValue& u : unplaceable)
      ++reasons[u.toObject().value(QStringLiteral("reason")).toString()];
    for (const auto& [reason, count] : reasons)
      answer +=
          QLatin1Char('\n') +
          (count == 1 ? MediumScreen::tr("1 image cannot go on it: %1").arg(reason)
                      : MediumScreen::tr("%1 images cannot go on it: %2").arg(count).arg(reason));
  }
  return answer;
}

MediumScreen::MediumScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  layout->addWidget(makeLabel(tr("Choose the medium"), kTitlePointSize, this));
  list_ = new KineticList(this);
  layout->addWidget(list_, 1);

  auto* copies = new QHBoxLayout;
  copies->setSpacing(gap);
  QPushButton* fewer = makeButton(QStringLiteral("−"), this);
  fewer->setObjectName(QStringLiteral("fewerCopies"));
  QPushButton* more = makeButton(QStringLiteral("+"), this);
  more->setObjectName(QStringLiteral("moreCopies"));
  copiesLabel_ = makeLabel(QString(), kBodyPointSize, this);
  copies->addWidget(fewer);
  copies->addWidget(copiesLabel_, 1);
  copies->addWidget(more);
  layout->addLayout(copies);
  connect(fewer, &QPushButton::clicked, this, [this] { setCopies(copies_ - 1); });
  connect(more, &QPushButton::clicked, this, [this] { setCopies(copies_ + 1); });

  auto* buttons = new QHBoxLayout;
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("backButton"));
  next_ = makeButton(tr("Check and burn"), this, "action");
  next_->setObjectName(QStringLiteral("nextButton"));
  buttons->addWidget(back);
  buttons->addStretch(1);
  buttons->addWidget(next_);
  layout->addLayout(buttons);
  connect(back, &QPushButton::clicked, this, &MediumScreen::back);
  connect(next_, &QPushButton::clicked, this, &MediumScreen::next);
  setCopies(1);
}

void MediumScreen::setCopies(int copies) {
  copies_ = std::clamp(copies, 1, 9);
  copiesLabel_->setText(copies_ == 1 ? tr("1 copy") : tr("%1 copies").arg(copies_));
}

void MediumScreen::setProfiles(const QJsonArray& profiles) {
  list_->clearRows();
  choices_.clear();
  selected_.clear();
  int row = 0;
  for (const QJsonValue& value : profiles) {
    const QJsonObject profile = value.toObject();
    const QString name = profile.value(QStringLiteral("name")).toString();
    if (name.isEmpty() || choices_.count(name)) continue;
    Choice choice;
    choice.profile = profile;
    choice.card = new TapCard;
    choice.card->setObjectName(QStringLiteral("profile_") + name);
    QString title = mediumKind(profile);
    if (name.compare(title, Qt::CaseInsensitive) != 0) title += QStringLiteral(" (%1)").arg(name);
    choice.card->content()->addWidget(makeLabel(title, kBodyPointSize + 2, choice.card));
    choice.answer =
        makeLabel(tr("Working out how much room it needs…"), kBodyPointSize, choice.card, "muted");
    choice.card->content()->addWidget(choice.answer);
    connect(choice.card, &TapCard::tapped, this, [this, name] { selectProfile(name); });
    list_->rows()->insertWidget(row++, choice.card);
    choices_.emplace(name, choice);
  }
  if (!choices_.empty())
    selectProfile(profiles.first().toObject().value(QStringLiteral("name")).toString());
  next_->setEnabled(!selected_.isEmpty());
}

void MediumScreen::selectProfile(const QString& profile) {
  if (!choices_.count(profile)) return;
  selected_ = profile;
  for (auto& [name, choice] : choices_) choice.card->setSelected(name == profile);
  refreshAnswers();
}

void MediumScreen::setPlan(const QString& profile, const QJsonObject& plan) {
  auto it = choices_.find(profile);
  if (it == choices_.end()) return;
  it->second.plan = plan;
  it->second.planned = true;
  refreshAnswers();
}

void MediumScreen::setPlanError(const QString& profile, const QString& error) {
  auto it = choices_.find(profile);
  if (it == choices_.end()) return;
  it->second.planned = false;
  it->second.answer->setText(tr("Cannot be planned: %1").arg(error));
}

void MediumScreen::refreshAnswers() {
  for (auto& [name, choice] : choices_) {
    if (!choice.planned) continue;
    // The alternative named is the planned profile of another kind that needs the fewest.
    const int n = volumeCount(choice.plan);
    QString better;
    int best = n;
    for (const auto& [otherName, other] : choices_) {
      if (!other.planned || mediumKind(other.profile) == mediumKind(choice.profile)) continue;
      const int m = volumeCount(other.plan);
      if (m > 0 && m < best) {
        best = m;
        better = mediumCount(mediumKind(other.profile), m);
      }
    }
    choice.answer->setText(planAnswer(choice.profile, choice.plan, better));
  }
  auto it = choices_.find(selected_);
  next_->setEnabled(it != choices_.end() && it->second.planned && volumeCount(it->second.plan) > 0);
}

QJsonObject MediumScreen::plan() const {
  auto it = choices_.find(selected_);
  return it == choices_.end() ? QJsonObject() : it->second.plan;
}

QJsonObject MediumScreen::profileObject() const {
  auto it = choices_.find(selected_);
  return it == choices_.end() ? QJsonObject() : it->second.profile;
}

}  // namespace burnstation::ui
