// StartScreen: see the header.
#include "screens/start_screen.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QVBoxLayout>

#include "document_words.h"
#include "keypad.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

StartScreen::StartScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* top = new QHBoxLayout;
  top->setSpacing(gap);
  top->addWidget(makeLabel(tr("Burn a patient's images"), kTitlePointSize, this), 1);
  QPushButton* jobs = makeButton(tr("Jobs"), this);
  jobs->setObjectName(QStringLiteral("jobsButton"));
  QPushButton* admin = makeButton(tr("Admin"), this);
  admin->setObjectName(QStringLiteral("adminButton"));
  // Who is signed in, where clerks sign in; hidden otherwise.
  clerk_ = makeLabel(QString(), kBodyPointSize, this, "muted");
  clerk_->setObjectName(QStringLiteral("signedInClerk"));
  clerk_->hide();
  signOut_ = makeButton(tr("Sign out"), this);
  signOut_->setObjectName(QStringLiteral("signOutButton"));
  signOut_->hide();
  top->addWidget(clerk_);
  top->addWidget(signOut_);
  top->addWidget(jobs);
  top->addWidget(admin);
  connect(signOut_, &QPushButton::clicked, this, &StartScreen::signOutRequested);
  connect(jobs, &QPushButton::clicked, this, &StartScreen::jobsRequested);
  connect(admin, &QPushButton::clicked, this, &StartScreen::adminRequested);

  search_ = new QLineEdit(this);
  search_->setObjectName(QStringLiteral("searchField"));
  search_->setPlaceholderText(tr("Name, patient ID, birth date or accession number"));
  search_->setMinimumHeight(touchTargetPx(this));
  keypad_ = new Keypad(Keypad::Keys::LettersAndDigits, this);
  keypad_->setTarget(search_);

  heading_ = makeLabel(tr("Recent arrivals"), kBodyPointSize, this);
  QFont bold = heading_->font();
  bold.setBold(true);
  heading_->setFont(bold);
  message_ = makeLabel(QString(), kBodyPointSize, this, "notice");
  message_->hide();
  list_ = new KineticList(this);
  list_->setObjectName(QStringLiteral("patientList"));

  // The list beside the keypad: on every supported size the keypad keeps its full keys
  // and the list keeps at least two rows.
  auto* results = new QVBoxLayout;
  results->setSpacing(gap / 2);
  results->addWidget(heading_);
  results->addWidget(message_);
  results->addWidget(list_, 1);
  // The keypad is as wide as ten keys of one touch target; the list takes the rest.
  auto* searchPanel = new QWidget(this);
  searchPanel->setFixedWidth(10 * touchTargetPx(this) + 9 * gap);
  auto* searchColumn = new QVBoxLayout(searchPanel);
  searchColumn->setContentsMargins(0, 0, 0, 0);
  searchColumn->setSpacing(gap);
  searchColumn->addWidget(search_);
  searchColumn->addWidget(keypad_);
  searchColumn->addStretch(1);
  auto* body = new QHBoxLayout;
  body->setSpacing(gap * 2);
  body->addLayout(results, 1);
  body->addWidget(searchPanel, 0);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  layout->addLayout(top);
  layout->addLayout(body, 1);

  // A scanner types a whole accession number in milliseconds; one search after it stops.
  debounce_.setSingleShot(true);
  debounce_.setInterval(350);
  connect(search_, &QLineEdit::textChanged, this, [this] { debounce_.start(); });
  connect(&debounce_, &QTimer::timeout, this, [this] {
    heading_->setText(search_->text().isEmpty() ? tr("Recent arrivals") : tr("Search results"));
    emit searchChanged(search_->text().trimmed());
  });
  connect(search_, &QLineEdit::returnPressed, this, [this] {
    debounce_.stop();
    emit searchChanged(search_->text().trimmed());
  });
}

QString StartScreen::searchText() const {
  return search_->text().trimmed();
}

void StartScreen::setClerk(const QString& name) {
  clerk_->setText(name.isEmpty() ? QString() : tr("Signed in: %1").arg(name));
  clerk_->setVisible(!name.isEmpty());
  signOut_->setVisible(!name.isEmpty());
}

QString StartScreen::clerk() const {
  return clerk_->isHidden() ? QString() : clerk_->text();
}

void StartScreen::clear() {
  search_->blockSignals(true);
  search_->clear();
  search_->blockSignals(false);
  heading_->setText(tr("Recent arrivals"));
  list_->clearRows();
  setMessage(QString());
}

void StartScreen::setMessage(const QString& message) {
  message_->setText(message);
  message_->setVisible(!message.isEmpty());
}

void StartScreen::setPatients(const QJsonArray& patients) {
  list_->clearRows();
  int row = 0;
  for (const QJsonValue& p : patients) list_->rows()->insertWidget(row++, patientRow(p.toObject()));
  if (patients.isEmpty())
    list_->rows()->insertWidget(
        0, makeLabel(searchText().isEmpty() ? tr("No patient has arrived yet.")
                                            : tr("No patient matches “%1”.").arg(searchText()),
                     kBodyPointSize, nullptr, "muted"));
}

QWidget* StartScreen::patientRow(const QJsonObject& patient) {
  auto* card = new TapCard;
  card->setObjectName(QStringLiteral("patient_") + patient.value(QStringLiteral("key")).toString());
  QLabel* name = makeLabel(personName(patient.value(QStringLiteral("patient_name")).toString()),
                           kBodyPointSize + 2, card);
  QFont bold = name->font();
  bold.setBold(true);
  name->setFont(bold);
  card->content()->addWidget(name);
  const QJsonArray studies = patient.value(QStringLiteral("studies")).toArray();
  const QString count = studies.size() == 1 ? tr("1 study") : tr("%1 studies").arg(studies.size());
  const QString details =
      tr("ID %1 · born %2 · %3")
          .arg(patient.value(QStringLiteral("patient_id")).toString(),
               displayDate(patient.value(QStringLiteral("birth_date")).toString()), count);
  card->content()->addWidget(makeLabel(details, kBodyPointSize, card, "muted"));
  if (patient.value(QStringLiteral("arriving")).toBool())
    card->content()->addWidget(
        makeLabel(tr("Images are still arriving"), kBodyPointSize, card, "notice"));
  for (const QJsonValue& conflict : patient.value(QStringLiteral("conflicts")).toArray())
    card->content()->addWidget(makeLabel(tr("⚠ Check the patient: %1").arg(conflict.toString()),
                                         kBodyPointSize, card, "conflict"));
  connect(card, &TapCard::tapped, this, [this, patient] { emit patientChosen(patient); });
  return card;
}

}  // namespace burnstation::ui
