// An incremental HTTP/1.1 response parser for the local API's replies: bytes arrive in any
// fragments; bodies come by Content-Length, chunked, or until the peer closes. Received bytes
// are hostile, so every line and the body are bounded and a malformed reply fails with a
// reason instead of being guessed at.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <map>

namespace burnstation::ui {

class HttpResponseParser {
 public:
  static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
  static constexpr qsizetype kDefaultMaxBody = 32 * 1024 * 1024;

  explicit HttpResponseParser(qsizetype maxBodyBytes = kDefaultMaxBody);

  // Appends received bytes and parses as far as they go.
  void feed(QByteArrayView data);
  // The peer closed: a body delimited by the close is complete, anything else is cut short.
  void finish();

  bool headersComplete() const { return stage_ > Stage::Headers && stage_ != Stage::Failed; }
  bool complete() const { return stage_ == Stage::Complete; }
  bool failed() const { return stage_ == Stage::Failed; }
  QString error() const { return error_; }

  int status() const { return status_; }
  // The value of a header (name case-insensitive), empty when absent.
  QByteArray header(const QByteArray& name) const;
  // The decoded body bytes received since the last call (streams read as they go).
  QByteArray takeBody();
  qsizetype bodyBytesSeen() const { return bodySeen_; }

 private:
  enum class Stage {
    StatusLine,
    Headers,
    FixedBody,
    CloseBody,
    ChunkSize,
    ChunkData,
    ChunkEnd,
    Trailers,
    Complete,
    Failed
  };

  bool takeLine(QByteArray& line);
  void parse();
  void fail(const QString& reason);
  void startBody();
  void appendBody(QByteArrayView data);
  bool takeCounted(Stage next);

  qsizetype maxBody_;
  Stage stage_ = Stage::StatusLine;
  QByteArray buffer_;
  QByteArray body_;
  qsizetype bodySeen_ = 0;
  qsizetype headerBytes_ = 0;
  qsizetype remaining_ = 0;
  int status_ = 0;
  std::map<QByteArray, QByteArray> headers_;
  QString error_;
};

}  // namespace burnstation::ui
