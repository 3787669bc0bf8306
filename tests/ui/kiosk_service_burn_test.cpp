// A clerk's burns at the kiosk against the real service and a stdio: pseudo-drive: search
// on the keypad, patient, medium, confirm, progress and "done — take your disc" with a real
// disc image written; a written disc refused until a blank one is put in; a selection that
// needs two discs asking for the second; a cancel that asks first. What the screens say is
// checked against the service's own documents.
#include <QDateTime>

#include "screens/confirm_screen.h"
#include "screens/jobs_screen.h"
#include "screens/progress_screen.h"
#include "service_kiosk.h"

namespace burnstation::ui::test {
namespace {

class KioskServiceBurnTest : public ServiceKioskTest {};

TEST_F(KioskServiceBurnTest, SearchPatientMediumConfirmAndADiscIsBurned) {
  openKiosk();
  const json yamada = patientDocument(kYamadaId);
  const json erika = patientDocument(kErikaId);
  ASSERT_EQ(yamada["patient_name"], "山田^太郎") << yamada.dump(2);
  ASSERT_EQ(yamada["studies"].size(), 2u);
  const QString yamadaKey = QString::fromStdString(yamada["key"].get<std::string>());
  const QString yamadaName = QString::fromUtf8("山田 太郎");
  const QString erikaKey = QString::fromStdString(erika["key"].get<std::string>());

  // Touch to start: the recent arrivals are both patients, names in their character sets.
  QTest::mouseClick(window->idleScreen(), Qt::LeftButton);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Start);
  QWidget* start = window->startScreen();
  ASSERT_TRUE(waitForLabel(start, QString::fromUtf8("山田 太郎")))
      << labels(start).join(" | ").toStdString();
  EXPECT_TRUE(labels(start).contains("MUSTERMANN ERIKA"))
      << labels(start).join(" | ").toStdString();
  EXPECT_TRUE(labels(start).contains(QString::fromUtf8("ID JP-4711 · born 1980-03-15 · 2 studies")))
      << labels(start).join(" | ").toStdString();
  EXPECT_TRUE(labels(start).contains(QString::fromUtf8("ID DE-0815 · born 1965-07-02 · 1 study")));
  keepScreenshot("01-start-recent-arrivals");

  // The patient ID typed on the keypad: only that patient is left.
  typeOnKeypad("JP-4711", start);
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return start->findChild<TapCard*>("patient_" + erikaKey) == nullptr; }, kAnswerMs));
  ASSERT_NE(start->findChild<TapCard*>("patient_" + yamadaKey), nullptr);
  EXPECT_TRUE(labels(start).contains("Search results"));
  keepScreenshot("02-start-search");

  tapCard("patient_" + yamadaKey);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Patient);
  QWidget* patient = window->patientScreen();
  EXPECT_TRUE(labels(patient).contains(QString::fromUtf8("山田 太郎")));
  EXPECT_TRUE(
      labels(patient).contains(QString::fromUtf8("Patient ID JP-4711 · born 1980-03-15 · male")))
      << labels(patient).join(" | ").toStdString();
  // One card per study of the service's document, with its instance count.
  for (const json& study : yamada["studies"]) {
    const QString uid = QString::fromStdString(study["study_uid"].get<std::string>());
    auto* card = patient->findChild<TapCard*>("study_" + uid);
    ASSERT_NE(card, nullptr) << uid.toStdString();
    const QStringList texts = labels(card);
    const QString images = QStringLiteral("%1 images, ").arg(study["instances"].get<int>());
    EXPECT_TRUE(texts.join("\n").contains(images)) << texts.join(" | ").toStdString();
    EXPECT_TRUE(
        texts.join("\n").contains(QString::fromStdString(study["description"].get<std::string>())))
        << texts.join(" | ").toStdString();
    EXPECT_TRUE(texts.contains(QString::fromUtf8("✓ Goes on the medium")));
  }
  const json thorax = yamada["studies"][0]["description"] == "CT THORAX" ? yamada["studies"][0]
                                                                         : yamada["studies"][1];
  EXPECT_EQ(thorax["instances"], 3);
  keepScreenshot("03-patient");

  tap("nextButton", patient);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Medium);
  QWidget* medium = window->mediumScreen();
  // Every profile of the service's configuration is offered, each with its plan's answer.
  for (const json& p : json(get("/config")["profiles"]))
    EXPECT_NE(medium->findChild<TapCard*>("profile_" + QString::fromStdString(p["name"])), nullptr)
        << p.dump();
  auto* cd = medium->findChild<TapCard*>("profile_cd");
  ASSERT_NE(cd, nullptr);
  ASSERT_TRUE(QTest::qWaitFor([&] { return labels(cd).contains("fits on 1 CD"); }, kAnswerMs))
      << labels(cd).join(" | ").toStdString();
  keepScreenshot("04-medium");
  tapCard("profile_cd");
  tap("nextButton", medium);

  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Confirm);
  QWidget* confirm = window->confirmScreen();
  EXPECT_EQ(shownLabel("confirmName"), QString::fromUtf8("山田 太郎"));
  // Patient safety: each of these in large type, from the service's document.
  EXPECT_EQ(shownLabel("confirmPatientId"), QStringLiteral("Patient ID: JP-4711"));
  EXPECT_EQ(shownLabel("confirmBirthDate"), QStringLiteral("Born: 1980-03-15"));
  EXPECT_EQ(shownLabel("confirmSex"), QStringLiteral("Sex: male"));
  EXPECT_TRUE(labels(confirm).contains(QString::fromUtf8("2 studies on 1 CD × 1 copy = 1 CD")))
      << labels(confirm).join(" | ").toStdString();
  keepScreenshot("05-confirm");
  EXPECT_TRUE(get("/jobs")["jobs"].empty());  // nothing is queued before the clerk confirms
  tap("burnButton", confirm);

  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return window->currentScreen() == KioskWindow::Screen::Progress; }, kAnswerMs))
      << labels(window->confirmScreen()).join(" | ").toStdString();
  const json queued = onlyJob();
  EXPECT_EQ(queued["patient_key"], yamada["key"]);
  EXPECT_EQ(queued["profile"], "cd");
  EXPECT_EQ(queued["copies"], 1);
  EXPECT_EQ(queued["drive"], "burner");
  QWidget* progress = window->progressScreen();
  EXPECT_TRUE(waitForLabel(progress, QStringLiteral("Burning job %1").arg(queued["id"].get<int>())))
      << labels(progress).join(" | ").toStdString();
  keepScreenshot("06-progress");

  ASSERT_TRUE(waitForInstructions({QString::fromUtf8("Done — take your disc")}, kBurnMs))
      << instructions().join(" | ").toStdString() << "\n"
      << onlyJob().dump(2) << station->log();
  // The volume is done before the job is: the job's words follow once the service has them.
  json done;
  ASSERT_TRUE(QTest::qWaitFor([&] { return (done = onlyJob())["state"] == "done"; }, kBurnMs))
      << done.dump(2);
  const QString doneWords =
      QStringLiteral("Done: ") + QString::fromStdString(done["message"].get<std::string>());
  EXPECT_TRUE(QTest::qWaitFor([&] { return shownLabel("jobState") == doneWords; }, kAnswerMs))
      << shownLabel("jobState").toStdString();
  EXPECT_TRUE(labels(progress).contains("CD 1 of 1")) << labels(progress).join(" | ").toStdString();
  keepScreenshot("07-done-take-your-disc");
  // The disc in the pseudo-drive is the patient's, readable and checked by the service.
  const auto verify =
      harness::burnstation({"verify", "stdio:" + disc().string(), "--data-dir", data().string()});
  EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;

  // Next patient: nothing of this one stays on screen.
  tap("doneButton", progress);
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Start);
  EXPECT_TRUE(window->patient().isEmpty());
  EXPECT_FALSE(labels(window->confirmScreen()).join("\n").contains(QString::fromUtf8("山田")));

  // The jobs screen shows the job as the service has it, with a label to reprint.
  tap("jobsButton", window->startScreen());
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Jobs);
  const QString id = QString::number(done["id"].get<int>());
  TapCard* row = nullptr;
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return (row = window->jobsScreen()->findChild<TapCard*>("job_" + id)) != nullptr; },
      kAnswerMs));
  // The patient by name (the job document carries it, as the patients document spells it),
  // not by key.
  EXPECT_EQ(done["patient_name"], yamada["patient_name"]);
  EXPECT_TRUE(labels(row).contains(QStringLiteral("Job %1 · %2 · cd").arg(id, yamadaName)))
      << labels(row).join(" | ").toStdString();
  // The state in words, the service's message and when it last changed, in local time.
  const QString updated =
      QDateTime::fromString(QString::fromStdString(done["updated"].get<std::string>()),
                            Qt::ISODateWithMs)
          .toLocalTime()
          .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
  ASSERT_EQ(updated.size(), 16);
  EXPECT_TRUE(labels(row).contains(
      QStringLiteral("Done: %1 · %2")
          .arg(QString::fromStdString(done["message"].get<std::string>()), updated)))
      << labels(row).join(" | ").toStdString();
  EXPECT_NE(row->findChild<QPushButton*>(QStringLiteral("reprint_%1_1").arg(id)), nullptr);
  keepScreenshot("08-jobs");
  tapCard("job_" + id);  // a tap follows the job
  ASSERT_EQ(window->currentScreen(), KioskWindow::Screen::Progress);
  EXPECT_TRUE(waitForLabel(progress, "Burning job " + id));
}

TEST_F(KioskServiceBurnTest, AWrittenDiscIsRefusedUntilABlankOneIsInserted) {
  std::ofstream(disc()) << std::string(64 * 1024, 'x');  // a disc that already holds data
  openKiosk();
  const json erika = patientDocument(kErikaId);
  orderUpToConfirm(erika["key"], "DE-0815", "cd");
  tap("nextButton", window->mediumScreen());
  tap("burnButton", window->confirmScreen());
  const QString written =
      QString::fromUtf8("This disc is already written — take it out and insert a blank one");
  ASSERT_TRUE(waitForInstructions({written}, kBurnMs))
      << instructions().join(" | ").toStdString() << "\n"
      << onlyJob().dump(2);
  // The reason the kiosk gives is the service's reason for this volume.
  const json waiting = onlyJob();
  EXPECT_EQ(waiting["state"], "waiting_for_media");
  const std::string reason = waiting["volumes"][0]["reject_reason"];
  ASSERT_FALSE(reason.empty()) << waiting.dump(2);
  EXPECT_TRUE(labels(window->progressScreen())
                  .contains(QStringLiteral("Why: ") + QString::fromStdString(reason)))
      << labels(window->progressScreen()).join(" | ").toStdString();
  EXPECT_EQ(fs::file_size(disc()), 64u * 1024);  // nothing was written over it
  keepScreenshot("09-disc-already-written");

  fs::remove(disc());
  std::ofstream(disc()).flush();  // the clerk puts in a blank disc
  ASSERT_TRUE(waitForInstructions({QString::fromUtf8("Done — take your disc")}, kBurnMs))
      << instructions().join(" | ").toStdString() << "\n"
      << onlyJob().dump(2);
  EXPECT_TRUE(QTest::qWaitFor([&] { return onlyJob()["state"] == "done"; }, kBurnMs))
      << onlyJob().dump(2);
  EXPECT_EQ(
      harness::burnstation({"verify", "stdio:" + disc().string(), "--data-dir", data().string()})
          .exitCode,
      0);
}

TEST_F(KioskServiceBurnTest, ASelectionOnTwoDiscsAsksForTheSecond) {
  // A third patient big enough to span two discs of a profile made small for this test.
  send(patientInstances("SP-2", "SPAN^SARAH", "", "19900101", "F", {{"CT ABDOMEN", 8}}, 256));
  const json span = patientDocument("SP-2");
  // The planner packs by a volume's upper bound: the capacity is the first of a few below
  // the whole selection's bound for which the service's own plan needs exactly two discs.
  const auto whole = harness::apiCall(socket(), "POST", "/plans",
                                      json{{"patient", span["key"]}, {"profile", "cd-span"}});
  ASSERT_EQ(whole.status, 200) << whole.body;
  ASSERT_EQ(whole.json()["volumes"].size(), 1u);
  const std::uint64_t bound = whole.json()["volumes"][0]["upper_bound_bytes"];
  std::string capacity;
  for (int eighths = 7; eighths >= 4 && capacity.empty(); --eighths) {
    const std::string tried = std::to_string(bound * eighths / 8);
    const auto plan = harness::apiCall(
        socket(), "POST", "/plans",
        json{{"patient", span["key"]}, {"profile", "cd-span"}, {"capacity", tried}});
    if (plan.status == 200 && plan.json()["volumes"].size() == 2) capacity = tried;
  }
  ASSERT_FALSE(capacity.empty()) << "no capacity below " << bound << " makes two discs";
  setPin("246810");
  const auto session = harness::apiCall(socket(), "POST", "/session", json{{"pin", "246810"}});
  ASSERT_EQ(session.status, 201) << session.body;
  const auto smaller =
      harness::apiCall(socket(), "PUT", "/config/profiles/cd-span",
                       json{{"medium", "STD-GEN-CD"}, {"preview", "none"}, {"capacity", capacity}},
                       session.json()["token"]);
  ASSERT_EQ(smaller.status, 200) << smaller.body;

  openKiosk();
  orderUpToConfirm(span["key"], "SP-2", "cd-span");
  QWidget* medium = window->mediumScreen();
  auto* card = medium->findChild<TapCard*>("profile_cd-span");
  ASSERT_TRUE(
      QTest::qWaitFor([&] { return labels(card).join("\n").contains("needs 2 CDs"); }, kAnswerMs))
      << labels(card).join(" | ").toStdString();
  keepScreenshot("10-medium-two-discs");
  tap("nextButton", medium);
  EXPECT_TRUE(labels(window->confirmScreen())
                  .contains(QString::fromUtf8("1 study on 2 CDs × 1 copy = 2 CDs")))
      << labels(window->confirmScreen()).join(" | ").toStdString();
  tap("burnButton", window->confirmScreen());

  // Disc 1 is written; a stdio: drive keeps it "inserted" (a burner would eject it) and the
  // job refuses it for disc 2. The clerk takes it out: the drive is empty (its folder goes
  // away with the file), and the kiosk asks for the second disc.
  const QString written =
      QString::fromUtf8("This disc is already written — take it out and insert a blank one");
  ASSERT_TRUE(waitForInstructions({QString::fromUtf8("Done — take your disc"), written}, kBurnMs))
      << instructions().join(" | ").toStdString() << "\n"
      << get("/jobs").dump(2);
  const fs::path taken = dir.path() / "taken-out";
  fs::rename(disc().parent_path(), taken);
  const QStringList secondPlease = {QString::fromUtf8("Done — take your disc"),
                                    "Insert a blank disc (2 of 2)"};
  ASSERT_TRUE(waitForInstructions(secondPlease, kAnswerMs))
      << instructions().join(" | ").toStdString() << "\n"
      << onlyJob().dump(2);
  const json waiting = onlyJob();
  EXPECT_EQ(waiting["volumes"][1]["of"], 2);
  EXPECT_EQ(waiting["volumes"][1]["reject_reason"], "");
  EXPECT_TRUE(labels(window->progressScreen()).contains("CD 2 of 2"));
  keepScreenshot("11-insert-disc-2-of-2");

  fs::create_directories(disc().parent_path());
  std::ofstream(disc()).flush();  // the clerk puts in a blank disc
  ASSERT_TRUE(waitForInstructions(
      {QString::fromUtf8("Done — take your disc"), QString::fromUtf8("Done — take your disc")},
      kBurnMs))
      << instructions().join(" | ").toStdString() << "\n"
      << onlyJob().dump(2);
  EXPECT_TRUE(QTest::qWaitFor([&] { return onlyJob()["state"] == "done"; }, kBurnMs))
      << onlyJob().dump(2);
  EXPECT_GT(fs::file_size(disc()), 0u);
  EXPECT_GT(fs::file_size(taken / "disc"), 0u);
}

TEST_F(KioskServiceBurnTest, CancelAsksFirstAndTheServiceCancelsTheJob) {
  std::ofstream(disc()) << std::string(4096, 'x');  // the job waits: nothing ends it early
  openKiosk();
  orderUpToConfirm(patientDocument(kErikaId)["key"], "DE-0815", "cd");
  tap("nextButton", window->mediumScreen());
  tap("burnButton", window->confirmScreen());
  ASSERT_TRUE(QTest::qWaitFor([&] { return !instructions().isEmpty(); }, kBurnMs));
  const json id = onlyJob()["id"];

  // "Keep burning" keeps it.
  tap("cancelButton", window->progressScreen());
  QAbstractButton* keep = confirmationButton("Keep burning");
  ASSERT_NE(keep, nullptr);
  keepScreenshot("12-cancel-confirmation");
  QTest::mouseClick(keep, Qt::LeftButton);
  QTest::qWait(300);
  EXPECT_EQ(job(id)["cancel_requested"], false);
  EXPECT_NE(job(id)["state"], "cancelled");

  tap("cancelButton", window->progressScreen());
  QAbstractButton* verb = confirmationButton("Cancel the burn");
  ASSERT_NE(verb, nullptr);
  QTest::mouseClick(verb, Qt::LeftButton);
  ASSERT_TRUE(
      QTest::qWaitFor([&] { return shownLabel("jobState").startsWith("Cancelled"); }, kAnswerMs))
      << shownLabel("jobState").toStdString() << "\n"
      << job(id).dump(2);
  EXPECT_EQ(job(id)["state"], "cancelled");
  // An ended job cannot be cancelled again: the button is gone.
  EXPECT_FALSE(
      window->progressScreen()->findChild<QPushButton*>("cancelButton")->isVisibleTo(window.get()));
  keepScreenshot("13-cancelled");
}

}  // namespace
}  // namespace burnstation::ui::test
