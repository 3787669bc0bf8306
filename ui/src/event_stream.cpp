// EventStream: see the header.
#include "event_stream.h"

namespace burnstation::ui {

namespace {
// An event stream runs for days; its body bound is per connection and generous.
constexpr qsizetype kMaxStreamBytes = qsizetype{1} << 40;
}  // namespace

EventStream::EventStream(QString socketPath, QObject* parent)
    : QObject(parent), socketPath_(std::move(socketPath)) {
  retry_.setSingleShot(true);
  connect(&retry_, &QTimer::timeout, this, &EventStream::attempt);
}

void EventStream::setBackoff(int minMs, int maxMs) {
  minPauseMs_ = minMs;
  maxPauseMs_ = std::max(minMs, maxMs);
  pauseMs_ = minMs;
}

void EventStream::start() {
  QMetaObject::invokeMethod(this, &EventStream::attempt, Qt::QueuedConnection);
}

void EventStream::setConnected(bool connected) {
  // The first outcome is always told, so the screens learn "not running" at once.
  if (decided_ && connected == connected_) return;
  decided_ = true;
  connected_ = connected;
  emit connectedChanged(connected);
}

void EventStream::attempt() {
  if (socket_) {
    socket_->disconnect(this);
    socket_->abort();
    socket_->deleteLater();
  }
  parser_ = std::make_unique<HttpResponseParser>(kMaxStreamBytes);
  sse_ = SseParser();
  streaming_ = false;
  socket_ = new QLocalSocket(this);
  connect(socket_, &QLocalSocket::connected, this, [this] {
    socket_->write(
        "GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
        "Cache-Control: no-cache\r\n\r\n");
  });
  connect(socket_, &QLocalSocket::readyRead, this, &EventStream::onBytes);
  connect(socket_, &QLocalSocket::disconnected, this, &EventStream::lost);
  connect(socket_, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError e) {
    if (e != QLocalSocket::PeerClosedError || socket_->state() == QLocalSocket::UnconnectedState)
      lost();
  });
  socket_->connectToServer(socketPath_);
}

void EventStream::onBytes() {
  parser_->feed(socket_->readAll());
  if (parser_->headersComplete() && !streaming_) {
    streaming_ = true;
    // A working stream makes the next outage start the backoff again; a service without
    // /events is retried at the longest pause.
    pauseMs_ = parser_->status() == 200 ? minPauseMs_ : maxPauseMs_;
    setConnected(true);
  }
  const QByteArray body = parser_->takeBody();
  if (parser_->status() == 200) {
    for (const ServerEvent& event : sse_.feed(body)) emit eventReceived(event);
  }
  if (parser_->failed() || parser_->complete()) {
    // A stream that ends or breaks is reopened; a service without /events (non-200) is
    // still running, so the state stays connected until an attempt finds no service.
    socket_->abort();
  }
}

void EventStream::lost() {
  if (retry_.isActive()) return;
  // Answered but then closed: stays "connected" until the next attempt finds no service.
  if (!streaming_) setConnected(false);
  streaming_ = false;
  retry_.start(pauseMs_);
  pauseMs_ = std::min(pauseMs_ * 2, maxPauseMs_);
}

}  // namespace burnstation::ui
