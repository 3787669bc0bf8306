// What the receiver is configured with; the application fills it from the configuration.
#pragma once

#include <string>
#include <vector>

namespace burnstation::receiver {

struct RemoteAe {
  std::string aeTitle;
  std::string host;           // empty: any address
  std::string assumeCharset;  // for senders that send undeclared non-ASCII text
  int port = 0;               // where it listens, for an echo from the station; 0: not given

  bool operator==(const RemoteAe&) const = default;
};

struct ReceiverSettings {
  std::string aeTitle = "BURNSTATION";
  std::vector<std::string> extraCalledAeTitles;  // further titles we answer to
  bool acceptAnyCalledAe = false;                // built-in default only: no file, no AE list
  bool callingAllowlist = false;                 // only remotes may call
  std::vector<RemoteAe> remotes;
  int port = 11112;
  int maxPduBytes = 65536;
  int maxAssociations = 5;
  int maxAssociationsPerHost = 0;  // from one peer address; 0: as many as maxAssociations
  // Connections that have not yet completed their association request: in total and from
  // one address. Beyond either, the oldest such connection is closed.
  int maxPendingRequests = 64;
  int maxPendingRequestsPerHost = 16;
  int artimSeconds = 10;
  int dimseSeconds = 30;
  int idleSeconds = 300;
  int maxNestingDepth = 64;  // sequences in sequences; deeper data sets are refused (C000)

  bool operator==(const ReceiverSettings&) const = default;
};

}  // namespace burnstation::receiver
