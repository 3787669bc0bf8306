// ApiClient: see the header. Each request is an ApiExchange: one QLocalSocket, one parser,
// one deadline; it deletes itself once its callback has run.
#include "api_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QTimer>
#include <QUrl>

#include "http_response_parser.h"

namespace burnstation::ui {

namespace {

class ApiExchange : public QObject {
 public:
  ApiExchange(ApiClient* client, QByteArray request, qsizetype maxBody, int timeoutMs,
              QObject* context, ApiClient::Callback done)
      : QObject(client),
        client_(client),
        request_(std::move(request)),
        parser_(maxBody),
        context_(context),
        done_(std::move(done)) {
    socket_ = new QLocalSocket(this);
    connect(socket_, &QLocalSocket::connected, this, [this] { socket_->write(request_); });
    connect(socket_, &QLocalSocket::readyRead, this, [this] {
      parser_.feed(socket_->readAll());
      if (parser_.complete() || parser_.failed()) conclude();
    });
    connect(socket_, &QLocalSocket::disconnected, this, [this] {
      if (concluded_) return;  // our own abort() after the answer
      parser_.feed(socket_->readAll());
      parser_.finish();
      conclude();
    });
    connect(socket_, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError e) {
      if (e == QLocalSocket::PeerClosedError) return;  // handled by disconnected
      if (e == QLocalSocket::ServerNotFoundError || e == QLocalSocket::ConnectionRefusedError ||
          e == QLocalSocket::SocketAccessError) {
        unreachable_ = true;
        failure_ = e == QLocalSocket::SocketAccessError
                       ? tr("The kiosk may not use the burning service's socket (%1).")
                             .arg(client_->socketPath())
                       : ApiClient::notRunningMessage();
      } else {
        failure_ =
            tr("The connection to the burning service failed: %1").arg(socket_->errorString());
      }
      conclude();
    });
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] {
      failure_ =
          tr("The burning service did not answer within %1 seconds.").arg(timer_.interval() / 1000);
      conclude();
    });
    timer_.start(timeoutMs);
    // Connected from the event loop: a missing socket fails at once, and the callback must
    // never run inside send() itself.
    QMetaObject::invokeMethod(
        this, [this] { socket_->connectToServer(client_->socketPath()); }, Qt::QueuedConnection);
  }

 private:
  void conclude() {
    if (concluded_) return;
    concluded_ = true;
    timer_.stop();
    ApiReply reply;
    if (failure_.isEmpty() && parser_.failed()) failure_ = parser_.error();
    if (failure_.isEmpty() && !parser_.complete()) failure_ = parser_.error();
    if (failure_.isEmpty()) {
      reply.status = parser_.status();
      reply.body = parser_.takeBody();
      reply.contentType = parser_.header("content-type");
      QJsonParseError jsonError;
      const QJsonDocument doc = QJsonDocument::fromJson(reply.body, &jsonError);
      if (jsonError.error == QJsonParseError::NoError)
        reply.json = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
      if (reply.status >= 400) {
        const QString said = reply.json.toObject().value(QStringLiteral("error")).toString();
        reply.error =
            !said.isEmpty()
                ? said
                : tr("The burning service refused the request (HTTP %1).").arg(reply.status);
      } else if (reply.contentType.startsWith("application/json") &&
                 jsonError.error != QJsonParseError::NoError) {
        reply.error = tr("The burning service sent an answer that is not valid JSON.");
      }
    } else {
      reply.error = failure_;
    }
    emit client_->reachabilityObserved(!unreachable_);
    socket_->abort();
    if (context_ && done_) done_(reply);
    deleteLater();
  }

  ApiClient* client_;
  QByteArray request_;
  HttpResponseParser parser_;
  QPointer<QObject> context_;
  ApiClient::Callback done_;
  QLocalSocket* socket_ = nullptr;
  QTimer timer_;
  QString failure_;
  bool unreachable_ = false;
  bool concluded_ = false;
};

}  // namespace

ApiClient::ApiClient(QString socketPath, QObject* parent)
    : QObject(parent), socketPath_(std::move(socketPath)) {}

QString ApiClient::notRunningMessage() {
  return tr("The burning service is not running. Trying again…");
}

void ApiClient::get(const QString& path, QObject* context, Callback done) {
  send("GET", path, QJsonValue(QJsonValue::Undefined), context, std::move(done));
}

void ApiClient::send(const QByteArray& method, const QString& path, const QJsonValue& body,
                     QObject* context, Callback done) {
  QByteArray payload;
  if (body.isObject()) payload = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
  if (body.isArray()) payload = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
  QByteArray request = method + ' ' + path.toUtf8() + " HTTP/1.1\r\n";
  request += "Host: localhost\r\nConnection: close\r\nAccept: application/json\r\n";
  const bool clerkCall =
      path.startsWith(QStringLiteral("/jobs")) || path.startsWith(QStringLiteral("/clerk-session"));
  const QString& bearer = clerkCall && !clerkToken_.isEmpty() ? clerkToken_ : token_;
  if (!bearer.isEmpty()) request += "Authorization: Bearer " + bearer.toUtf8() + "\r\n";
  if (!payload.isEmpty() || method == "POST" || method == "PUT") {
    request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + QByteArray::number(payload.size()) + "\r\n";
  }
  request += "\r\n" + payload;
  new ApiExchange(this, std::move(request), maxBody_, timeoutMs_, context, std::move(done));
}

QString pathSegment(const QString& segment) {
  return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

QString pathWithQuery(const QString& path, const QString& key, const QString& value) {
  return path + '?' + key + '=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
}

}  // namespace burnstation::ui
