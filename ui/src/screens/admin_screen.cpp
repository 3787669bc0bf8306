// AdminScreen: see the header.
#include "screens/admin_screen.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QVBoxLayout>

#include "kiosk_widgets.h"
#include "screens/admin_pin_page.h"
#include "screens/clerks_page.h"
#include "screens/config_editor.h"
#include "screens/data_fixes_page.h"
#include "touch_metrics.h"

namespace burnstation::ui {

AdminScreen::AdminScreen(QWidget* parent) : QStackedWidget(parent) {
  known_ = {
      {QStringLiteral("profiles"), tr("Profiles"), QStringLiteral("/config/profiles"),
       QStringLiteral("name")},
      {QStringLiteral("auto_burn"), tr("Auto-burn"), QStringLiteral("/config/auto-burn"),
       QStringLiteral("called_ae_title")},
      {QStringLiteral("drives"), tr("Drives"), QStringLiteral("/config/drives"),
       QStringLiteral("name")},
      {QStringLiteral("remotes"), tr("Senders"), QStringLiteral("/config/remotes"),
       QStringLiteral("ae_title")},
      {QStringLiteral("usb"), tr("USB sticks"), QStringLiteral("/config/usb"), QString()},
      {QStringLiteral("station"), tr("Station"), QStringLiteral("/config/station"), QString()},
      {QStringLiteral("admin"), tr("Sign-in"), QStringLiteral("/config/admin"), QString()}};
  pin_ = new AdminPinPage(this);
  addWidget(pin_);
  connect(pin_, &AdminPinPage::leave, this, &AdminScreen::leave);

  sections_ = new QWidget(this);
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(sections_);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  auto* top = new QHBoxLayout;
  sectionTitle_ = makeLabel(tr("Admin"), kTitlePointSize, sections_);
  top->addWidget(sectionTitle_, 1);
  QPushButton* done = makeButton(tr("Close admin"), sections_);
  done->setObjectName(QStringLiteral("closeAdmin"));
  top->addWidget(done);
  layout->addLayout(top);
  // Nine sections do not fit one row at 1024×600 with touch-sized type: two rows of five.
  auto* tabs = new QGridLayout;
  tabs->setSpacing(gap);
  int at = 0;
  const auto addTab = [&](QPushButton* tab) {
    tab->setMinimumWidth(0);
    tab->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    tabs->addWidget(tab, at / 5, at % 5);
    ++at;
  };
  for (const Section& s : known_) {
    QPushButton* tab = makeButton(s.title, sections_);
    tab->setObjectName(QStringLiteral("section_") + s.id);
    tab->setCheckable(true);
    connect(tab, &QPushButton::clicked, this, [this, id = s.id] { showSection(id); });
    addTab(tab);
  }
  QPushButton* clerksTab = makeButton(tr("Clerks"), sections_);
  clerksTab->setObjectName(QStringLiteral("section_clerks"));
  connect(clerksTab, &QPushButton::clicked, this, &AdminScreen::showClerks);
  addTab(clerksTab);
  QPushButton* fixesTab = makeButton(tr("Patients to check"), sections_);
  fixesTab->setObjectName(QStringLiteral("section_fixes"));
  connect(fixesTab, &QPushButton::clicked, this, &AdminScreen::showDataFixes);
  addTab(fixesTab);
  layout->addLayout(tabs);
  entries_ = new KineticList(sections_);
  layout->addWidget(entries_, 1);
  addWidget(sections_);
  connect(done, &QPushButton::clicked, this, &AdminScreen::leave);

  editor_ = new ConfigEditor(this);
  addWidget(editor_);
  connect(editor_, &ConfigEditor::leave, this, [this] { setCurrentWidget(sections_); });

  clerks_ = new ClerksPage(this);
  addWidget(clerks_);
  connect(clerks_, &ClerksPage::leave, this, [this] { setCurrentWidget(sections_); });

  fixes_ = new DataFixesPage(this);
  addWidget(fixes_);
  connect(fixes_, &DataFixesPage::leave, this, [this] { setCurrentWidget(sections_); });
}

void AdminScreen::showDataFixes() {
  fixes_->setMessage(QString(), false);
  setCurrentWidget(fixes_);
  emit fixes_->refresh();
}

void AdminScreen::showClerks() {
  clerks_->setMessage(QString(), false);
  setCurrentWidget(clerks_);
  emit clerks_->refresh();
}

void AdminScreen::showPin() {
  pin_->reset();
  setCurrentWidget(pin_);
}

void AdminScreen::setConfig(const QJsonObject& config) {
  config_ = config;
  if (currentWidget() == pin_ || current_.isEmpty()) setCurrentWidget(sections_);
  showSection(current_.isEmpty() ? known_.front().id : current_);
}

const AdminScreen::Section* AdminScreen::section(const QString& id) const {
  for (const Section& s : known_)
    if (s.id == id) return &s;
  return nullptr;
}

void AdminScreen::showSection(const QString& id) {
  const Section* s = section(id);
  if (!s) return;
  current_ = id;
  for (QPushButton* tab : sections_->findChildren<QPushButton*>())
    if (tab->objectName().startsWith(QLatin1String("section_")))
      tab->setChecked(tab->objectName() == QStringLiteral("section_") + id);
  entries_->clearRows();
  int row = 0;
  const QJsonValue value = config_.value(id);
  if (s->keyField.isEmpty()) {
    auto* card = new TapCard;
    card->setObjectName(QStringLiteral("entry_") + id);
    card->content()->addWidget(makeLabel(tr("Change %1").arg(s->title), kBodyPointSize, card));
    connect(card, &TapCard::tapped, this,
            [this, s] { openEntry(*s, config_.value(s->id).toObject(), false); });
    entries_->rows()->insertWidget(row++, card);
    return;
  }
  for (const QJsonValue& v : value.toArray()) {
    const QJsonObject entry = v.toObject();
    auto* card = new TapCard;
    const QString key = entry.value(s->keyField).toString();
    card->setObjectName(QStringLiteral("entry_") + key);
    QStringList summary;
    for (auto it = entry.begin(); it != entry.end(); ++it)
      if (it.key() != s->keyField && (it.value().isString() || it.value().isDouble()))
        summary << it.key() + QStringLiteral(": ") + it.value().toVariant().toString();
    card->content()->addWidget(makeLabel(key, kBodyPointSize, card));
    card->content()->addWidget(
        makeLabel(summary.join(QStringLiteral(" · ")), kBodyPointSize, card, "muted"));
    connect(card, &TapCard::tapped, this, [this, s, entry] { openEntry(*s, entry, false); });
    entries_->rows()->insertWidget(row++, card);
  }
  QPushButton* add = makeButton(tr("Add"), nullptr);
  add->setObjectName(QStringLiteral("addEntry"));
  connect(add, &QPushButton::clicked, this, [this, s] {
    // A new entry has the fields of the first one, emptied, or just its key.
    QJsonObject blank;
    const QJsonArray existing = config_.value(s->id).toArray();
    const QJsonObject first = existing.isEmpty() ? QJsonObject() : existing.first().toObject();
    for (auto it = first.begin(); it != first.end(); ++it)
      blank.insert(it.key(), it.value().isString() ? QJsonValue(QString()) : it.value());
    if (!blank.contains(s->keyField)) blank.insert(s->keyField, QString());
    openEntry(*s, blank, true);
  });
  entries_->rows()->insertWidget(row, add);
}

void AdminScreen::openEntry(const Section& s, const QJsonObject& entry, bool isNew) {
  const QString name = s.keyField.isEmpty() ? s.title : entry.value(s.keyField).toString();
  editor_->edit(isNew ? tr("New entry: %1").arg(s.title) : name, s.path, s.keyField, entry,
                !s.keyField.isEmpty() && !isNew, s.id == QLatin1String("remotes"));
  setCurrentWidget(editor_);
}

}  // namespace burnstation::ui
