// A peer built for the tests of the kiosk's HTTP and SSE parsing: a QLocalServer that reads
// one request and answers with the raw bytes the test gives, in separate writes a few
// milliseconds apart, so the client sees them fragmented as a real socket may deliver them.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>
#include <vector>

namespace burnstation::ui::test {

class RawPeer : public QObject {
 public:
  RawPeer() : path_(dir_.filePath("api.sock")) {}

  const QString& path() const { return path_; }
  bool listen() {
    QObject::connect(&server_, &QLocalServer::newConnection, this, [this] { accept(); });
    return server_.listen(path_);
  }
  void close() {
    server_.close();
    for (auto& c : clients_)
      if (c) c->abort();
  }
  // The fragments written in order after a request has arrived; closeAfter ends the connection.
  void answer(std::vector<QByteArray> fragments, bool closeAfter = true) {
    fragments_ = std::move(fragments);
    closeAfter_ = closeAfter;
  }
  // A whole answer for requests whose request line starts with `requestLine`
  // ("POST /session"), before the default answer.
  void answerTo(const QByteArray& requestLine, const QByteArray& reply) {
    byRequest_.emplace_back(requestLine, reply);
  }
  // Writes more bytes to every open connection (an event stream's later events).
  void push(const QByteArray& bytes) {
    for (auto& c : clients_)
      if (c && c->state() == QLocalSocket::ConnectedState) {
        c->write(bytes);
        c->flush();
      }
  }
  const QByteArray& lastRequest() const { return request_; }
  // Every request so far, whole (headers and body).
  const std::vector<QByteArray>& requests() const { return requests_; }
  // The request lines ("GET /patients HTTP/1.1") of every request so far.
  QStringList requestLines() const {
    QStringList lines;
    for (const QByteArray& r : requests_) lines << QString::fromUtf8(r.left(r.indexOf('\r')));
    return lines;
  }
  int connections() const { return connections_; }

 private:
  void accept() {
    while (QLocalSocket* socket = server_.nextPendingConnection()) {
      ++connections_;
      clients_.emplace_back(socket);
      auto* received = new QByteArray;
      QObject::connect(socket, &QObject::destroyed, [received] { delete received; });
      QObject::connect(socket, &QLocalSocket::readyRead, this, [this, socket, received] {
        received->append(socket->readAll());
        const qsizetype end = received->indexOf("\r\n\r\n");
        if (end < 0 || received->isEmpty()) return;
        const qsizetype lengthAt = received->toLower().indexOf("content-length:");
        qsizetype length = 0;
        if (lengthAt >= 0) {
          const qsizetype eol = received->indexOf("\r\n", lengthAt);
          length = received->mid(lengthAt + 15, eol - lengthAt - 15).trimmed().toLongLong();
        }
        if (received->size() < end + 4 + length) return;
        request_ = *received;
        requests_.push_back(request_);
        received->clear();
        for (auto it = byRequest_.rbegin(); it != byRequest_.rend(); ++it)
          if (request_.startsWith(it->first)) {
            socket->write(it->second);
            socket->flush();
            socket->disconnectFromServer();
            return;
          }
        writeFragment(socket, 0);
      });
    }
  }
  void writeFragment(QLocalSocket* socket, std::size_t index) {
    QPointer<QLocalSocket> guard(socket);
    if (!guard) return;
    if (index >= fragments_.size()) {
      if (closeAfter_) socket->disconnectFromServer();
      return;
    }
    socket->write(fragments_[index]);
    socket->flush();
    QTimer::singleShot(5, this, [this, guard, index] {
      if (guard) writeFragment(guard, index + 1);
    });
  }

  QTemporaryDir dir_;
  QString path_;
  QLocalServer server_;
  std::vector<QPointer<QLocalSocket>> clients_;
  std::vector<QByteArray> fragments_;
  bool closeAfter_ = true;
  QByteArray request_;
  std::vector<QByteArray> requests_;
  std::vector<std::pair<QByteArray, QByteArray>> byRequest_;
  int connections_ = 0;
};

}  // namespace burnstation::ui::test
