// KioskWindow's clerk sign-in, where GET /config says [admin] clerk_sign_in: name + PIN or a
// badge opens a clerk session (POST /clerk-session) whose token the job calls carry; "Sign
// out" and the idle timeout end it (DELETE /clerk-session).
#include <QJsonObject>

#include "api_client.h"
#include "kiosk_window.h"
#include "screens/admin_screen.h"
#include "screens/clerk_sign_in_screen.h"
#include "screens/start_screen.h"

namespace burnstation::ui {

bool KioskWindow::clerkSignInOn() const {
  return config_.value(QStringLiteral("admin"))
      .toObject()
      .value(QStringLiteral("clerk_sign_in"))
      .toBool(false);
}

void KioskWindow::askSignIn(Screen next, const QString& message) {
  afterSignIn_ = next;
  signIn_->reset();
  signIn_->setMessage(message);
  showScreen(Screen::SignIn);
}

void KioskWindow::signInWith(const QJsonObject& body) {
  if (!client_) return;
  client_->send("POST", QStringLiteral("/clerk-session"), body, this, [this](const ApiReply& r) {
    if (!r.ok()) return signIn_->setMessage(r.error);
    const QJsonObject session = r.json.toObject();
    client_->setClerkToken(session.value(QStringLiteral("token")).toString());
    clerk_ = session.value(QStringLiteral("clerk")).toString();
    start_->setClerk(clerk_);
    signIn_->reset();
    showScreen(afterSignIn_);
  });
}

void KioskWindow::signOutClerk() {
  if (client_ && client_->hasClerkToken()) {
    // The request carries the token as it is now; the answer changes nothing here.
    client_->send("DELETE", QStringLiteral("/clerk-session"), QJsonValue(QJsonValue::Undefined),
                  this, [](const ApiReply&) {});
    client_->setClerkToken(QString());
  }
  clerk_.clear();
  start_->setClerk(QString());
  signIn_->reset();
}

void KioskWindow::wireSignIn() {
  connect(signIn_, &ClerkSignInScreen::pinEntered, this,
          [this](const QString& name, const QString& pin) {
            signInWith({{QStringLiteral("name"), name}, {QStringLiteral("pin"), pin}});
          });
  connect(signIn_, &ClerkSignInScreen::badgeScanned, this, [this](const QString& badge) {
    signInWith({{QStringLiteral("badge"), badge}});
  });
  connect(signIn_, &ClerkSignInScreen::back, this,
          [this] { showScreen(afterSignIn_ == Screen::Start ? Screen::Idle : afterSignIn_); });
  connect(signIn_, &ClerkSignInScreen::adminRequested, this, [this] {
    admin_->showPin();
    showScreen(Screen::Admin);
  });
  connect(start_, &StartScreen::signOutRequested, this, [this] {
    signOutClerk();
    clearPatient();
    askSignIn(Screen::Start);
  });
}

}  // namespace burnstation::ui
