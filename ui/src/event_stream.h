// The long-lived GET /events connection: Server-Sent Events of job, volume, drive and stick
// changes. It is also how the kiosk knows whether the service is running: while the stream
// is down the screens say so, and it reconnects with a growing pause (backoff) until the
// service answers again.
#pragma once

#include <QLocalSocket>
#include <QObject>
#include <QTimer>
#include <memory>

#include "http_response_parser.h"
#include "sse_parser.h"

namespace burnstation::ui {

class EventStream : public QObject {
  Q_OBJECT
 public:
  explicit EventStream(QString socketPath, QObject* parent = nullptr);

  void start();
  bool isConnected() const { return connected_; }
  // Pauses between attempts: first `minMs`, doubled up to `maxMs`.
  void setBackoff(int minMs, int maxMs);
  int nextPauseMs() const { return pauseMs_; }

 signals:
  void connectedChanged(bool connected);
  void eventReceived(const burnstation::ui::ServerEvent& event);

 private:
  void attempt();
  void lost();
  void setConnected(bool connected);
  void onBytes();

  QString socketPath_;
  QLocalSocket* socket_ = nullptr;
  QTimer retry_;
  std::unique_ptr<HttpResponseParser> parser_;
  SseParser sse_;
  bool connected_ = false;
  bool decided_ = false;
  bool streaming_ = false;
  int minPauseMs_ = 500;
  int maxPauseMs_ = 5000;
  int pauseMs_ = 500;
};

}  // namespace burnstation::ui
