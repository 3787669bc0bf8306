// The words the screens make of the service's documents (ARCHITECTURE.md "--json
// documents"): DICOM person names for people, dates, sizes, media and states in plain words.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace burnstation::ui {

// "Yamada^Taro=山田^太郎=やまだ^たろう" → "Yamada Taro · 山田 太郎 · やまだ たろう".
QString personName(const QString& dicomName);
// "19700131" → "1970-01-31"; anything else unchanged.
QString displayDate(const QString& dicomDate);
QString displaySex(const QString& sex);
// The service's time stamps (ISO 8601 with offset) as the kiosk's local time to the minute:
// "2026-12-02 11:40"; anything unreadable unchanged.
QString displayTime(const QString& isoTime);
// Decimal units, as the command line's sizes: "1.2 GB".
QString displayBytes(double bytes);
// The kind of medium a profile writes: "CD", "DVD", "BD", "USB".
QString mediumKind(const QJsonObject& profile);
// "1 CD", "3 CDs", "1 USB stick".
QString mediumCount(const QString& kind, int count);
// A job or volume state in plain words.
QString stateWords(const QString& state);
// "12 min 5 s" for a time left.
QString displayDuration(qint64 seconds);

}  // namespace burnstation::ui
