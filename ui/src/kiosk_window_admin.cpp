// KioskWindow's admin calls: the PIN opens a session (POST /session), then configuration
// changes go through PUT/DELETE /config/..., and a remote can be tested with C-ECHO.
#include <QJsonObject>

#include "api_client.h"
#include "kiosk_window.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/config_editor.h"

namespace burnstation::ui {

void KioskWindow::wireAdmin() {
  connect(admin_, &AdminScreen::leave, this, [this] {
    if (client_) client_->setAdminToken(QString());
    admin_->showPin();
    showScreen(Screen::Start);
  });
  connect(admin_->pinPage(), &AdminPinPage::pinEntered, this, [this](const QString& pin) {
    if (!client_) return;
    client_->send(
        "POST", QStringLiteral("/session"), QJsonObject{{QStringLiteral("pin"), pin}}, this,
        [this](const ApiReply& r) {
          if (!r.ok()) return admin_->pinPage()->setMessage(r.error);
          client_->setAdminToken(r.json.toObject().value(QStringLiteral("token")).toString());
          client_->get(QStringLiteral("/config"), this, [this](const ApiReply& c) {
            if (!c.ok()) return admin_->pinPage()->setMessage(c.error);
            setConfig(c.json.toObject());
            admin_->setConfig(config_);
          });
        });
  });
  auto afterChange = [this](const ApiReply& r, const QString& done) {
    if (r.status == 401) {
      // The session ran out: the PIN again, then the change again.
      client_->setAdminToken(QString());
      admin_->showPin();
      return admin_->pinPage()->setMessage(r.error);
    }
    if (!r.ok()) return admin_->editor()->setMessage(r.error, true);
    admin_->editor()->setMessage(done, false);
    client_->get(QStringLiteral("/config"), this, [this](const ApiReply& c) {
      if (c.ok()) setConfig(c.json.toObject());
    });
  };
  connect(admin_->editor(), &ConfigEditor::save, this,
          [this, afterChange](const QString& path, const QJsonObject& body) {
            if (!client_) return;
            client_->send("PUT", path, body, this,
                          [afterChange](const ApiReply& r) { afterChange(r, tr("Saved.")); });
          });
  connect(admin_->editor(), &ConfigEditor::remove, this, [this, afterChange](const QString& path) {
    if (!client_) return;
    client_->send("DELETE", path, QJsonValue(QJsonValue::Undefined), this,
                  [afterChange](const ApiReply& r) { afterChange(r, tr("Removed.")); });
  });
  connect(admin_->editor(), &ConfigEditor::echo, this, [this](const QString& ae) {
    if (!client_) return;
    client_->send(
        "POST", QStringLiteral("/remotes/%1/echo").arg(pathSegment(ae)), QJsonObject(), this,
        [this, ae](const ApiReply& r) {
          const QJsonObject doc = r.json.toObject();
          const bool ok = r.ok() && doc.value(QStringLiteral("ok")).toBool(true);
          QString text =
              ok ? tr("%1 answered the echo.").arg(ae)
                 : tr("%1 did not answer: %2")
                       .arg(ae, r.ok() ? doc.value(QStringLiteral("detail")).toString() : r.error);
          admin_->editor()->setMessage(text, !ok);
        });
  });
  wireDataFixes();
}

}  // namespace burnstation::ui
