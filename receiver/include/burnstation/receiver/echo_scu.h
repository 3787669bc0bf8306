// C-ECHO of a remote AE (the admin's "test" button beside a configured remote): whether it
// answers, and if not why, in words. Every step is bounded, so an unreachable peer costs
// seconds, never a stuck caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace burnstation::receiver {

struct EchoTarget {
  std::string callingAe;  // ours
  std::string calledAe;   // the remote's
  std::string host;
  int port = 0;
};

// Per step: TCP connect, the association's answer, the C-ECHO response, the release.
struct EchoTimeouts {
  int connectSeconds = 3;
  int associationSeconds = 3;
  int responseSeconds = 2;  // also bounds the release
};

struct EchoResult {
  bool ok = false;                      // the remote answered C-ECHO with success
  std::optional<std::uint16_t> status;  // the DIMSE status, when a response came
  std::string detail;                   // one sentence for the admin
  std::chrono::milliseconds elapsed{0};
};

// Never throws for what the network or the remote does; every failure is a result.
EchoResult echo(const EchoTarget& target, const EchoTimeouts& timeouts = {});

}  // namespace burnstation::receiver
