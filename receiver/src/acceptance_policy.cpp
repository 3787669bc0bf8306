// Association acceptance (see acceptance_policy.h). Order of checks follows PS3.8: the
// application context first, then called and calling AE, then the host, then capacity.
#include "burnstation/receiver/acceptance_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

namespace burnstation::receiver {
namespace {

constexpr const char* kDicomApplicationContext = "1.2.840.10008.3.1.1.1";

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  const auto first = s.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : s.substr(first);
}

// A configured host may be a name; the peer is always an address (reverse DNS is off).
bool hostMatches(const std::string& configured, const std::string& peer) {
  if (configured.empty() || configured == peer) return true;
  in_addr literal{};
  if (inet_pton(AF_INET, configured.c_str(), &literal) == 1) return false;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  if (getaddrinfo(configured.c_str(), nullptr, &hints, &found) != 0) return false;
  bool match = false;
  for (addrinfo* a = found; a != nullptr && !match; a = a->ai_next) {
    char text[INET_ADDRSTRLEN];
    const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
    if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text) && peer == text) match = true;
  }
  freeaddrinfo(found);
  return match;
}

}  // namespace

AcceptanceDecision decideAcceptance(const ReceiverSettings& settings,
                                    const AssociationRequest& request) {
  AcceptanceDecision decision;
  const std::string called = trimmed(request.calledAe);
  const std::string calling = trimmed(request.callingAe);

  if (request.applicationContext != kDicomApplicationContext) {
    decision.rejection = rejection::kApplicationContextNotSupported;
    decision.explanation = "application context " + request.applicationContext + " is not DICOM";
    return decision;
  }
  const bool calledKnown =
      settings.acceptAnyCalledAe || called == trimmed(settings.aeTitle) ||
      std::any_of(settings.extraCalledAeTitles.begin(), settings.extraCalledAeTitles.end(),
                  [&](const std::string& t) { return trimmed(t) == called; });
  if (!calledKnown) {
    decision.rejection = rejection::kCalledAeNotRecognized;
    decision.explanation = "called AE title \"" + called + "\" is not one of ours";
    return decision;
  }
  for (const RemoteAe& remote : settings.remotes) {
    if (trimmed(remote.aeTitle) == calling) {
      decision.remote = &remote;
      break;
    }
  }
  if (settings.callingAllowlist) {
    if (decision.remote == nullptr) {
      decision.rejection = rejection::kCallingAeNotRecognized;
      decision.explanation = "calling AE title \"" + calling + "\" is not configured";
      return decision;
    }
    if (!hostMatches(decision.remote->host, request.peerAddress)) {
      decision.rejection = rejection::kCallingAeNotRecognized;
      decision.explanation = "calling AE title \"" + calling + "\" is configured for host " +
                             decision.remote->host + ", not " + request.peerAddress;
      return decision;
    }
  }
  const AcceptanceDecision capacity = decideCapacity(settings, request);
  if (capacity.rejection) {
    decision.rejection = capacity.rejection;
    decision.explanation = capacity.explanation;
    return decision;
  }
  decision.explanation =
      "accepted \"" + calling + "\" calling \"" + called + "\" from " + request.peerAddress;
  return decision;
}

AcceptanceDecision decideCapacity(const ReceiverSettings& settings,
                                  const AssociationRequest& request) {
  AcceptanceDecision decision;
  if (request.activeAssociations >= settings.maxAssociations) {
    decision.rejection = rejection::kLocalLimitExceeded;
    decision.explanation =
        "association limit of " + std::to_string(settings.maxAssociations) + " reached";
    return decision;
  }
  const int perHost = settings.maxAssociationsPerHost > 0 ? settings.maxAssociationsPerHost
                                                          : settings.maxAssociations;
  if (request.activeFromPeer >= perHost) {
    decision.rejection = rejection::kLocalLimitExceeded;
    decision.explanation = "limit of " + std::to_string(perHost) + " associations from " +
                           request.peerAddress + " reached";
    return decision;
  }
  return decision;
}

}  // namespace burnstation::receiver
