// TCP_NODELAY, TCP_QUICKACK and the replayed request (see prompt_ack_transport.h).
#include "prompt_ack_transport.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace burnstation::receiver {
namespace {

void setOption(DcmNativeSocketType socket, int option) {
  const int on = 1;
  // Failure only costs speed, never data, so it is not an error worth failing for.
  (void)::setsockopt(socket, IPPROTO_TCP, option, &on, sizeof on);
}

}  // namespace

PromptAckConnection::PromptAckConnection(DcmNativeSocketType socket, std::string alreadyRead)
    : DcmTCPConnection(socket), socket_(socket), alreadyRead_(std::move(alreadyRead)) {
  setOption(socket_, TCP_NODELAY);
  setOption(socket_, TCP_QUICKACK);
}

ssize_t PromptAckConnection::read(void* buf, size_t nbyte) {
  if (replayed_ < alreadyRead_.size()) {
    const std::size_t n = std::min(nbyte, alreadyRead_.size() - replayed_);
    std::memcpy(buf, alreadyRead_.data() + replayed_, n);
    replayed_ += n;
    if (replayed_ == alreadyRead_.size()) {
      alreadyRead_.clear();
      alreadyRead_.shrink_to_fit();
      replayed_ = 0;
    }
    return static_cast<ssize_t>(n);
  }
  const ssize_t n = DcmTCPConnection::read(buf, nbyte);
  // Linux leaves quick-ACK mode on its own; it has to be asked for again after each read.
  setOption(socket_, TCP_QUICKACK);
  return n;
}

OFBool PromptAckConnection::networkDataAvailable(int timeout) {
  if (replayed_ < alreadyRead_.size()) return OFTrue;
  return DcmTCPConnection::networkDataAvailable(timeout);
}

DcmTransportConnection* PromptAckTransportLayer::createConnection(DcmNativeSocketType openSocket,
                                                                  OFBool /*useSecureLayer*/) {
  // Plain TCP only; DICOM TLS, when added, gets a layer derived from DcmTLSTransportLayer.
  std::string alreadyRead;
  {
    std::lock_guard lock(mutex_);
    if (auto it = primed_.find(openSocket); it != primed_.end()) {
      alreadyRead = std::move(it->second);
      primed_.erase(it);
    }
  }
  return new PromptAckConnection(openSocket, std::move(alreadyRead));
}

void PromptAckTransportLayer::prime(DcmNativeSocketType socket, std::string alreadyRead) {
  std::lock_guard lock(mutex_);
  primed_[socket] = std::move(alreadyRead);
}

bool PromptAckTransportLayer::unprime(DcmNativeSocketType socket) {
  std::lock_guard lock(mutex_);
  return primed_.erase(socket) > 0;
}

}  // namespace burnstation::receiver
