// ConfigEditor: see the header.
#include "screens/config_editor.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QVBoxLayout>

#include "api_client.h"
#include "keypad.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

namespace {
// A value as the admin edits it: strings as they are, anything else as JSON text.
QString editable(const QJsonValue& v) {
  if (v.isString()) return v.toString();
  if (v.isObject())
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
  if (v.isArray())
    return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
  QJsonArray wrap{v};
  const QByteArray text = QJsonDocument(wrap).toJson(QJsonDocument::Compact);
  return QString::fromUtf8(text.mid(1, text.size() - 2));
}
}  // namespace

ConfigEditor::ConfigEditor(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  title_ = makeLabel(QString(), kTitlePointSize, this);
  message_ = makeLabel(QString(), kBodyPointSize, this, "notice");
  message_->setObjectName(QStringLiteral("editorMessage"));
  message_->hide();
  layout->addWidget(title_);
  layout->addWidget(message_);
  auto* body = new QHBoxLayout;
  body->setSpacing(gap * 2);
  auto* scroll = new KineticList(this);
  form_ = new QWidget;
  new QFormLayout(form_);
  scroll->rows()->insertWidget(0, form_);
  keypad_ = new Keypad(Keypad::Keys::LettersAndDigits, this);
  body->addWidget(scroll, 1);
  body->addWidget(keypad_);
  layout->addLayout(body, 1);
  auto* buttons = new QHBoxLayout;
  buttons->setSpacing(gap);
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("editorBack"));
  remove_ = makeButton(tr("Remove"), this, "danger");
  remove_->setObjectName(QStringLiteral("removeButton"));
  echo_ = makeButton(tr("Test the connection"), this);
  echo_->setObjectName(QStringLiteral("echoButton"));
  QPushButton* saveButton = makeButton(tr("Save"), this, "action");
  saveButton->setObjectName(QStringLiteral("saveButton"));
  buttons->addWidget(back);
  buttons->addWidget(remove_);
  buttons->addStretch(1);
  buttons->addWidget(echo_);
  buttons->addWidget(saveButton);
  layout->addLayout(buttons);
  connect(back, &QPushButton::clicked, this, &ConfigEditor::leave);
  connect(saveButton, &QPushButton::clicked, this, [this] {
    QString problem;
    const QJsonObject body = collect(problem);
    if (!problem.isEmpty()) return setMessage(problem, true);
    emit save(path(), body);
  });
  connect(remove_, &QPushButton::clicked, this, [this] {
    const QString target = path();
    confirmDestructive(this, tr("Remove “%1” from the configuration?").arg(target), tr("Remove it"),
                       tr("Keep it"), [this, target] { emit remove(target); });
  });
  connect(echo_, &QPushButton::clicked, this, [this] {
    QString problem;
    emit echo(collect(problem).value(keyField_).toString());
  });
}

void ConfigEditor::edit(const QString& title, const QString& collectionPath,
                        const QString& keyField, const QJsonObject& entry, bool removable,
                        bool echo) {
  title_->setText(title);
  collectionPath_ = collectionPath;
  keyField_ = keyField;
  original_ = entry;
  setMessage(QString(), false);
  auto* form = static_cast<QFormLayout*>(form_->layout());
  while (form->rowCount() > 0) form->removeRow(0);
  fields_.clear();
  for (auto it = entry.begin(); it != entry.end(); ++it) {
    auto* field = new QLineEdit(editable(it.value()), form_);
    field->setObjectName(QStringLiteral("field_") + it.key());
    field->setMinimumHeight(touchTargetPx(this));
    connect(field, &QLineEdit::selectionChanged, this,
            [this, field] { keypad_->setTarget(field); });
    connect(field, &QLineEdit::cursorPositionChanged, this,
            [this, field] { keypad_->setTarget(field); });
    auto* label = makeLabel(it.key(), kBodyPointSize, form_);
    form->addRow(label, field);
    fields_.emplace_back(it.key(), field);
  }
  if (!fields_.empty()) keypad_->setTarget(fields_.front().second);
  remove_->setVisible(removable);
  echo_->setVisible(echo);
}

void ConfigEditor::setMessage(const QString& message, bool problem) {
  showMessage(message_, message, problem);
}

QJsonObject ConfigEditor::collect(QString& problem) const {
  QJsonObject body;
  for (const auto& [key, field] : fields_) {
    const QJsonValue was = original_.value(key);
    if (was.isString() || was.isUndefined() || was.isNull()) {
      body.insert(key, field->text());
      continue;
    }
    // Numbers, true/false and lists are read back as JSON; the service checks the rest.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(('[' + field->text() + ']').toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
      problem = tr("“%1” is not a valid value for %2.").arg(field->text(), key);
      return {};
    }
    body.insert(key, doc.array().first());
  }
  return body;
}

QString ConfigEditor::path() const {
  if (keyField_.isEmpty()) return collectionPath_;
  for (const auto& [key, field] : fields_)
    if (key == keyField_) return collectionPath_ + '/' + pathSegment(field->text());
  return collectionPath_ + '/' + pathSegment(original_.value(keyField_).toString());
}

}  // namespace burnstation::ui
