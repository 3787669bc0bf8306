// TCP_NODELAY, TCP_QUICKACK and the replayed request (see prompt_ack_transport.h).
#include "prompt_ack_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace burnstation::receiver {
namespace {

void setOption(DcmNativeSocketType socket, int option) {
  const int on = 1;
  // Failure only costs speed, never data, so it is not an error worth failing for.
  (void)::setsockopt(socket, IPPROTO_TCP, option, &on, sizeof on);
}

}  // namespace

namespace {

std::string peerOf(DcmNativeSocketType socket) {
  sockaddr_in peer{};
  socklen_t length = sizeof peer;
  char text[INET_ADDRSTRLEN] = "?";
  if (::getpeername(socket, reinterpret_cast<sockaddr*>(&peer), &length) == 0) {
    inet_ntop(AF_INET, &peer.sin_addr, text, sizeof text);
  }
  return text;
}

}  // namespace

PromptAckConnection::PromptAckConnection(DcmNativeSocketType socket, std::string alreadyRead,
                                         StreamProblemReport report)
    : DcmTCPConnection(socket),
      socket_(socket),
      alreadyRead_(std::move(alreadyRead)),
      report_(std::move(report)) {
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
  if (refused_) {
    errno = EPROTO;
    return -1;
  }
  const ssize_t n = DcmTCPConnection::read(buf, nbyte);
  // Linux leaves quick-ACK mode on its own; it has to be asked for again after each read.
  setOption(socket_, TCP_QUICKACK);
  if (n > 0) {
    if (auto problem = guard_.feed(static_cast<const char*>(buf), static_cast<std::size_t>(n))) {
      refused_ = true;
      if (report_) report_(peerOf(socket_), *problem);
      errno = EPROTO;  // DCMTK sees a failed read and drops the association
      return -1;
    }
  }
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
  return new PromptAckConnection(openSocket, std::move(alreadyRead), report_);
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
