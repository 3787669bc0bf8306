// Which stick the kiosk offers to format, from the service's documents: the decision is the
// service's, the offer only saves a clerk from asking for what it would refuse.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace burnstation::ui {

// The id of a stick the drives document shows refused for its filesystem alone
// ("formattable"), where the configuration lets clerks format sticks ([usb] allow_format);
// empty otherwise. A stick the allowlist refuses gets no offer: no format makes it allowed.
QString formattableStick(const QJsonObject& config, const QByteArray& drivesDocument);

}  // namespace burnstation::ui
