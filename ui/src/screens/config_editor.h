// The admin's editor of one configuration entry (a profile, an auto-burn rule, a drive, a
// remote, the USB allowlist, the station's AE title and port): one field per key, typed on
// the keypad; saved with PUT, removed with DELETE after a confirmation. The service
// validates: its 422 reason is shown here and nothing changes.
#pragma once

#include <QJsonObject>
#include <QWidget>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;

namespace burnstation::ui {

class Keypad;

class ConfigEditor : public QWidget {
  Q_OBJECT
 public:
  explicit ConfigEditor(QWidget* parent = nullptr);

  // `path` is the resource (/config/profiles/cd); an empty `keyField` value in a new entry
  // is taken from the form when saved (the path then ends with it).
  void edit(const QString& title, const QString& collectionPath, const QString& keyField,
            const QJsonObject& entry, bool removable, bool echo);
  void setMessage(const QString& message, bool problem);

 signals:
  void save(const QString& path, const QJsonObject& body);
  void remove(const QString& path);
  void echo(const QString& aeTitle);
  void leave();

 private:
  QJsonObject collect(QString& problem) const;
  QString path() const;

  QLabel* title_;
  QLabel* message_;
  QWidget* form_;
  Keypad* keypad_;
  QPushButton* remove_;
  QPushButton* echo_;
  QString collectionPath_;
  QString keyField_;
  QJsonObject original_;
  std::vector<std::pair<QString, QLineEdit*>> fields_;
};

}  // namespace burnstation::ui
