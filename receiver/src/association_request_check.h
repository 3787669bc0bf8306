// The first PDU a connection sends, checked from its raw bytes before DCMTK sees them
// (PS3.8 9.3.1-9.3.2): any device on the network can connect, and DCMTK's request parser
// neither answers every malformed request nor bounds its work. A pure function of the
// bytes, so it is table-tested and fuzzed without sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "burnstation/receiver/dicom_status.h"

namespace burnstation::receiver {

// The largest A-ASSOCIATE-RQ we read. A request proposing 128 presentation contexts with a
// dozen transfer syntaxes each is under 40 KB; DCMTK's own limit is 1 MB.
inline constexpr std::size_t kMaxAssociateRequestBytes = 256 * 1024;
inline constexpr std::size_t kPduHeaderBytes = 6;

struct RequestCheck {
  enum class Verdict {
    NeedMore,  // the PDU is not complete yet: read on
    Valid,     // a well-formed A-ASSOCIATE-RQ: hand it to DCMTK
    Reject,    // well-formed but not acceptable whatever our configuration: A-ASSOCIATE-RJ
    Abort,     // not a request we can answer: A-ABORT
    Close,     // the peer aborted or released before associating: just close
  };
  Verdict verdict = Verdict::NeedMore;
  std::size_t pduBytes = 0;  // the whole first PDU, once its header has arrived
  std::optional<Rejection> rejection;
  std::optional<AbortReason> abort;
  std::string explanation;  // for the log and the event table
  std::string callingAe;    // trimmed, when the request got that far
  std::string calledAe;
};

// Checks the bytes received so far on a new connection.
RequestCheck checkAssociationRequest(std::string_view received);

// The PDUs we answer with on our own: 10 bytes each (PS3.8 9.3.4 and 9.3.8).
std::string associateRejectPdu(const Rejection& rejection);
std::string abortPdu(const AbortReason& reason);

}  // namespace burnstation::receiver
