// A TCP transport for DCMTK that disables Nagle and re-arms quick ACKs after every read,
// so default DCMTK senders (Nagle on) do not stall on our delayed ACKs (REQUIREMENTS §1 TCP).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/dcmlayer.h>
#include <dcmtk/dcmnet/dcmtrans.h>

namespace burnstation::receiver {

class PromptAckConnection : public DcmTCPConnection {
 public:
  explicit PromptAckConnection(DcmNativeSocketType socket);
  ssize_t read(void* buf, size_t nbyte) override;

 private:
  DcmNativeSocketType socket_;
};

class PromptAckTransportLayer : public DcmTransportLayer {
 public:
  DcmTransportConnection* createConnection(DcmNativeSocketType openSocket,
                                           OFBool useSecureLayer) override;
};

}  // namespace burnstation::receiver
