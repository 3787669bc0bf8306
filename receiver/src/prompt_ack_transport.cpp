// TCP_NODELAY and TCP_QUICKACK on accepted sockets (see prompt_ack_transport.h).
#include "prompt_ack_transport.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace burnstation::receiver {
namespace {

void setOption(DcmNativeSocketType socket, int option) {
  const int on = 1;
  // Failure only costs speed, never data, so it is not an error worth failing for.
  (void)::setsockopt(socket, IPPROTO_TCP, option, &on, sizeof on);
}

}  // namespace

PromptAckConnection::PromptAckConnection(DcmNativeSocketType socket)
    : DcmTCPConnection(socket), socket_(socket) {
  setOption(socket_, TCP_NODELAY);
  setOption(socket_, TCP_QUICKACK);
}

ssize_t PromptAckConnection::read(void* buf, size_t nbyte) {
  const ssize_t n = DcmTCPConnection::read(buf, nbyte);
  // Linux leaves quick-ACK mode on its own; it has to be asked for again after each read.
  setOption(socket_, TCP_QUICKACK);
  return n;
}

DcmTransportConnection* PromptAckTransportLayer::createConnection(DcmNativeSocketType openSocket,
                                                                  OFBool /*useSecureLayer*/) {
  // Plain TCP only; DICOM TLS, when added, gets a layer derived from DcmTLSTransportLayer.
  return new PromptAckConnection(openSocket);
}

}  // namespace burnstation::receiver
