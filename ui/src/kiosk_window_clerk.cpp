// KioskWindow's clerk sign-in, where GET /config says [admin] clerk_sign_in: name + PIN or a
// badge opens a clerk session (POST /clerk-session) whose token the job calls carry; "Sign
// out" and the idle timeout end it (DELETE /clerk-session). The admin's clerks page lists,
// adds and removes clerks (GET /clerks, PUT|DELETE /clerks/{name}).
#include <QJsonArray>
#include <QJsonObject>

#include "api_client.h"
#include "kiosk_window.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/clerk_sign_in_screen.h"
#include "screens/clerks_page.h"
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

void KioskWindow::wireClerkAdmin() {
  ClerksPage* page = admin_->clerksPage();
  auto sessionEnded = [this](const ApiReply& r) { return adminSessionEnded(r); };
  connect(page, &ClerksPage::refresh, this, [this, page, sessionEnded] {
    if (!client_) return;
    client_->get(QStringLiteral("/clerks"), this, [page, sessionEnded](const ApiReply& r) {
      if (sessionEnded(r)) return;
      if (!r.ok()) return page->setMessage(r.error, true);
      const QJsonObject doc = r.json.toObject();
      page->setClerks(doc.value(QStringLiteral("clerks")).toArray(),
                      doc.value(QStringLiteral("clerk_sign_in")).toBool());
    });
  });
  connect(
      page, &ClerksPage::save, this,
      [this, page, sessionEnded](const QString& name, const QString& pin, const QString& badge) {
        if (!client_) return;
        QJsonObject body;
        if (!pin.isEmpty()) body.insert(QStringLiteral("pin"), pin);
        if (!badge.isEmpty()) body.insert(QStringLiteral("badge"), badge);
        client_->send("PUT", QStringLiteral("/clerks/%1").arg(pathSegment(name)), body, this,
                      [page, name, sessionEnded](const ApiReply& r) {
                        if (sessionEnded(r)) return;
                        if (!r.ok()) return page->setMessage(r.error, true);
                        page->clearForm();
                        page->setMessage(tr("Clerk “%1” saved.").arg(name), false);
                        emit page->refresh();
                      });
      });
  connect(page, &ClerksPage::remove, this, [this, page, sessionEnded](const QString& name) {
    if (!client_) return;
    client_->send("DELETE", QStringLiteral("/clerks/%1").arg(pathSegment(name)),
                  QJsonValue(QJsonValue::Undefined), this,
                  [page, name, sessionEnded](const ApiReply& r) {
                    if (sessionEnded(r)) return;
                    if (!r.ok()) return page->setMessage(r.error, true);
                    page->setMessage(tr("Clerk “%1” removed.").arg(name), false);
                    emit page->refresh();
                  });
  });
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
  wireClerkAdmin();
  connect(start_, &StartScreen::signOutRequested, this, [this] {
    signOutClerk();
    clearPatient();
    askSignIn(Screen::Start);
  });
}

}  // namespace burnstation::ui
