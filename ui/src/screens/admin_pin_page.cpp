// AdminPinPage: see the header.
#include "screens/admin_pin_page.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QVBoxLayout>

#include "keypad.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

AdminPinPage::AdminPinPage(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("backButton"));
  QVBoxLayout* layout = makePageLayout(this, tr("Admin: enter the PIN"), back);
  message_ = makeLabel(QString(), kBodyPointSize, this, "conflict");
  message_->setObjectName(QStringLiteral("pinMessage"));
  message_->hide();
  layout->addWidget(message_);
  auto* row = new QHBoxLayout;
  row->setSpacing(gap * 2);
  auto* entry = new QVBoxLayout;
  pin_ = new QLineEdit(this);
  pin_->setObjectName(QStringLiteral("pinField"));
  pin_->setEchoMode(QLineEdit::Password);
  pin_->setMinimumHeight(touchTargetPx(this));
  pin_->setPlaceholderText(tr("PIN"));
  QPushButton* open = makeButton(tr("Open admin"), this, "action");
  open->setObjectName(QStringLiteral("openAdminButton"));
  entry->addWidget(pin_);
  entry->addWidget(open);
  entry->addStretch(1);
  auto* keypad = new Keypad(Keypad::Keys::Digits, this);
  keypad->setTarget(pin_);
  row->addLayout(entry, 1);
  row->addWidget(keypad);
  layout->addLayout(row, 1);
  connect(back, &QPushButton::clicked, this, &AdminPinPage::leave);
  auto submit = [this] {
    if (!pin_->text().isEmpty()) emit pinEntered(pin_->text());
    pin_->clear();
  };
  connect(open, &QPushButton::clicked, this, submit);
  connect(pin_, &QLineEdit::returnPressed, this, submit);
}

void AdminPinPage::reset() {
  pin_->clear();
  setMessage(QString());
}

void AdminPinPage::setMessage(const QString& message) {
  message_->setText(message);
  message_->setVisible(!message.isEmpty());
}

}  // namespace burnstation::ui
