// The kiosk's window: the eight screens in one stack, the clerk's order as it is built
// (patient, studies, medium, copies, the submit's request ID), the service's state in a
// banner, and the idle timeout that clears the patient. It is the only place that calls the
// local API; the screens show documents and report taps.
#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QStackedWidget;

namespace burnstation::ui {

class AdminScreen;
class ApiClient;
struct ApiReply;
class ClerkSignInScreen;
class ConfirmScreen;
class EventStream;
class IdleScreen;
class JobsScreen;
class MediumScreen;
class PatientScreen;
class ProgressScreen;
class StartScreen;
struct ServerEvent;

class KioskWindow : public QWidget {
  Q_OBJECT
 public:
  enum class Screen { Idle, Start, Patient, Medium, Confirm, Progress, Jobs, Admin, SignIn };

  // An empty socket path makes a window without a service (the screenshot tour).
  explicit KioskWindow(const QString& socketPath, QWidget* parent = nullptr);

  void start();
  void showScreen(Screen screen);
  Screen currentScreen() const;
  // The idle timeout; by default GET /config's [kiosk] idle_seconds (120).
  void setIdleMs(int ms);
  int idleMs() const { return idle_.interval(); }
  void clearPatient();
  const QJsonObject& patient() const { return patient_; }
  QString bannerText() const;
  bool bannerShown() const;
  ApiClient* client() const { return client_; }
  EventStream* events() const { return events_; }

  StartScreen* startScreen() const { return start_; }
  PatientScreen* patientScreen() const { return patientScreen_; }
  MediumScreen* mediumScreen() const { return medium_; }
  ConfirmScreen* confirmScreen() const { return confirm_; }
  ProgressScreen* progressScreen() const { return progress_; }
  JobsScreen* jobsScreen() const { return jobs_; }
  AdminScreen* adminScreen() const { return admin_; }
  IdleScreen* idleScreen() const { return idleScreen_; }
  ClerkSignInScreen* signInScreen() const { return signIn_; }

  // Where GET /config says [admin] clerk_sign_in: a clerk signs in before a job is submitted.
  bool clerkSignInOn() const;
  const QString& clerk() const { return clerk_; }
  // Ends the clerk's session (DELETE /clerk-session) and forgets it; on idle and "Sign out".
  void signOutClerk();

  // Screens filled by the demonstration data (no service involved).
  void setConfig(const QJsonObject& config);
  void choosePatient(const QJsonObject& patient);
  void showJob(const QJsonObject& job);
  void setServiceConnected(bool connected);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void wire();
  void wireAdmin();
  void wireSignIn();
  void wireClerkAdmin();
  void wireDataFixes();
  // An admin call answered 401 (the session ran out): the PIN page again, with the reason.
  bool adminSessionEnded(const ApiReply& reply);
  // The sign-in screen, then `next` once a clerk is signed in.
  void askSignIn(Screen next, const QString& message = {});
  void signInWith(const QJsonObject& body);
  void loadPatients();
  void loadConfig();
  void planAll();
  void submit();
  void followJob(const QString& id);
  void refreshJob();
  void loadJobs();
  void reprint(const QString& jobId, int volume);
  void onEvent(const ServerEvent& event);
  QJsonObject profileNamed(const QString& name) const;

  ApiClient* client_ = nullptr;
  EventStream* events_ = nullptr;
  QLabel* banner_;
  QStackedWidget* stack_;
  StartScreen* start_;
  PatientScreen* patientScreen_;
  MediumScreen* medium_;
  ConfirmScreen* confirm_;
  ProgressScreen* progress_;
  JobsScreen* jobs_;
  AdminScreen* admin_;
  IdleScreen* idleScreen_;
  ClerkSignInScreen* signIn_;
  QTimer idle_;
  QTimer poll_;
  bool idleFixed_ = false;
  QJsonObject config_;
  QJsonObject patient_;
  QString requestId_;
  QString jobId_;
  QString clerk_;
  Screen afterSignIn_ = Screen::Start;
};

}  // namespace burnstation::ui
