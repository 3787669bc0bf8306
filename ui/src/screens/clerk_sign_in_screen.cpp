// ClerkSignInScreen: see the header.
#include "screens/clerk_sign_in_screen.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "badge_reader.h"
#include "keypad.h"
#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

ClerkSignInScreen::ClerkSignInScreen(QWidget* parent) : QWidget(parent) {
  const int gap = touchGapPx(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  auto* top = new QHBoxLayout;
  top->addWidget(makeLabel(tr("Sign in to burn"), kTitlePointSize, this), 1);
  QPushButton* admin = makeButton(tr("Admin"), this);
  admin->setObjectName(QStringLiteral("signInAdminButton"));
  QPushButton* back = makeButton(tr("Back"), this);
  back->setObjectName(QStringLiteral("signInBackButton"));
  top->addWidget(admin);
  top->addWidget(back);
  layout->addLayout(top);

  auto* row = new QHBoxLayout;
  row->setSpacing(gap * 2);
  auto* entry = new QVBoxLayout;
  entry->setSpacing(gap);
  entry->addWidget(
      makeLabel(tr("Scan your badge, or type your name and PIN."), kBodyPointSize, this));
  name_ = new QLineEdit(this);
  name_->setObjectName(QStringLiteral("clerkNameField"));
  name_->setMinimumHeight(touchTargetPx(this));
  name_->setPlaceholderText(tr("Your name"));
  pin_ = new QLineEdit(this);
  pin_->setObjectName(QStringLiteral("clerkPinField"));
  pin_->setEchoMode(QLineEdit::Password);
  pin_->setMinimumHeight(touchTargetPx(this));
  pin_->setPlaceholderText(tr("PIN"));
  message_ = makeLabel(QString(), kBodyPointSize, this, "conflict");
  message_->setObjectName(QStringLiteral("clerkMessage"));
  message_->hide();
  QPushButton* signIn = makeButton(tr("Sign in"), this, "action");
  signIn->setObjectName(QStringLiteral("clerkSignInButton"));
  entry->addWidget(name_);
  entry->addWidget(pin_);
  entry->addWidget(message_);
  entry->addWidget(signIn);
  entry->addStretch(1);

  // The letters for the name, the digits for the PIN: whichever field was tapped last.
  keypads_ = new QStackedWidget(this);
  auto* letters = new Keypad(Keypad::Keys::LettersAndDigits, keypads_);
  letters->setTarget(name_);
  auto* digits = new Keypad(Keypad::Keys::Digits, keypads_);
  digits->setTarget(pin_);
  keypads_->addWidget(letters);
  keypads_->addWidget(digits);
  row->addLayout(entry, 1);
  row->addWidget(keypads_, 1);
  layout->addLayout(row, 1);

  name_->installEventFilter(this);
  pin_->installEventFilter(this);
  auto* reader = new BadgeReader(name_);
  connect(reader, &BadgeReader::scanned, this, [this](const QString& badge) {
    pin_->clear();
    emit badgeScanned(badge);
  });
  connect(back, &QPushButton::clicked, this, &ClerkSignInScreen::back);
  connect(admin, &QPushButton::clicked, this, &ClerkSignInScreen::adminRequested);
  connect(signIn, &QPushButton::clicked, this, &ClerkSignInScreen::submit);
  connect(pin_, &QLineEdit::returnPressed, this, &ClerkSignInScreen::submit);
  connect(name_, &QLineEdit::returnPressed, this, [this] { pin_->setFocus(); });
}

bool ClerkSignInScreen::eventFilter(QObject* watched, QEvent* event) {
  // A tap as well as focus: a window that is not active (yet) gets no focus events.
  if (event->type() == QEvent::FocusIn || event->type() == QEvent::MouseButtonPress)
    keypads_->setCurrentIndex(watched == pin_ ? 1 : 0);
  return QWidget::eventFilter(watched, event);
}

void ClerkSignInScreen::submit() {
  const QString name = name_->text().trimmed();
  if (name.isEmpty()) return setMessage(tr("Type your name first, or scan your badge."));
  if (pin_->text().isEmpty()) {
    pin_->setFocus();
    return setMessage(tr("Type your PIN."));
  }
  emit pinEntered(name, pin_->text());
  pin_->clear();
}

void ClerkSignInScreen::reset() {
  name_->clear();
  pin_->clear();
  setMessage(QString());
  keypads_->setCurrentIndex(0);
  name_->setFocus();  // a scanner's keystrokes land in the name field
}

void ClerkSignInScreen::setMessage(const QString& message) {
  message_->setText(message);
  message_->setVisible(!message.isEmpty());
}

}  // namespace burnstation::ui
