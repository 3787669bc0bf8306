// The listening socket and every connection that has not yet completed its
// A-ASSOCIATE-RQ. One thread accepts at once and reads all of them without blocking, so a
// silent or slow peer costs a slot, never the others' time: ARTIM runs per connection, a
// malformed request is answered (A-ASSOCIATE-RJ or A-ABORT), and the number of such
// connections is bounded in total and per peer address. When a bound is reached the oldest
// unfinished connection goes, never the new caller (on loopback every peer shares one
// address). Complete, well-formed requests are handed on with their bytes.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "association_request_check.h"
#include "socket_handle.h"

namespace burnstation::receiver {

struct GateLimits {
  int artimSeconds = 10;
  int maxPending = 64;         // connections still sending their request, in total
  int maxPendingPerHost = 16;  // ... and from one address
};

struct ReadyRequest {
  SocketHandle socket;      // blocking again, positioned just after the request
  std::string peerAddress;  // numeric
  std::string pdu;          // the whole A-ASSOCIATE-RQ, for DCMTK to parse
  RequestCheck check;
};

class RequestGate {
 public:
  using Handoff = std::function<void(ReadyRequest)>;
  using Limits = std::function<GateLimits()>;
  // kind, detail, peer address: for the event log
  using Report = std::function<void(const std::string&, const std::string&, const std::string&)>;

  // Takes a listening socket; the thread starts at once.
  RequestGate(SocketHandle listening, Limits limits, Handoff handoff, Report report);
  ~RequestGate();  // stops, closes every unfinished connection
  RequestGate(const RequestGate&) = delete;
  RequestGate& operator=(const RequestGate&) = delete;

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace burnstation::receiver
