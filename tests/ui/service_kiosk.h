// The kiosk against the real service: `burnstation serve` on a temporary data directory
// with a `stdio:` pseudo-drive (a file standing in for the disc in a burner), two patients
// sent with DCMTK's storescu (one with a Japanese name in ISO_IR 192), and the real
// KioskWindow on the service's socket, driven by QtTest clicks on its buttons. The
// documents the kiosk shows are compared with what the service answers through curl, so
// a field the kiosk reads under another name than the service sends fails here.
#pragma once

#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QTest>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>

#include "api_curl.h"
#include "dicom_factory.h"
#include "event_stream.h"
#include "kiosk_style.h"
#include "kiosk_widgets.h"
#include "kiosk_window.h"
#include "screens/idle_screen.h"
#include "screens/medium_screen.h"
#include "screens/patient_screen.h"
#include "screens/start_screen.h"
#include "station_harness.h"

namespace burnstation::ui::test {

namespace fs = std::filesystem;
using nlohmann::json;

// A full burn onto a stdio: drive, verification included (sanitizer builds are slower).
inline constexpr int kBurnMs = 60000;
// Any other answer of the service reaching the screen.
inline constexpr int kAnswerMs = 10000;

class ServiceKioskTest : public ::testing::Test {
 protected:
  static constexpr const char* kYamadaId = "JP-4711";
  static constexpr const char* kErikaId = "DE-0815";

  void SetUp() override {
    fs::create_directories(disc().parent_path());
    std::ofstream(disc()).flush();  // a blank disc in the burner
    std::ofstream(configFile()) << "[station]\nfree_space_reserve = \"50M\"\n"
                                   "[acceptance]\nany_called_ae = true\n"
                                   "[[profile]]\nname = \"cd-span\"\nmedium = \"STD-GEN-CD\"\n"
                                   "preview = \"none\"\n"
                                   "[[drive]]\nname = \"burner\"\naddress = \"stdio:"
                                << disc().string() << "\"\nmedia = \"cd\"\n";
    startService();
    if (HasFatalFailure()) return;
    send(patientInstances(kYamadaId, "山田^太郎", "ISO_IR 192", "19800315", "M",
                          {{"CT THORAX", 3}, {"MR KNEE", 2}}));
    send(patientInstances(kErikaId, "MUSTERMANN^ERIKA", "", "19650702", "F", {{"CR HAND", 1}}));
    waitForPatients(2);
  }

  // The service indexes what it received on its own threads: the patients once listed.
  void waitForPatients(std::size_t count) {
    json listed;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
          listed = harness::apiCall(socket(), "GET", "/patients").json();
          return listed.is_object() && listed["patients"].size() == count;
        },
        kAnswerMs))
        << listed.dump(2) << station->log();
  }

  void TearDown() override {
    window.reset();
    station.reset();
  }

  fs::path data() const { return dir.path() / "data"; }
  fs::path socket() const { return data() / "api.sock"; }
  fs::path disc() const { return dir.path() / "drive" / "disc"; }
  fs::path configFile() const { return dir.path() / "station.test.toml"; }

  void startService() {
    station.emplace(data(), configFile());
    ASSERT_TRUE(QTest::qWaitFor([&] { return fs::exists(socket()); }, kAnswerMs)) << station->log();
  }

  struct Study {
    std::string description;
    int instances;
  };
  std::vector<fs::path> patientInstances(const std::string& id, const std::string& name,
                                         const std::string& charset, const std::string& birth,
                                         const std::string& sex, const std::vector<Study>& studies,
                                         int rows = 64) {
    std::vector<fs::path> files;
    unsigned seed = 1;
    for (const Study& s : studies) {
      testdata::InstanceSpec spec;
      spec.kind = s.description.rfind("MR", 0) == 0   ? testdata::Kind::MR
                  : s.description.rfind("CR", 0) == 0 ? testdata::Kind::CR
                                                      : testdata::Kind::CT;
      spec.patientIdBytes = id;
      spec.patientNameBytes = name;
      spec.specificCharacterSet = charset;
      spec.birthDate = birth;
      spec.sex = sex;
      spec.studyDescription = s.description;
      spec.studyInstanceUid = testdata::newUid();
      spec.seriesInstanceUid = testdata::newUid();
      spec.rows = rows;
      spec.columns = rows;
      for (int i = 0; i < s.instances; ++i) {
        spec.sopInstanceUid.clear();
        spec.instanceNumber = std::to_string(i + 1);
        spec.seed = seed++;
        files.push_back(testdata::writeInstance(spec, dir.path() / "sent" / id));
      }
    }
    return files;
  }
  void send(const std::vector<fs::path>& files) {
    const auto r = harness::storescu(station->port(), files);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err << station->log();
  }

  // The service's own documents, through curl.
  json get(const std::string& path) {
    const auto r = harness::apiCall(socket(), "GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.json();
  }
  json patientDocument(const std::string& patientId) {
    for (const json& p : json(get("/patients")["patients"]))
      if (p["patient_id"] == patientId) return p;
    ADD_FAILURE() << "the service has no patient " << patientId << ": " << get("/patients").dump(2);
    return json::object();
  }
  void setPin(const std::string& pin) {
    const auto r = harness::runCommand(
        {"sh", "-c", "printf '" + pin + "\\n" + pin + "\\n' | \"$0\" admin-pin --data-dir \"$1\"",
         harness::burnstationExe(), data().string()});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  }

  // The kiosk on the service's socket, as `burnstation-kiosk --socket` makes it.
  void openKiosk() {
    applyKioskStyle(*qApp);  // as burnstation-kiosk looks, for the screenshots
    window = std::make_unique<KioskWindow>(QString::fromStdString(socket().string()));
    window->resize(1024, 600);
    // Shown on the offscreen screen (not WA_DontShowOnScreen): a scrolling list replays a
    // held-back press to the widget on screen at its place, which needs the window there.
    window->move(0, 0);
    window->show();
    window->events()->setBackoff(50, 400);  // a restarted service is found again quickly
    window->start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return window->events()->isConnected(); }, kAnswerMs))
        << "the kiosk did not connect to " << socket() << "\n"
        << station->log();
  }

  // A real click on the visible button of that object name.
  void tap(const QString& name, QWidget* within = nullptr) {
    QWidget* parent = within ? within : window.get();
    QPushButton* button = nullptr;
    for (QPushButton* b : parent->findChildren<QPushButton*>(name))
      if (b->isVisibleTo(window.get())) button = b;
    ASSERT_NE(button, nullptr) << "no visible button " << name.toStdString();
    ASSERT_TRUE(button->isEnabled()) << name.toStdString() << " is disabled";
    QTest::mouseClick(button, Qt::LeftButton);
  }
  // A tap on a card (a patient, a study, a medium, a job): press and release inside it.
  void tapCard(const QString& name) {
    QWidget* card = nullptr;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return (card = window->findChild<TapCard*>(name)) != nullptr; }, kAnswerMs))
        << "no card " << name.toStdString();
    touch(card);
  }
  // A touch on w. Below the fold it is flicked into view first, as the clerk would: a touch
  // lands on what is on screen there (the kinetic list replays a press to the widget at its
  // place).
  void touch(QWidget* w) {
    for (QWidget* p = w->parentWidget(); p; p = p->parentWidget())
      if (auto* list = qobject_cast<QScrollArea*>(p)) {
        list->ensureWidgetVisible(w);
        break;
      }
    QApplication::processEvents();
    QTest::mouseClick(w, Qt::LeftButton);
  }
  void typeOnKeypad(const QString& text, QWidget* within) {
    for (QChar c : text)
      tap(QStringLiteral("key_") + (c == ' ' ? QStringLiteral("space") : QString(c)), within);
  }
  // The texts of the visible labels inside w.
  static QStringList labels(QWidget* w) {
    QStringList texts;
    for (QLabel* l : w->findChildren<QLabel*>())
      if (!l->text().isEmpty() && l->isVisibleTo(w)) texts << l->text();
    return texts;
  }
  bool waitForLabel(QWidget* w, const QString& text, int ms = kAnswerMs) {
    return QTest::qWaitFor([&] { return labels(w).contains(text); }, ms);
  }
  QString shownLabel(const QString& objectName) const {
    for (QLabel* l : window->findChildren<QLabel*>(objectName))
      if (l->isVisibleTo(window.get())) return l->text();
    return {};
  }

  // The clerk's way to the confirm screen: touch to start, the patient ID on the keypad,
  // the patient, the medium.
  void orderUpToConfirm(const std::string& patientKey, const QString& idDigits,
                        const QString& profile) {
    QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
    ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Start);
    typeOnKeypad(idDigits, window->startScreen());
    tapCard(QStringLiteral("patient_") + QString::fromStdString(patientKey));
    ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Patient);
    tap(QStringLiteral("nextButton"), window->patientScreen());
    ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Medium);
    tapCard(QStringLiteral("profile_") + profile);
    QWidget* medium = window->mediumScreen();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
          auto* next = medium->findChild<QPushButton*>(QStringLiteral("nextButton"));
          return next && next->isEnabled();
        },
        kAnswerMs))
        << "no plan for " << profile.toStdString() << ": "
        << labels(medium).join(" | ").toStdString();
  }

  // The job the kiosk follows, from the service (the kiosk's order is its only job).
  json onlyJob() {
    const json jobs = get("/jobs")["jobs"];
    EXPECT_EQ(jobs.size(), 1u) << jobs.dump(2);
    return jobs.empty() ? json::object() : jobs[0];
  }
  json job(const json& id) { return get("/jobs/" + id.dump()); }

  // The instructions on the progress screen's volume cards, in order.
  QStringList instructions() const {
    QStringList out;
    for (QLabel* l : window->findChildren<QLabel*>(QStringLiteral("instruction")))
      if (l->isVisibleTo(window.get())) out << l->text();
    return out;
  }
  bool waitForInstructions(const QStringList& expected, int ms) {
    return QTest::qWaitFor([&] { return instructions() == expected; }, ms);
  }

  // The confirmation box of a destructive action, and its button with that label.
  QAbstractButton* confirmationButton(const QString& text) {
    QMessageBox* box = nullptr;
    if (!QTest::qWaitFor(
            [&] {
              return (box = window->findChild<QMessageBox*>("confirmDestructive")) != nullptr;
            },
            kAnswerMs))
      return nullptr;
    for (QAbstractButton* b : box->buttons())
      if (b->text() == text) return b;
    return nullptr;
  }

  // The screen as it is now, at the smallest and the largest size the kiosk must hold,
  // kept as build-dev/artifacts/kiosk-service/NAME-WxH.png.
  void keepScreenshot(const QString& name) {
    const QString out = QStringLiteral(BURNSTATION_BINARY_DIR "/artifacts/kiosk-service");
    QDir().mkpath(out);
    const QSize was = window->size();
    for (const QSize size : {QSize(1024, 600), QSize(1920, 1080)}) {
      window->resize(size);
      QApplication::processEvents();
      const QString file =
          QStringLiteral("%1/%2-%3x%4.png").arg(out, name).arg(size.width()).arg(size.height());
      EXPECT_TRUE(window->grab().save(file)) << file.toStdString();
    }
    window->resize(was);
    QApplication::processEvents();
  }

  harness::TempDir dir;
  std::optional<harness::Station> station;
  std::unique_ptr<KioskWindow> window;
};

}  // namespace burnstation::ui::test
