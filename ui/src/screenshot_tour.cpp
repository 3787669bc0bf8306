// The screenshot tour: see the header.
#include "screenshot_tour.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QLineEdit>
#include <QPixmap>
#include <stdexcept>

#include "demonstration.h"
#include "document_words.h"
#include "kiosk_window.h"
#include "screens/admin_pin_page.h"
#include "screens/admin_screen.h"
#include "screens/clerk_sign_in_screen.h"
#include "screens/clerks_page.h"
#include "screens/data_fixes_page.h"
#include "screens/config_editor.h"
#include "screens/confirm_screen.h"
#include "screens/jobs_screen.h"
#include "screens/medium_screen.h"
#include "screens/start_screen.h"

namespace burnstation::ui {

void tourScreens(KioskWindow& window, const std::function<void(const QString&)>& visit) {
  namespace demo = demonstration;
  window.setConfig(demo::config());
  const QJsonArray patients = demo::patients().value(QStringLiteral("patients")).toArray();
  auto settle = [&] { QApplication::processEvents(); };

  window.showScreen(KioskWindow::Screen::Idle);
  settle();
  visit(QStringLiteral("01-idle"));

  window.showScreen(KioskWindow::Screen::Start);
  window.startScreen()->setPatients(patients);
  window.startScreen()->setClerk(QStringLiteral("山田 花子"));  // where clerks sign in
  settle();
  visit(QStringLiteral("02-start"));

  window.choosePatient(patients.at(0).toObject());
  settle();
  visit(QStringLiteral("03-patient"));

  window.showScreen(KioskWindow::Screen::Medium);
  window.mediumScreen()->setProfiles(demo::config().value(QStringLiteral("profiles")).toArray());
  for (const char* profile : {"cd", "dvd", "usb"})
    window.mediumScreen()->setPlan(QString::fromLatin1(profile),
                                   demo::plan(QString::fromLatin1(profile)));
  window.mediumScreen()->selectProfile(QStringLiteral("cd"));
  settle();
  visit(QStringLiteral("04-medium"));

  window.confirmScreen()->setOrder(
      patients.at(0).toObject(),
      demo::config().value(QStringLiteral("profiles")).toArray().at(0).toObject(), 1,
      demo::plan(QStringLiteral("cd")), 2);
  window.showScreen(KioskWindow::Screen::Confirm);
  settle();
  visit(QStringLiteral("05-confirm"));

  window.showScreen(KioskWindow::Screen::Progress);
  window.showJob(demo::twoDiscJob());
  settle();
  visit(QStringLiteral("06-progress-disc-2-of-2"));
  window.showJob(demo::rejectedDiscJob());
  settle();
  visit(QStringLiteral("07-progress-written-disc-rejected"));
  window.showJob(demo::usbDoneJob());
  settle();
  visit(QStringLiteral("08-progress-usb-done"));

  window.showScreen(KioskWindow::Screen::Jobs);
  window.jobsScreen()->setJobs(demo::jobs().value(QStringLiteral("jobs")).toArray());
  settle();
  visit(QStringLiteral("09-jobs"));

  window.showScreen(KioskWindow::Screen::Admin);
  window.adminScreen()->showPin();
  window.adminScreen()->pinPage()->setMessage(
      QApplication::translate("ScreenshotTour",
                              "Wrong PIN. 4 attempts left before admin locks "
                              "for 5 minutes."));
  settle();
  visit(QStringLiteral("10-admin-pin"));
  window.adminScreen()->setConfig(demo::config());
  window.adminScreen()->showSection(QStringLiteral("remotes"));
  settle();
  visit(QStringLiteral("11-admin-remotes"));
  window.adminScreen()->editor()->edit(
      QStringLiteral("cd"), QStringLiteral("/config/profiles"), QStringLiteral("name"),
      demo::config().value(QStringLiteral("profiles")).toArray().at(0).toObject(), true, false);
  window.adminScreen()->setCurrentWidget(window.adminScreen()->editor());
  window.adminScreen()->editor()->setMessage(
      QApplication::translate("ScreenshotTour",
                              "profile \"cd\": unknown medium \"STD-GEN-CDX\" (line 12)"),
      true);
  settle();
  visit(QStringLiteral("12-admin-profile-refused"));

  window.showScreen(KioskWindow::Screen::SignIn);
  window.signInScreen()->nameField()->setText(QStringLiteral("Yamada Hanako"));
  window.signInScreen()->setMessage(QApplication::translate(
      "ScreenshotTour", "wrong PIN; 2 attempts left before \"Yamada Hanako\" is locked"));
  settle();
  visit(QStringLiteral("13-clerk-sign-in"));
  window.signInScreen()->reset();
  window.startScreen()->setClerk(QString());

  window.showScreen(KioskWindow::Screen::Admin);
  window.adminScreen()->setCurrentWidget(window.adminScreen()->clerksPage());
  window.adminScreen()->clerksPage()->setClerks(
      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("山田 花子")},
                             {QStringLiteral("has_pin"), true},
                             {QStringLiteral("has_badge"), true}},
                 QJsonObject{{QStringLiteral("name"), QStringLiteral("Anna Meier")},
                             {QStringLiteral("has_pin"), true},
                             {QStringLiteral("has_badge"), false}}},
      true);
  settle();
  visit(QStringLiteral("14-admin-clerks"));

  window.adminScreen()->setCurrentWidget(window.adminScreen()->dataFixesPage());
  window.adminScreen()->dataFixesPage()->setItems(
      demo::patients().value(QStringLiteral("patients")).toArray(),
      demo::setAside().value(QStringLiteral("set_aside")).toArray());
  settle();
  visit(QStringLiteral("15-admin-patients-to-check"));
  window.adminScreen()->showPin();
  window.clearPatient();
}

QStringList writeScreenshots(const QString& dir, QSize size) {
  if (!QDir().mkpath(dir))
    throw std::runtime_error("cannot create the directory " + dir.toStdString());
  KioskWindow window{QString()};
  window.resize(size);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  QStringList files;
  tourScreens(window, [&](const QString& name) {
    const QString file = QDir(dir).filePath(name + QStringLiteral(".png"));
    if (!window.grab().save(file, "PNG"))
      throw std::runtime_error("cannot write " + file.toStdString());
    files << file;
  });
  return files;
}

}  // namespace burnstation::ui
