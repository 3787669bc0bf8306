// SseParser: see the header.
#include "sse_parser.h"

namespace burnstation::ui {

std::vector<ServerEvent> SseParser::feed(QByteArrayView bytes) {
  std::vector<ServerEvent> out;
  for (const char c : bytes) {
    if (skipLeadingLf_) {
      skipLeadingLf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skipLeadingLf_ = c == '\r';
      if (oversized_) {
        // The oversized line is gone; its event is dropped when it ends.
        pending_.clear();
        oversized_ = false;
        hasData_ = true;
        data_.clear();
        dropping_ = true;
        continue;
      }
      line(pending_, out);
      pending_.clear();
      continue;
    }
    if (oversized_) continue;
    pending_.append(c);
    if (pending_.size() > kMaxEventBytes) {
      oversized_ = true;
      pending_.clear();
    }
  }
  return out;
}

void SseParser::line(QByteArrayView text, std::vector<ServerEvent>& out) {
  if (text.isEmpty()) {
    // A blank line dispatches the event collected so far.
    if (dropping_) {
      ++dropped_;
    } else if (hasData_) {
      ServerEvent event;
      if (!type_.isEmpty()) event.type = type_;
      event.data = data_;
      event.id = lastId_;
      out.push_back(std::move(event));
    }
    type_.clear();
    data_.clear();
    hasData_ = false;
    dropping_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment, e.g. the keep-alive
  const qsizetype colon = text.indexOf(':');
  QByteArrayView field = colon < 0 ? text : text.first(colon);
  QByteArrayView value = colon < 0 ? QByteArrayView() : text.sliced(colon + 1);
  if (!value.isEmpty() && value.front() == ' ') value = value.sliced(1);
  if (field == "event") {
    type_ = QString::fromUtf8(value);
  } else if (field == "data") {
    if (data_.size() + value.size() + 1 > kMaxEventBytes) {
      dropping_ = true;  // too large to keep: dropped at its end
      data_.clear();
    } else if (!dropping_) {
      if (hasData_) data_.append('\n');
      data_.append(value);
    }
    hasData_ = true;
  } else if (field == "id") {
    if (!value.contains('\0')) lastId_ = QString::fromUtf8(value);
  }
  // "retry" and unknown fields are ignored: our reconnection has its own backoff.
}

}  // namespace burnstation::ui
