// Which presentation contexts we accept, and with which transfer syntax.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>

namespace burnstation::receiver {

// Accepts Verification and every storage SOP class, standard, retired or private, keeping
// compressed syntaxes as offered and preferring Explicit to Implicit VR LE. Refuses known
// non-storage services. Returns the number of contexts accepted.
int negotiatePresentationContexts(T_ASC_Parameters* params);

}  // namespace burnstation::receiver
