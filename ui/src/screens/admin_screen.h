// Screen 7, Admin (behind the PIN): profiles, auto-burn rules, drives, remotes (with a
// C-ECHO test), the USB allowlist and the station's AE title and port, from GET /config;
// an entry opens in the editor; the clerks who may sign in (clerks_page.h); and the patients
// to check (data_fixes_page.h).
#pragma once

#include <QJsonObject>
#include <QStackedWidget>

class QLabel;

namespace burnstation::ui {

class AdminPinPage;
class ClerksPage;
class ConfigEditor;
class DataFixesPage;
class KineticList;

class AdminScreen : public QStackedWidget {
  Q_OBJECT
 public:
  explicit AdminScreen(QWidget* parent = nullptr);

  void showPin();
  void setConfig(const QJsonObject& config);  // and shows the sections
  AdminPinPage* pinPage() const { return pin_; }
  ConfigEditor* editor() const { return editor_; }
  ClerksPage* clerksPage() const { return clerks_; }
  DataFixesPage* dataFixesPage() const { return fixes_; }
  // The clerks page (it asks for GET /clerks through ClerksPage::refresh).
  void showClerks();
  // The patients to check (it asks for them through DataFixesPage::refresh).
  void showDataFixes();
  void showSection(const QString& section);

 signals:
  void leave();

 private:
  struct Section {
    QString id;  // the key of GET /config
    QString title;
    QString path;      // the resource under /config
    QString keyField;  // empty: the section is one object, changed with PUT only
  };
  const Section* section(const QString& id) const;
  void openEntry(const Section& section, const QJsonObject& entry, bool isNew);

  AdminPinPage* pin_;
  QWidget* sections_;
  ConfigEditor* editor_;
  ClerksPage* clerks_;
  DataFixesPage* fixes_;
  KineticList* entries_;
  QLabel* sectionTitle_;
  QJsonObject config_;
  QString current_;
  std::vector<Section> known_;
};

}  // namespace burnstation::ui
