// RAII owners of DCMTK's network handles. Destruction order matters: every association
// must be destroyed before the network it was received on (Receiver::Impl guarantees it
// by joining the workers before dropping the network).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>

#include <memory>

namespace burnstation::receiver {

struct NetworkDeleter {
  void operator()(T_ASC_Network* network) const { ASC_dropNetwork(&network); }
};
using NetworkHandle = std::unique_ptr<T_ASC_Network, NetworkDeleter>;

// Drops the transport (if still open) and frees the association. Releases and aborts are
// sent explicitly by their owners before this runs.
struct AssociationDeleter {
  void operator()(T_ASC_Association* association) const {
    ASC_dropSCPAssociation(association);
    ASC_destroyAssociation(&association);
  }
};
using AssociationHandle = std::unique_ptr<T_ASC_Association, AssociationDeleter>;

}  // namespace burnstation::receiver
