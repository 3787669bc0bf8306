// JobsScreen: see the header.
#include "screens/jobs_screen.h"

#include <QHBoxLayout>
#include <QJsonObject>
#include <QVBoxLayout>
#include <set>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

JobsScreen::JobsScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  auto* top = new QHBoxLayout;
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("backButton"));
  top->addWidget(makeLabel(tr("Jobs"), kTitlePointSize, this), 1);
  top->addWidget(back);
  layout->addLayout(top);
  message_ = makeLabel(QString(), kBodyPointSize, this, "notice");
  message_->hide();
  layout->addWidget(message_);
  list_ = new KineticList(this);
  layout->addWidget(list_, 1);
  connect(back, &QPushButton::clicked, this, &JobsScreen::back);
}

void JobsScreen::setMessage(const QString& message) {
  message_->setText(message);
  message_->setVisible(!message.isEmpty());
}

void JobsScreen::setJobs(const QJsonArray& jobs) {
  list_->clearRows();
  int row = 0;
  for (const QJsonValue& job : jobs) list_->rows()->insertWidget(row++, jobRow(job.toObject()));
  if (jobs.isEmpty())
    list_->rows()->insertWidget(0, makeLabel(tr("No jobs yet."), kBodyPointSize, nullptr, "muted"));
}

QWidget* JobsScreen::jobRow(const QJsonObject& job) {
  auto* card = new TapCard;
  const QString id = job.value(QStringLiteral("id")).toVariant().toString();
  card->setObjectName(QStringLiteral("job_") + id);
  const QString state = job.value(QStringLiteral("state")).toString();
  const QJsonValue name = job.value(QStringLiteral("patient_name"));
  const QString patient = name.isString() ? personName(name.toString())
                                          : job.value(QStringLiteral("patient_key")).toString();
  card->content()->addWidget(makeLabel(
      tr("Job %1 · %2 · %3").arg(id, patient, job.value(QStringLiteral("profile")).toString()),
      kBodyPointSize, card));
  QString words = stateWords(state);
  const QString message = job.value(QStringLiteral("message")).toString();
  if (!message.isEmpty()) words += QStringLiteral(": ") + message;
  card->content()->addWidget(makeLabel(
      words + QStringLiteral(" · ") + displayTime(job.value(QStringLiteral("updated")).toString()),
      kBodyPointSize, card, state == QLatin1String("failed") ? "conflict" : "muted"));
  auto* actions = new QHBoxLayout;
  actions->setSpacing(touchGapPx(card));
  if (state == QLatin1String("failed")) {
    QPushButton* retryButton = makeButton(tr("Try again"), card, "action");
    retryButton->setObjectName(QStringLiteral("retry_") + id);
    connect(retryButton, &QPushButton::clicked, this, [this, id] { emit retry(id); });
    actions->addWidget(retryButton);
  }
  // One reprint button per written volume (labels are per volume, the same for every copy).
  std::set<int> written;
  for (const QJsonValue& v : job.value(QStringLiteral("volumes")).toArray())
    if (v.toObject().value(QStringLiteral("state")).toString() == QLatin1String("done"))
      written.insert(v.toObject().value(QStringLiteral("index")).toInt());
  for (int volume : written) {
    QPushButton* print = makeButton(
        written.size() == 1 ? tr("Reprint label") : tr("Reprint label %1").arg(volume), card);
    print->setObjectName(QStringLiteral("reprint_%1_%2").arg(id).arg(volume));
    connect(print, &QPushButton::clicked, this, [this, id, volume] { emit reprint(id, volume); });
    actions->addWidget(print);
  }
  actions->addStretch(1);
  card->content()->addLayout(actions);
  connect(card, &TapCard::tapped, this, [this, id] { emit follow(id); });
  return card;
}

}  // namespace burnstation::ui
