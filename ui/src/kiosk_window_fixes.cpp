// KioskWindow's admin data fixes: the patients to check come from GET /patients (their
// conflict_details) and GET /set-aside; each decision is one call of the service, which
// records it as an event, and the page is read again from the service afterwards.
#include <QJsonObject>

#include "api_client.h"
#include "kiosk_window.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/data_fixes_page.h"

namespace burnstation::ui {

bool KioskWindow::adminSessionEnded(const ApiReply& r) {
  if (r.status != 401) return false;
  client_->setAdminToken(QString());
  admin_->showPin();
  admin_->pinPage()->setMessage(r.error);
  return true;
}

void KioskWindow::wireDataFixes() {
  DataFixesPage* page = admin_->dataFixesPage();
  connect(page, &DataFixesPage::refresh, this, [this, page] {
    if (!client_) return;
    client_->get(QStringLiteral("/patients"), this, [this, page](const ApiReply& p) {
      if (adminSessionEnded(p)) return;
      if (!p.ok()) return page->setMessage(p.error, true);
      const QJsonArray patients = p.json.toObject().value(QStringLiteral("patients")).toArray();
      client_->get(QStringLiteral("/set-aside"), this, [this, page, patients](const ApiReply& a) {
        if (adminSessionEnded(a)) return;
        if (!a.ok()) return page->setMessage(a.error, true);
        page->setItems(patients, a.json.toObject().value(QStringLiteral("set_aside")).toArray());
      });
    });
  });
  // One decision: the service's answer on the page, then the page and the start screen's
  // marks read again.
  auto decide = [this, page](const char* method, const QString& path, const QJsonValue& body,
                             const QString& done) {
    if (!client_) return;
    client_->send(method, path, body, this, [this, page, done](const ApiReply& r) {
      if (adminSessionEnded(r)) return;
      page->setMessage(r.ok() ? done : r.error, !r.ok());
      emit page->refresh();
      loadPatients();
    });
  };
  connect(page, &DataFixesPage::acknowledge, this,
          [decide](const QString& key, const QString& conflict) {
            decide("POST",
                   QStringLiteral("/patients/%1/conflicts/acknowledge").arg(pathSegment(key)),
                   QJsonObject{{QStringLiteral("conflict"), conflict}}, tr("Marked as checked."));
          });
  connect(page, &DataFixesPage::removePatient, this, [decide](const QString& key) {
    decide("DELETE", QStringLiteral("/patients/%1").arg(pathSegment(key)),
           QJsonValue(QJsonValue::Undefined), tr("The patient was removed from the station."));
  });
  connect(page, &DataFixesPage::keepStoredCopy, this, [decide](qint64 id) {
    decide("POST", QStringLiteral("/set-aside/%1/discard").arg(id), QJsonObject(),
           tr("The copy kept aside was discarded; the stored copy stays."));
  });
  connect(page, &DataFixesPage::useNewCopy, this, [decide](qint64 id) {
    decide("POST", QStringLiteral("/set-aside/%1/replace").arg(id), QJsonObject(),
           tr("The stored copy was replaced with the one kept aside."));
  });
}

}  // namespace burnstation::ui
