// KioskWindow: see the header. Admin calls live in kiosk_window_admin.cpp.
#include "kiosk_window.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QUrl>
#include <QUuid>
#include <QVBoxLayout>

#include "api_client.h"
#include "document_words.h"
#include "event_stream.h"
#include "kiosk_widgets.h"
#include "screens/admin_screen.h"
#include "screens/clerk_sign_in_screen.h"
#include "screens/confirm_screen.h"
#include "screens/idle_screen.h"
#include "screens/jobs_screen.h"
#include "screens/medium_screen.h"
#include "screens/patient_screen.h"
#include "screens/progress_screen.h"
#include "screens/start_screen.h"
#include "stick_offer.h"
#include "touch_metrics.h"

namespace burnstation::ui {

namespace {
constexpr int kDefaultIdleSeconds = 120;
}

KioskWindow::KioskWindow(const QString& socketPath, QWidget* parent) : QWidget(parent) {
  setWindowTitle(tr("Burnstation"));
  if (!socketPath.isEmpty()) {
    client_ = new ApiClient(socketPath, this);
    events_ = new EventStream(socketPath, this);
  }
  banner_ = makeLabel(QString(), kBodyPointSize, this, "banner");
  banner_->setObjectName(QStringLiteral("serviceBanner"));
  banner_->hide();
  stack_ = new QStackedWidget(this);
  idleScreen_ = new IdleScreen;
  start_ = new StartScreen;
  patientScreen_ = new PatientScreen;
  medium_ = new MediumScreen;
  confirm_ = new ConfirmScreen;
  progress_ = new ProgressScreen;
  jobs_ = new JobsScreen;
  admin_ = new AdminScreen;
  signIn_ = new ClerkSignInScreen;
  // The order of Screen.
  for (QWidget* w : std::initializer_list<QWidget*>{idleScreen_, start_, patientScreen_, medium_,
                                                    confirm_, progress_, jobs_, admin_, signIn_})
    stack_->addWidget(w);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(banner_);
  layout->addWidget(stack_, 1);

  idle_.setSingleShot(true);
  idle_.setInterval(kDefaultIdleSeconds * 1000);
  connect(&idle_, &QTimer::timeout, this, [this] {
    signOutClerk();  // the next person at the kiosk signs in again
    clearPatient();
    showScreen(Screen::Idle);
  });
  poll_.setInterval(2000);  // progress between events, and a missed event costs 2 s at most
  connect(&poll_, &QTimer::timeout, this, [this] {
    if (currentScreen() == Screen::Progress) refreshJob();
    if (currentScreen() == Screen::Jobs) loadJobs();
  });
  qApp->installEventFilter(this);
  wire();
  wireAdmin();
  wireSignIn();
  showScreen(Screen::Idle);
}

void KioskWindow::start() {
  if (!client_) return;
  connect(events_, &EventStream::connectedChanged, this, [this](bool connected) {
    setServiceConnected(connected);
    if (connected) {
      loadConfig();
      if (currentScreen() == Screen::Start) loadPatients();
    }
  });
  connect(events_, &EventStream::eventReceived, this, &KioskWindow::onEvent);
  connect(client_, &ApiClient::reachabilityObserved, this, [this](bool reachable) {
    if (!reachable) setServiceConnected(false);
  });
  events_->start();
  poll_.start();
  idle_.start();
}

void KioskWindow::setServiceConnected(bool connected) {
  banner_->setText(connected ? QString() : ApiClient::notRunningMessage());
  banner_->setVisible(!connected);
}

QString KioskWindow::bannerText() const {
  return banner_->text();
}
bool KioskWindow::bannerShown() const {
  return !banner_->isHidden();
}

void KioskWindow::setIdleMs(int ms) {
  idleFixed_ = true;
  idle_.setInterval(ms);
  idle_.start();
}

bool KioskWindow::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
      idle_.start();  // restarts the countdown
      break;
    default:
      break;
  }
  return QWidget::eventFilter(watched, event);
}

void KioskWindow::showScreen(Screen screen) {
  stack_->setCurrentIndex(static_cast<int>(screen));
  if (screen == Screen::Start) {
    start_->searchField()->setFocus();  // a scanner's keystrokes land in the search
    loadPatients();
  }
  if (screen == Screen::Jobs) loadJobs();
  if (screen == Screen::Progress) refreshJob();
  if (screen == Screen::SignIn) signIn_->nameField()->setFocus();
}

KioskWindow::Screen KioskWindow::currentScreen() const {
  return static_cast<Screen>(stack_->currentIndex());
}

void KioskWindow::clearPatient() {
  // Privacy: nothing of the patient stays on any screen.
  patient_ = QJsonObject();
  requestId_.clear();
  start_->clear();
  patientScreen_->setPatient(QJsonObject());
  confirm_->setOrder(QJsonObject(), QJsonObject(), 1, QJsonObject(), 0);
  medium_->setCopies(1);
  if (client_) client_->setAdminToken(QString());
  admin_->showPin();
}

void KioskWindow::setConfig(const QJsonObject& config) {
  config_ = config;
  const int seconds = config.value(QStringLiteral("kiosk"))
                          .toObject()
                          .value(QStringLiteral("idle_seconds"))
                          .toInt(kDefaultIdleSeconds);
  if (!idleFixed_ && seconds > 0) idle_.setInterval(seconds * 1000);
  medium_->setProfiles(config.value(QStringLiteral("profiles")).toArray());
}

QJsonObject KioskWindow::profileNamed(const QString& name) const {
  for (const QJsonValue& p : config_.value(QStringLiteral("profiles")).toArray())
    if (p.toObject().value(QStringLiteral("name")).toString() == name) return p.toObject();
  return QJsonObject{{QStringLiteral("name"), name}};
}

void KioskWindow::choosePatient(const QJsonObject& patient) {
  patient_ = patient;
  requestId_.clear();
  patientScreen_->setPatient(patient);
  showScreen(Screen::Patient);
}

void KioskWindow::showJob(const QJsonObject& job) {
  jobId_ = job.value(QStringLiteral("id")).toVariant().toString();
  progress_->setJob(job, mediumKind(profileNamed(job.value(QStringLiteral("profile")).toString())));
}

void KioskWindow::wire() {
  connect(idleScreen_, &IdleScreen::started, this, [this] {
    if (clerkSignInOn() && clerk_.isEmpty()) return askSignIn(Screen::Start);
    showScreen(Screen::Start);
  });
  connect(start_, &StartScreen::searchChanged, this, [this] { loadPatients(); });
  connect(start_, &StartScreen::patientChosen, this, &KioskWindow::choosePatient);
  connect(start_, &StartScreen::jobsRequested, this, [this] { showScreen(Screen::Jobs); });
  connect(start_, &StartScreen::adminRequested, this, [this] {
    admin_->showPin();
    showScreen(Screen::Admin);
  });
  connect(patientScreen_, &PatientScreen::back, this, [this] { showScreen(Screen::Start); });
  connect(patientScreen_, &PatientScreen::next, this, [this] {
    medium_->setProfiles(config_.value(QStringLiteral("profiles")).toArray());
    showScreen(Screen::Medium);
    planAll();
  });
  connect(medium_, &MediumScreen::back, this, [this] { showScreen(Screen::Patient); });
  connect(medium_, &MediumScreen::next, this, [this] {
    // One request ID per order the clerk confirms: a retried submit reuses it, so the
    // service makes one job however often the answer was lost.
    requestId_ = QUuid::createUuid().toString(QUuid::WithoutBraces);
    confirm_->setOrder(patient_, medium_->profileObject(), medium_->copies(), medium_->plan(),
                       static_cast<int>(patientScreen_->selectedStudies().size()));
    showScreen(Screen::Confirm);
  });
  connect(confirm_, &ConfirmScreen::back, this, [this] { showScreen(Screen::Medium); });
  connect(confirm_, &ConfirmScreen::confirmed, this, &KioskWindow::submit);
  connect(progress_, &ProgressScreen::finished, this, [this] {
    clearPatient();
    showScreen(Screen::Start);
  });
  connect(progress_, &ProgressScreen::cancelConfirmed, this, [this](const QString& id) {
    if (!client_) return;
    client_->send("POST", QStringLiteral("/jobs/%1/cancel").arg(pathSegment(id)), QJsonObject(),
                  this, [this](const ApiReply& r) {
                    if (!r.ok()) progress_->setMessage(r.error);
                    refreshJob();
                  });
  });
  connect(progress_, &ProgressScreen::formatStickConfirmed, this, [this](const QString& id) {
    if (!client_) return;
    progress_->setRefusedStick(QString());
    client_->send(
        "POST", QStringLiteral("/sticks/%1/format").arg(pathSegment(id)),
        QJsonObject{{QStringLiteral("confirm"), true}}, this, [this](const ApiReply& r) {
          progress_->setMessage(r.ok() ? tr("Formatting the USB stick — leave it in.") : r.error);
        });
  });
  connect(jobs_, &JobsScreen::back, this, [this] { showScreen(Screen::Start); });
  connect(jobs_, &JobsScreen::follow, this, &KioskWindow::followJob);
  connect(jobs_, &JobsScreen::retry, this, [this](const QString& id) {
    if (!client_) return;
    client_->send("POST", QStringLiteral("/jobs/%1/retry").arg(pathSegment(id)), QJsonObject(),
                  this, [this](const ApiReply& r) {
                    jobs_->setMessage(r.ok() ? tr("The job is queued again.") : r.error);
                    loadJobs();
                  });
  });
  connect(jobs_, &JobsScreen::reprint, this, &KioskWindow::reprint);
}

void KioskWindow::loadPatients() {
  if (!client_) return;
  const QString q = start_->searchText();
  const QString path = q.isEmpty()
                           ? QStringLiteral("/patients")
                           : pathWithQuery(QStringLiteral("/patients"), QStringLiteral("q"), q);
  client_->get(path, this, [this, q](const ApiReply& r) {
    if (q != start_->searchText()) return;  // an older search answered late
    if (!r.ok()) return start_->setMessage(r.error);
    start_->setMessage(QString());
    start_->setPatients(r.json.toObject().value(QStringLiteral("patients")).toArray());
  });
}

void KioskWindow::loadConfig() {
  if (!client_) return;
  client_->get(QStringLiteral("/config"), this, [this](const ApiReply& r) {
    if (r.ok()) setConfig(r.json.toObject());
  });
}

void KioskWindow::planAll() {
  if (!client_) return;
  const QString key = patient_.value(QStringLiteral("key")).toString();
  for (const QJsonValue& p : config_.value(QStringLiteral("profiles")).toArray()) {
    const QString profile = p.toObject().value(QStringLiteral("name")).toString();
    QJsonObject body{{QStringLiteral("patient"), key}, {QStringLiteral("profile"), profile}};
    if (!patientScreen_->allSelected())
      body.insert(QStringLiteral("studies"),
                  QJsonArray::fromStringList(patientScreen_->selectedStudies()));
    client_->send("POST", QStringLiteral("/plans"), body, this,
                  [this, profile, key](const ApiReply& r) {
                    if (key != patient_.value(QStringLiteral("key")).toString()) return;
                    if (r.ok())
                      medium_->setPlan(profile, r.json.toObject());
                    else
                      medium_->setPlanError(profile, r.error);
                  });
  }
}

void KioskWindow::submit() {
  if (!client_) return;
  if (clerkSignInOn() && !client_->hasClerkToken()) return askSignIn(Screen::Confirm);
  confirm_->setBusy(true);
  QJsonObject body{{QStringLiteral("patient"), patient_.value(QStringLiteral("key"))},
                   {QStringLiteral("profile"), medium_->profile()},
                   {QStringLiteral("copies"), medium_->copies()},
                   {QStringLiteral("request_id"), requestId_}};
  if (!patientScreen_->allSelected())
    body.insert(QStringLiteral("studies"),
                QJsonArray::fromStringList(patientScreen_->selectedStudies()));
  client_->send("POST", QStringLiteral("/jobs"), body, this, [this](const ApiReply& r) {
    confirm_->setBusy(false);
    if (r.status == 401 && clerkSignInOn()) {
      // The clerk's session ended (or was never there): sign in, then confirm again.
      client_->setClerkToken(QString());
      clerk_.clear();
      start_->setClerk(QString());
      return askSignIn(Screen::Confirm, r.error);
    }
    if (!r.ok())
      return confirm_->setMessage(
          tr("Not started: %1 Tap the button again to retry.").arg(r.error));
    followJob(r.json.toObject().value(QStringLiteral("id")).toVariant().toString());
  });
}

void KioskWindow::followJob(const QString& id) {
  jobId_ = id;
  showScreen(Screen::Progress);
}

void KioskWindow::refreshJob() {
  if (!client_ || jobId_.isEmpty()) return;
  const QString id = jobId_;
  client_->get(QStringLiteral("/jobs/%1").arg(pathSegment(id)), this,
               [this, id](const ApiReply& r) {
                 if (id != jobId_) return;
                 if (!r.ok()) return progress_->setMessage(r.error);
                 showJob(r.json.toObject());
               });
}

void KioskWindow::loadJobs() {
  if (!client_) return;
  client_->get(QStringLiteral("/jobs"), this, [this](const ApiReply& r) {
    if (!r.ok()) return jobs_->setMessage(r.error);
    jobs_->setJobs(r.json.toObject().value(QStringLiteral("jobs")).toArray());
  });
}

void KioskWindow::reprint(const QString& jobId, int volume) {
  if (!client_) return;
  client_->get(QStringLiteral("/jobs/%1/labels/%2").arg(pathSegment(jobId)).arg(volume), this,
               [this, jobId, volume](const ApiReply& r) {
                 if (!r.ok()) return jobs_->setMessage(r.error);
                 if (!r.body.startsWith("\x89PNG"))
                   return jobs_->setMessage(tr("The service sent no label image."));
                 // The system's image viewer prints it; the file stays for the printer queue.
                 const QString file =
                     QDir::temp().filePath(QStringLiteral("burnstation-label-%1-%2.png")
                                               .arg(QString(jobId).replace('/', '_'))
                                               .arg(volume));
                 QFile out(file);
                 if (!out.open(QIODevice::WriteOnly) || out.write(r.body) != r.body.size())
                   return jobs_->setMessage(tr("The label could not be saved to %1.").arg(file));
                 out.close();
                 jobs_->setMessage(QDesktopServices::openUrl(QUrl::fromLocalFile(file))
                                       ? tr("The label is open for printing.")
                                       : tr("The label is saved as %1.").arg(file));
               });
}

void KioskWindow::onEvent(const ServerEvent& event) {
  if (event.type == QLatin1String("drives"))
    progress_->setRefusedStick(formattableStick(config_, event.data));
  // Every job or volume change refreshes what is on screen; documents are small.
  if (currentScreen() == Screen::Progress) refreshJob();
  if (currentScreen() == Screen::Jobs) loadJobs();
}

}  // namespace burnstation::ui
