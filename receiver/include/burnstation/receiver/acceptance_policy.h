// Whether to accept an association request (PS3.8 and Philips 4.2.1.4): the decision
// alone, without any network handle, so it can be tested and logged as it is.
#pragma once

#include <optional>
#include <string>

#include "burnstation/receiver/dicom_status.h"
#include "burnstation/receiver/receiver_settings.h"

namespace burnstation::receiver {

struct AssociationRequest {
  std::string callingAe;
  std::string calledAe;
  std::string peerAddress;
  std::string applicationContext;
  int activeAssociations = 0;
  int activeFromPeer = 0;  // of those, from the same peer address
};

struct AcceptanceDecision {
  std::optional<Rejection> rejection;  // empty: accept
  std::string explanation;             // for the event log
  const RemoteAe* remote = nullptr;    // the configured caller, when there is one
};

AcceptanceDecision decideAcceptance(const ReceiverSettings& settings,
                                    const AssociationRequest& request);

// The capacity part of decideAcceptance alone (the association limits, overall and per
// host): the receiver decides everything else first, outside its admission lock, because
// a configured host name may need a DNS lookup, and only this under the lock.
AcceptanceDecision decideCapacity(const ReceiverSettings& settings,
                                  const AssociationRequest& request);

}  // namespace burnstation::receiver
