// A Server-Sent Events parser (the HTML standard's event-stream format) for GET /events:
// "event:", "data:" and "id:" fields, comments, any line ending, events split across any
// number of reads. Lines and events are bounded; an oversized event is dropped, not kept.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <vector>

namespace burnstation::ui {

struct ServerEvent {
  QString type = QStringLiteral("message");
  QByteArray data;
  QString id;
};

class SseParser {
 public:
  static constexpr qsizetype kMaxEventBytes = 1024 * 1024;

  // Parses what arrived and returns the events it completed.
  std::vector<ServerEvent> feed(QByteArrayView bytes);
  QString lastEventId() const { return lastId_; }
  // Events dropped because they were larger than kMaxEventBytes.
  int droppedEvents() const { return dropped_; }

 private:
  void line(QByteArrayView text, std::vector<ServerEvent>& out);

  QByteArray pending_;
  bool skipLeadingLf_ = false;  // a CR ended the last line; a following LF belongs to it
  bool oversized_ = false;      // the current line passed the bound: skipped to its end
  bool dropping_ = false;       // the current event passed the bound: dropped when it ends
  QString type_;
  QByteArray data_;
  bool hasData_ = false;
  QString lastId_;
  int dropped_ = 0;
};

}  // namespace burnstation::ui
