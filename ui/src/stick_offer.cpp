// The kiosk's offer to format a stick (see stick_offer.h).
#include "stick_offer.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace burnstation::ui {

QString formattableStick(const QJsonObject& config, const QByteArray& drivesDocument) {
  const bool allowed = config.value(QStringLiteral("usb"))
                           .toObject()
                           .value(QStringLiteral("allow_format"))
                           .toBool(false);
  if (!allowed) return {};
  const QJsonArray drives =
      QJsonDocument::fromJson(drivesDocument).object().value(QStringLiteral("drives")).toArray();
  for (const QJsonValue& d : drives) {
    const QJsonObject drive = d.toObject();
    const QString id = drive.value(QStringLiteral("id")).toString();
    const QJsonObject media = drive.value(QStringLiteral("media")).toObject();
    if (drive.value(QStringLiteral("kind")).toString() == QLatin1String("usb") && !id.isEmpty() &&
        media.value(QStringLiteral("status")).toString() == QLatin1String("refused") &&
        media.value(QStringLiteral("formattable")).toBool(false)) {
      return id;
    }
  }
  return {};
}

}  // namespace burnstation::ui
