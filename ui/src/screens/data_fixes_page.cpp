// DataFixesPage: see the header.
#include "screens/data_fixes_page.h"

#include <QHBoxLayout>
#include <QHash>
#include <QJsonObject>
#include <QVBoxLayout>

#include "document_words.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

namespace {

// "MUSTERMANN ERIKA · DE-0815 · born 1965-07-02": enough to tell two patients apart.
QString patientLine(const QJsonObject& patient) {
  return DataFixesPage::tr("%1 · %2 · born %3")
      .arg(personName(patient.value(QStringLiteral("patient_name")).toString()),
           patient.value(QStringLiteral("patient_id")).toString(),
           displayDate(patient.value(QStringLiteral("birth_date")).toString()));
}

}  // namespace

DataFixesPage::DataFixesPage(QWidget* parent) : QWidget(parent) {
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("fixesBack"));
  QVBoxLayout* layout = makePageLayout(this, tr("Patients to check"), back);
  message_ = makeLabel(QString(), kBodyPointSize, this);
  message_->setObjectName(QStringLiteral("fixesMessage"));
  message_->hide();
  layout->addWidget(message_);
  list_ = new KineticList(this);
  layout->addWidget(list_, 1);
  connect(back, &QPushButton::clicked, this, &DataFixesPage::leave);
}

void DataFixesPage::setItems(const QJsonArray& patients, const QJsonArray& setAside) {
  list_->clearRows();
  int row = 0;
  QHash<QString, QString> lines;  // key → patient line, for the copies kept aside
  for (const QJsonValue& p : patients) {
    const QJsonObject patient = p.toObject();
    lines.insert(patient.value(QStringLiteral("key")).toString(), patientLine(patient));
    for (const QJsonValue& c : patient.value(QStringLiteral("conflict_details")).toArray()) {
      const QJsonObject conflict = c.toObject();
      // Copies kept aside are decided one by one, below, not marked as checked.
      if (conflict.value(QStringLiteral("acknowledged")).toBool() ||
          conflict.value(QStringLiteral("kind")).toString() == QLatin1String("set-aside"))
        continue;
      list_->rows()->insertWidget(row++, conflictRow(patient, conflict));
    }
  }
  for (const QJsonValue& a : setAside) {
    QJsonObject copy = a.toObject();
    const QString sentFor = copy.value(QStringLiteral("sent_for")).toString();
    copy.insert(QStringLiteral("patient_line"), lines.value(sentFor, sentFor));
    list_->rows()->insertWidget(row++, setAsideRow(copy));
  }
  if (row == 0)
    list_->rows()->insertWidget(
        0, makeLabel(tr("Nothing to check: no possible conflicts and no copies kept aside."),
                     kBodyPointSize, nullptr, "muted"));
}

QWidget* DataFixesPage::conflictRow(const QJsonObject& patient, const QJsonObject& conflict) {
  const QString key = patient.value(QStringLiteral("key")).toString();
  const QString id = conflict.value(QStringLiteral("id")).toString();
  const QString line = patientLine(patient);
  auto* card = new QWidget;
  card->setObjectName(QStringLiteral("conflict_%1_%2").arg(key, id));
  auto* v = new QVBoxLayout(card);
  v->addWidget(makeLabel(line, kBodyPointSize, card));
  v->addWidget(makeLabel(tr("⚠ %1").arg(conflict.value(QStringLiteral("text")).toString()),
                         kBodyPointSize, card, "conflict"));
  auto* buttons = new QHBoxLayout;
  buttons->setSpacing(touchGapPx(card));
  QPushButton* checked = makeButton(tr("Checked: not a mix-up"), card, "action");
  checked->setObjectName(QStringLiteral("acknowledge_%1_%2").arg(key, id));
  connect(checked, &QPushButton::clicked, this, [this, key, id] {
    confirmDestructive(this,
                       tr("Mark this as checked? The warning goes away for both patients, here "
                          "and on the kiosk; the station records that you checked it."),
                       tr("Mark as checked"), tr("Keep the warning"),
                       [this, key, id] { emit acknowledge(key, id); });
  });
  QPushButton* remove = makeButton(tr("Remove this patient"), card, "danger");
  remove->setObjectName(QStringLiteral("removePatient_") + key);
  connect(remove, &QPushButton::clicked, this, [this, key, line] {
    confirmDestructive(this,
                       tr("Remove %1 and everything received for this patient from the "
                          "station? Do this only for a patient sent here by mistake; discs "
                          "already written are not affected.")
                           .arg(line),
                       tr("Remove the patient"), tr("Keep the patient"),
                       [this, key] { emit removePatient(key); });
  });
  buttons->addWidget(checked);
  buttons->addWidget(remove);
  v->addLayout(buttons);
  return card;
}

QWidget* DataFixesPage::setAsideRow(const QJsonObject& copy) {
  const qint64 id = copy.value(QStringLiteral("id")).toVariant().toLongLong();
  auto* card = new QWidget;
  card->setObjectName(QStringLiteral("setAside_%1").arg(id));
  auto* v = new QVBoxLayout(card);
  v->addWidget(
      makeLabel(copy.value(QStringLiteral("patient_line")).toString(), kBodyPointSize, card));
  v->addWidget(makeLabel(tr("⚠ A copy kept aside: %1 (received %2 from %3)")
                             .arg(copy.value(QStringLiteral("reason")).toString(),
                                  displayTime(copy.value(QStringLiteral("received")).toString()),
                                  copy.value(QStringLiteral("calling_ae")).toString()),
                         kBodyPointSize, card, "conflict"));
  auto* buttons = new QHBoxLayout;
  buttons->setSpacing(touchGapPx(card));
  QPushButton* keep = makeButton(tr("Keep the stored copy"), card, "action");
  keep->setObjectName(QStringLiteral("keepStored_%1").arg(id));
  connect(keep, &QPushButton::clicked, this, [this, id] {
    confirmDestructive(this, tr("Discard the copy kept aside and keep the stored one?"),
                       tr("Discard the new copy"), tr("Decide later"),
                       [this, id] { emit keepStoredCopy(id); });
  });
  QPushButton* replace = makeButton(tr("Use the new copy"), card, "danger");
  replace->setObjectName(QStringLiteral("useNew_%1").arg(id));
  connect(replace, &QPushButton::clicked, this, [this, id] {
    confirmDestructive(this,
                       tr("Replace the stored copy with the one kept aside? Discs already "
                          "written keep the old copy."),
                       tr("Use the new copy"), tr("Decide later"),
                       [this, id] { emit useNewCopy(id); });
  });
  buttons->addWidget(keep);
  buttons->addWidget(replace);
  v->addLayout(buttons);
  return card;
}

void DataFixesPage::setMessage(const QString& message, bool isError) {
  showMessage(message_, message, isError);
}

}  // namespace burnstation::ui
