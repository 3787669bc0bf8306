// Presentation context negotiation (see presentation_contexts.h).
#include "presentation_contexts.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <string>

namespace burnstation::receiver {
namespace {

// Uncompressed syntaxes in our order of preference: Explicit VR LE is what the media
// profiles want, Implicit VR LE needs re-encoding later, Big Endian is retired.
const char* const kUncompressedPreference[] = {
    UID_LittleEndianExplicitTransferSyntax,
    UID_DeflatedExplicitVRLittleEndianTransferSyntax,
    UID_LittleEndianImplicitTransferSyntax,
    UID_BigEndianExplicitTransferSyntax,
};

bool known(const char* uid) {
  return DcmXfer(uid).getXfer() != EXS_Unknown;
}

bool isStorage(const char* abstractSyntax) {
  if (dcmIsaStorageSOPClassUID(abstractSyntax, ESSC_All)) return true;
  // Private and newer classes are unknown to DCMTK's tables; they are stored unchanged.
  return dcmFindNameOfUID(abstractSyntax) == nullptr;
}

const char* chooseTransferSyntax(const T_ASC_PresentationContext& pc, bool verification) {
  if (!verification) {
    // Senders that offer a compressed context must get it: they hold the data that way and
    // some abort when it is refused (VideoStation). The first one offered wins.
    for (int i = 0; i < pc.transferSyntaxCount; ++i) {
      const DcmXfer xfer(pc.proposedTransferSyntaxes[i]);
      if (xfer.getXfer() != EXS_Unknown && xfer.isEncapsulated()) {
        return pc.proposedTransferSyntaxes[i];
      }
    }
  }
  for (const char* preferred : kUncompressedPreference) {
    for (int i = 0; i < pc.transferSyntaxCount; ++i) {
      if (std::string(pc.proposedTransferSyntaxes[i]) == preferred && known(preferred)) {
        return pc.proposedTransferSyntaxes[i];
      }
    }
  }
  return nullptr;
}

}  // namespace

int negotiatePresentationContexts(T_ASC_Parameters* params) {
  int accepted = 0;
  const int count = ASC_countPresentationContexts(params);
  for (int i = 0; i < count; ++i) {
    T_ASC_PresentationContext pc;
    if (ASC_getPresentationContext(params, i, &pc).bad()) continue;
    const bool verification = std::string(pc.abstractSyntax) == UID_VerificationSOPClass;
    if (!verification && !isStorage(pc.abstractSyntax)) {
      ASC_refusePresentationContext(params, pc.presentationContextID,
                                    ASC_P_ABSTRACTSYNTAXNOTSUPPORTED);
      continue;
    }
    const char* ts = chooseTransferSyntax(pc, verification);
    if (ts == nullptr) {
      ASC_refusePresentationContext(params, pc.presentationContextID,
                                    ASC_P_TRANSFERSYNTAXESNOTSUPPORTED);
      continue;
    }
    if (ASC_acceptPresentationContext(params, pc.presentationContextID, ts).good()) ++accepted;
  }
  return accepted;
}

}  // namespace burnstation::receiver
