// The UIDs of a C-STORE request, checked before a byte of its data set is kept: the
// request's SOP Instance UID goes into our File Meta, our response and our log.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmnet/dimse.h>

#include <string>

namespace burnstation::receiver {

// Why the request must be refused (an Error Comment of at most 64 characters), or empty.
// command is the request's command set as received, so a NUL inside a UID is seen (the
// T_DIMSE_C_StoreRQ copy stops at it); without it the parsed request is checked.
std::string requestUidRefusal(const T_DIMSE_C_StoreRQ& request, DcmDataset* command,
                              const std::string& transferSyntax);

}  // namespace burnstation::receiver
