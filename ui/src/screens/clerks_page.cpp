// ClerksPage: see the header.
#include "screens/clerks_page.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLineEdit>
#include <QVBoxLayout>

#include "keypad.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

ClerksPage::ClerksPage(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("clerksBack"));
  QVBoxLayout* layout = makePageLayout(this, tr("Clerks"), back);

  auto* row = new QHBoxLayout;
  row->setSpacing(gap * 2);
  auto* left = new QVBoxLayout;
  left->setSpacing(gap);
  state_ = makeLabel(QString(), kBodyPointSize, this, "muted");
  state_->setObjectName(QStringLiteral("clerkSignInState"));
  list_ = new KineticList(this);
  const auto field = [this](const char* name, const QString& placeholder, bool secret) {
    auto* edit = new QLineEdit(this);
    edit->setObjectName(QString::fromLatin1(name));
    edit->setPlaceholderText(placeholder);
    edit->setMinimumHeight(touchTargetPx(this));
    if (secret) edit->setEchoMode(QLineEdit::Password);
    edit->installEventFilter(this);
    return edit;
  };
  name_ = field("clerkName", tr("Name"), false);
  pin_ = field("clerkPin", tr("PIN (4 digits or more)"), true);
  badge_ = field("clerkBadge", tr("Badge: scan it here"), true);
  message_ = makeLabel(QString(), kBodyPointSize, this);
  message_->setObjectName(QStringLiteral("clerksMessage"));
  message_->hide();
  QPushButton* saveButton = makeButton(tr("Save clerk"), this, "action");
  saveButton->setObjectName(QStringLiteral("saveClerk"));
  left->addWidget(state_);
  left->addWidget(list_, 1);
  left->addWidget(name_);
  left->addWidget(pin_);
  left->addWidget(badge_);
  left->addWidget(message_);
  left->addWidget(saveButton);
  keypad_ = new Keypad(Keypad::Keys::LettersAndDigits, this);
  keypad_->setTarget(name_);
  row->addLayout(left, 1);
  row->addWidget(keypad_, 1);
  layout->addLayout(row, 1);

  connect(back, &QPushButton::clicked, this, &ClerksPage::leave);
  connect(saveButton, &QPushButton::clicked, this, [this] {
    const QString name = name_->text().trimmed();
    if (name.isEmpty()) return setMessage(tr("Type the clerk's name."), true);
    if (pin_->text().isEmpty() && badge_->text().isEmpty())
      return setMessage(tr("Give the clerk a PIN, a badge or both."), true);
    emit save(name, pin_->text(), badge_->text());
  });
}

bool ClerksPage::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::FocusIn || event->type() == QEvent::MouseButtonPress)
    if (auto* edit = qobject_cast<QLineEdit*>(watched)) keypad_->setTarget(edit);
  return QWidget::eventFilter(watched, event);
}

void ClerksPage::setClerks(const QJsonArray& clerks, bool signInOn) {
  state_->setText(signInOn ? tr("Clerks sign in before burning.")
                           : tr("Clerk sign-in is off ([admin] clerk_sign_in): jobs do not "
                                "ask who burns them."));
  list_->clearRows();
  int row = 0;
  for (const QJsonValue& v : clerks) {
    const QJsonObject clerk = v.toObject();
    const QString name = clerk.value(QStringLiteral("name")).toString();
    auto* line = new QWidget;
    auto* h = new QHBoxLayout(line);
    h->setContentsMargins(0, 0, 0, 0);
    QStringList how;
    if (clerk.value(QStringLiteral("has_pin")).toBool()) how << tr("PIN");
    if (clerk.value(QStringLiteral("has_badge")).toBool()) how << tr("badge");
    if (clerk.value(QStringLiteral("locked")).toBool()) how << tr("locked");
    h->addWidget(
        makeLabel(tr("%1 (%2)").arg(name, how.join(QStringLiteral(", "))), kBodyPointSize, line),
        1);
    QPushButton* removeButton = makeButton(tr("Remove"), line, "danger");
    removeButton->setObjectName(QStringLiteral("removeClerk_") + name);
    connect(removeButton, &QPushButton::clicked, this, [this, name] {
      confirmDestructive(this, tr("Remove clerk “%1”? They can no longer sign in.").arg(name),
                         tr("Remove the clerk"), tr("Keep the clerk"),
                         [this, name] { emit remove(name); });
    });
    h->addWidget(removeButton);
    list_->rows()->insertWidget(row++, line);
  }
  if (clerks.isEmpty())
    list_->rows()->insertWidget(0, makeLabel(tr("No clerks yet."), kBodyPointSize, nullptr));
}

void ClerksPage::setMessage(const QString& message, bool isError) {
  showMessage(message_, message, isError);
}

void ClerksPage::clearForm() {
  name_->clear();
  pin_->clear();
  badge_->clear();
  keypad_->setTarget(name_);
}

}  // namespace burnstation::ui
