// HttpResponseParser: see the header.
#include "http_response_parser.h"

#include <QObject>

namespace burnstation::ui {

HttpResponseParser::HttpResponseParser(qsizetype maxBodyBytes) : maxBody_(maxBodyBytes) {}

QByteArray HttpResponseParser::header(const QByteArray& name) const {
  auto it = headers_.find(name.toLower());
  return it == headers_.end() ? QByteArray() : it->second;
}

QByteArray HttpResponseParser::takeBody() {
  QByteArray out;
  out.swap(body_);
  return out;
}

void HttpResponseParser::fail(const QString& reason) {
  stage_ = Stage::Failed;
  error_ = reason;
  buffer_.clear();
}

void HttpResponseParser::feed(QByteArrayView data) {
  if (stage_ == Stage::Complete || stage_ == Stage::Failed) return;
  buffer_.append(data);
  parse();
}

void HttpResponseParser::finish() {
  if (stage_ == Stage::CloseBody) {
    stage_ = Stage::Complete;
  } else if (stage_ != Stage::Complete && stage_ != Stage::Failed) {
    fail(QObject::tr("The service closed the connection before its answer was complete."));
  }
}

// A line ends with CRLF (a bare LF is accepted, as most clients do). Lines are bounded so a
// peer that never sends a line end cannot make us buffer without limit.
bool HttpResponseParser::takeLine(QByteArray& line) {
  const qsizetype end = buffer_.indexOf('\n');
  if (end < 0) {
    if (buffer_.size() > kMaxHeaderBytes)
      fail(QObject::tr("The service sent a line longer than %1 bytes.").arg(kMaxHeaderBytes));
    return false;
  }
  line = buffer_.left(end);
  if (line.endsWith('\r')) line.chop(1);
  buffer_.remove(0, end + 1);
  return true;
}

// Up to remaining_ bytes of the buffer into the body; then, once none remain, on to next.
// False when the body went over its limit.
bool HttpResponseParser::takeCounted(Stage next) {
  const qsizetype n = std::min(remaining_, buffer_.size());
  appendBody(QByteArrayView(buffer_).first(n));
  if (stage_ == Stage::Failed) return false;
  buffer_.remove(0, n);
  remaining_ -= n;
  if (remaining_ == 0) stage_ = next;
  return true;
}

void HttpResponseParser::appendBody(QByteArrayView data) {
  bodySeen_ += data.size();
  if (bodySeen_ > maxBody_) {
    fail(QObject::tr("The service's answer is larger than %1 bytes.").arg(maxBody_));
    return;
  }
  body_.append(data);
}

void HttpResponseParser::startBody() {
  const QByteArray encoding = header("transfer-encoding").toLower();
  const QByteArray length = header("content-length");
  if (status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200)) {
    stage_ = Stage::Complete;
  } else if (encoding.contains("chunked")) {
    stage_ = Stage::ChunkSize;
  } else if (!length.isEmpty()) {
    bool ok = false;
    const qlonglong n = length.trimmed().toLongLong(&ok);
    if (!ok || n < 0) return fail(QObject::tr("The service sent an invalid Content-Length."));
    if (n > maxBody_)
      return fail(QObject::tr("The service's answer is larger than %1 bytes.").arg(maxBody_));
    remaining_ = static_cast<qsizetype>(n);
    stage_ = remaining_ == 0 ? Stage::Complete : Stage::FixedBody;
  } else {
    stage_ = Stage::CloseBody;
  }
}

void HttpResponseParser::parse() {
  QByteArray line;
  for (;;) {
    switch (stage_) {
      case Stage::StatusLine: {
        if (!takeLine(line)) return;
        headerBytes_ += line.size();
        // "HTTP/1.1 200 OK": the version, a three-digit code, an optional reason.
        if (!line.startsWith("HTTP/1.") || line.size() < 12 || line[8] != ' ')
          return fail(QObject::tr("The service's answer does not start with an HTTP status."));
        bool ok = false;
        const int code = line.mid(9, 3).toInt(&ok);
        if (!ok || code < 100 || code > 599 || (line.size() > 12 && line[12] != ' '))
          return fail(QObject::tr("The service's answer has an invalid status code."));
        status_ = code;
        stage_ = Stage::Headers;
        break;
      }
      case Stage::Headers:
      case Stage::Trailers: {
        if (!takeLine(line)) return;
        headerBytes_ += line.size() + 2;
        if (headerBytes_ > kMaxHeaderBytes)
          return fail(
              QObject::tr("The service's headers are longer than %1 bytes.").arg(kMaxHeaderBytes));
        if (line.isEmpty()) {
          if (stage_ == Stage::Trailers) {
            stage_ = Stage::Complete;
            return;
          }
          // An interim 1xx answer is followed by the real one.
          if (status_ >= 100 && status_ < 200) {
            headers_.clear();
            stage_ = Stage::StatusLine;
            break;
          }
          startBody();
          break;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) return fail(QObject::tr("The service sent a malformed header line."));
        if (stage_ == Stage::Headers)
          headers_[line.left(colon).trimmed().toLower()] = line.mid(colon + 1).trimmed();
        break;
      }
      case Stage::FixedBody: {
        if (buffer_.isEmpty() || !takeCounted(Stage::Complete)) return;
        break;
      }
      case Stage::CloseBody: {
        if (buffer_.isEmpty()) return;
        appendBody(buffer_);
        buffer_.clear();
        return;
      }
      case Stage::ChunkSize: {
        if (!takeLine(line)) return;
        const qsizetype semicolon = line.indexOf(';');  // chunk extensions are ignored
        const QByteArray digits = (semicolon >= 0 ? line.left(semicolon) : line).trimmed();
        bool ok = false;
        const qulonglong size = digits.toULongLong(&ok, 16);
        if (!ok || digits.isEmpty() || digits.size() > 15)
          return fail(QObject::tr("The service sent an invalid chunk size."));
        if (static_cast<qulonglong>(bodySeen_) + size > static_cast<qulonglong>(maxBody_))
          return fail(QObject::tr("The service's answer is larger than %1 bytes.").arg(maxBody_));
        remaining_ = static_cast<qsizetype>(size);
        stage_ = size == 0 ? Stage::Trailers : Stage::ChunkData;
        break;
      }
      case Stage::ChunkData: {
        if (buffer_.isEmpty() || !takeCounted(Stage::ChunkEnd)) return;
        break;
      }
      case Stage::ChunkEnd: {
        if (!takeLine(line)) return;
        if (!line.isEmpty())
          return fail(QObject::tr("The service sent a chunk longer than its size."));
        stage_ = Stage::ChunkSize;
        break;
      }
      case Stage::Complete:
      case Stage::Failed:
        return;
    }
  }
}

}  // namespace burnstation::ui
