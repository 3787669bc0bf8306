// The words of the documents: see the header.
#include "document_words.h"

#include <QDateTime>

#include <QCoreApplication>
#include <QStringList>

namespace burnstation::ui {

namespace {
QString tr(const char* text) {
  return QCoreApplication::translate("DocumentWords", text);
}
}  // namespace

QString personName(const QString& dicomName) {
  QStringList groups;
  for (const QString& group : dicomName.split(QLatin1Char('='))) {
    QStringList parts;
    // family^given^middle^prefix^suffix: shown as written, prefix first, suffix last.
    const QStringList c = group.split(QLatin1Char('^'));
    for (int i : {3, 0, 1, 2, 4})
      if (i < c.size() && !c[i].trimmed().isEmpty()) parts << c[i].trimmed();
    if (!parts.isEmpty()) groups << parts.join(QLatin1Char(' '));
  }
  return groups.isEmpty() ? tr("(no name)") : groups.join(QStringLiteral(" · "));
}

QString displayDate(const QString& d) {
  if (d.size() == 8 && d.toInt() > 0) return d.left(4) + '-' + d.mid(4, 2) + '-' + d.mid(6, 2);
  return d.isEmpty() ? tr("unknown") : d;
}

QString displayTime(const QString& isoTime) {
  const QDateTime when = QDateTime::fromString(isoTime, Qt::ISODateWithMs);
  if (!when.isValid()) return isoTime;
  return when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString displaySex(const QString& sex) {
  if (sex == QLatin1String("F")) return tr("female");
  if (sex == QLatin1String("M")) return tr("male");
  if (sex == QLatin1String("O")) return tr("other");
  return tr("not given");
}

QString displayBytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000.0 && unit < 4) {
    bytes /= 1000.0;
    ++unit;
  }
  return QStringLiteral("%1 %2").arg(bytes, 0, 'f', unit == 0 ? 0 : 1).arg(units[unit]);
}

QString mediumKind(const QJsonObject& profile) {
  const QString medium = (profile.value(QStringLiteral("medium")).toString() +
                          profile.value(QStringLiteral("name")).toString())
                             .toUpper();
  if (medium.contains(QLatin1String("USB"))) return QStringLiteral("USB");
  if (medium.contains(QLatin1String("BD"))) return QStringLiteral("BD");
  if (medium.contains(QLatin1String("DVD"))) return QStringLiteral("DVD");
  return QStringLiteral("CD");
}

QString mediumCount(const QString& kind, int count) {
  if (kind == QLatin1String("USB"))
    return count == 1 ? tr("1 USB stick") : tr("%1 USB sticks").arg(count);
  return count == 1 ? tr("1 %1").arg(kind) : tr("%1 %2s").arg(count).arg(kind);
}

QString stateWords(const QString& s) {
  if (s == QLatin1String("queued")) return tr("Waiting its turn");
  if (s == QLatin1String("planning")) return tr("Preparing");
  if (s == QLatin1String("waiting_for_media")) return tr("Waiting for a blank disc");
  if (s == QLatin1String("writing")) return tr("Writing");
  if (s == QLatin1String("verifying")) return tr("Checking what was written");
  if (s == QLatin1String("done")) return tr("Done");
  if (s == QLatin1String("failed")) return tr("Failed");
  if (s == QLatin1String("cancelled")) return tr("Cancelled");
  return s;
}

QString displayDuration(qint64 seconds) {
  if (seconds < 60) return tr("%1 s").arg(seconds);
  if (seconds < 3600) return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
  return tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

}  // namespace burnstation::ui
