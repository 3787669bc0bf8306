// Built-in demonstration documents for `burnstation-kiosk --screenshots`: patients with a
// Japanese and a German name, a conflict, studies still arriving, plans, a job spanning two
// discs, a rejected written disc and a finished USB job. They have the shape of the local
// API's documents (ARCHITECTURE.md), so the screens show them as they would the service's.
#pragma once

#include <QJsonObject>

namespace burnstation::ui::demonstration {

QJsonObject config();
QJsonObject patients();  // {"patients": [...]}
QJsonObject setAside();  // {"set_aside": [...]}, as GET /set-aside
QJsonObject plan(const QString& profile);
QJsonObject twoDiscJob();       // disc 1 written, "insert disc 2 of 2"
QJsonObject rejectedDiscJob();  // a written disc was inserted
QJsonObject usbDoneJob();       // written and verified: the stick may be removed
QJsonObject jobs();             // {"jobs": [...]}

}  // namespace burnstation::ui::demonstration
