// A TCP transport for DCMTK that disables Nagle and re-arms quick ACKs after every read,
// so default DCMTK senders (Nagle on) do not stall on our delayed ACKs (REQUIREMENTS §1 TCP).
// It also replays the A-ASSOCIATE-RQ our request gate has already read and checked, so
// DCMTK parses the request from memory and never waits on a peer while holding the handoff,
// and it passes every later byte through a PduStreamGuard before DCMTK may parse it.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/dcmlayer.h>
#include <dcmtk/dcmnet/dcmtrans.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "pdu_stream_guard.h"

namespace burnstation::receiver {

// Receives what a guard refused: the peer's address and the problem, for the event log.
using StreamProblemReport = std::function<void(const std::string&, const std::string&)>;

class PromptAckConnection : public DcmTCPConnection {
 public:
  PromptAckConnection(DcmNativeSocketType socket, std::string alreadyRead,
                      StreamProblemReport report);
  ssize_t read(void* buf, size_t nbyte) override;
  OFBool networkDataAvailable(int timeout) override;

 private:
  DcmNativeSocketType socket_;
  std::string alreadyRead_;  // bytes the gate took off the socket, served first
  std::size_t replayed_ = 0;
  PduStreamGuard guard_;
  bool refused_ = false;  // once the guard objects, DCMTK gets nothing more
  StreamProblemReport report_;
};

class PromptAckTransportLayer : public DcmTransportLayer {
 public:
  DcmTransportConnection* createConnection(DcmNativeSocketType openSocket,
                                           OFBool useSecureLayer) override;
  // The bytes already read from this socket, for the connection DCMTK creates on it next.
  void prime(DcmNativeSocketType socket, std::string alreadyRead);
  // Drops what was primed and not taken; true when DCMTK never created the connection
  // (then the socket is still the caller's to close).
  bool unprime(DcmNativeSocketType socket);
  // Set before any connection is created.
  void onStreamProblem(StreamProblemReport report) { report_ = std::move(report); }

 private:
  StreamProblemReport report_;
  std::mutex mutex_;
  std::map<DcmNativeSocketType, std::string> primed_;
};

}  // namespace burnstation::receiver
