// C-STORE request UID check (see request_uids.h).
#include "request_uids.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include "burnstation/store/uid.h"

namespace burnstation::receiver {
namespace {

// Error Comment (0000,0902) is LO.
constexpr std::size_t kErrorCommentLength = 64;

std::string rawValue(DcmDataset* command, const DcmTagKey& tag, const char* parsed) {
  const char* value = nullptr;
  Uint32 length = 0;
  if (command != nullptr && command->findAndGetString(tag, value, length).good() &&
      value != nullptr) {
    return std::string(value, length);
  }
  return parsed;
}

}  // namespace

std::string requestUidRefusal(const T_DIMSE_C_StoreRQ& request, DcmDataset* command,
                              const std::string& transferSyntax) {
  const std::string instance =
      rawValue(command, DCM_AffectedSOPInstanceUID, request.AffectedSOPInstanceUID);
  const std::string sopClass =
      rawValue(command, DCM_AffectedSOPClassUID, request.AffectedSOPClassUID);
  return store::screenUids({{"SOP Instance UID", instance},
                            {"SOP Class UID", sopClass},
                            {"Transfer Syntax UID", transferSyntax}},
                           kErrorCommentLength)
      .refusal;
}

}  // namespace burnstation::receiver
