// The kiosk's client of the service's local API (ARCHITECTURE.md "The local API"): HTTP/1.1
// with JSON over the service's Unix socket, one short connection per request so a slow
// answer never holds up another. Qt 6.4's QNetworkAccessManager cannot use Unix sockets,
// hence QLocalSocket. Every call is asynchronous: the answer comes to a callback on the
// event loop, never blocking the screens.
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>

namespace burnstation::ui {

struct ApiReply {
  int status = 0;  // 0: no HTTP answer (service not running, timeout, malformed)
  QByteArray body;
  QByteArray contentType;
  QJsonValue json;  // the parsed body when it is JSON
  QString error;    // a sentence for a person; empty when the call succeeded

  bool ok() const { return error.isEmpty(); }
  bool serviceUnreachable() const { return status == 0; }
};

class ApiClient : public QObject {
  Q_OBJECT
 public:
  using Callback = std::function<void(const ApiReply&)>;

  explicit ApiClient(QString socketPath, QObject* parent = nullptr);

  const QString& socketPath() const { return socketPath_; }
  // The admin session's bearer token (POST /session); empty: no session.
  void setAdminToken(const QString& token) { token_ = token; }
  bool hasAdminToken() const { return !token_.isEmpty(); }
  // The signed-in clerk's token (POST /clerk-session); empty: no clerk signed in. Job calls
  // and the clerk's own session carry it (so a job records the clerk, not the admin who
  // opened admin on this kiosk); every other call carries the admin's.
  void setClerkToken(const QString& token) { clerkToken_ = token; }
  bool hasClerkToken() const { return !clerkToken_.isEmpty(); }
  void setTimeoutMs(int ms) { timeoutMs_ = ms; }
  void setMaxBodyBytes(qsizetype bytes) { maxBody_ = bytes; }

  // The callback runs only while `context` lives (a screen closed meanwhile gets nothing).
  void get(const QString& path, QObject* context, Callback done);
  void send(const QByteArray& method, const QString& path, const QJsonValue& body, QObject* context,
            Callback done);

  // The words the screens show while the service cannot be reached.
  static QString notRunningMessage();

 signals:
  // A request reached the service (true) or found no service behind the socket (false).
  void reachabilityObserved(bool reachable);

 private:
  QString socketPath_;
  QString token_;
  QString clerkToken_;
  int timeoutMs_ = 15000;
  qsizetype maxBody_ = 32 * 1024 * 1024;
};

// "/patients?q=" + the text, percent-encoded.
QString pathWithQuery(const QString& path, const QString& key, const QString& value);
// A path segment (a patient key, a profile name) percent-encoded.
QString pathSegment(const QString& segment);

}  // namespace burnstation::ui
