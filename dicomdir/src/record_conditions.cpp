// DICOMDIR Type 1C keys (see record_conditions.h). The conditions are PS3.3 F.5's, in the
// form dicom3tools' dciodvfy checks them; tests/dicomdir/record_conditions_test.cpp makes
// an instance for each condition and has dciodvfy read the exported DICOMDIR.
#include "record_conditions.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <array>
#include <vector>

#include "burnstation/store/implementation_identity.h"

namespace burnstation::dicomdir {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

std::string stringOf(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).bad()) return {};
  return trimmed(std::string(value.c_str(), value.length()));
}

bool has(DcmItem& item, const DcmTagKey& tag) {
  return item.tagExistsWithValue(tag);
}

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  item.putAndInsertOFStringArray(tag, OFString(value.data(), value.size()));
}

// SR DOCUMENT: Verification DateTime, required if Verification Flag is VERIFIED: the most
// recent Verification DateTime of the Verifying Observer Sequence.
bool isVerified(LeafContext& c) {
  return stringOf(c.record, DCM_VerificationFlag) == "VERIFIED";
}

void supplyVerificationDateTime(LeafContext& c) {
  std::vector<std::string> times;
  DcmSequenceOfItems* observers = nullptr;
  if (c.recorded.findAndGetSequence(DCM_VerifyingObserverSequence, observers).good() &&
      observers != nullptr) {
    for (unsigned long i = 0; i < observers->card(); ++i) {
      const std::string when = stringOf(*observers->getItem(i), DCM_VerificationDateTime);
      if (!when.empty()) times.push_back(when);
    }
  }
  std::string latest = latestDateTime(times);
  // A VERIFIED report without a dated observer breaks its own IOD; the record still needs
  // a value, and the content's date and time are the nearest the report says.
  if (latest.empty()) {
    latest = stringOf(c.record, DCM_ContentDate) + stringOf(c.record, DCM_ContentTime);
  }
  if (!latest.empty()) put(c.record, DCM_VerificationDateTime, latest);
}

// SR DOCUMENT and KEY OBJECT DOC: Content Sequence, required if the document title has
// concept modifiers; the store records only the root's HAS CONCEPT MOD items.
bool hasConceptModifiers(LeafContext& c) {
  return has(c.recorded, DCM_ContentSequence);
}

// PRESENTATION: Referenced Series Sequence, required if the instance has no Blending
// Sequence; Blending Sequence, required if it has no Referenced Series Sequence. Each
// presentation state class carries one of them as Type 1, so the copy brings it.
bool noBlendingSequence(LeafContext& c) {
  return !has(c.recorded, DCM_BlendingSequence);
}
bool noReferencedSeriesSequence(LeafContext& c) {
  return !has(c.recorded, DCM_ReferencedSeriesSequence);
}

// SPECTROSCOPY: Referenced Image Evidence Sequence, required if the instance has one (it
// is copied with the recorded keys). dciodvfy cannot tell and asks for it always.
bool hasImageEvidence(LeafContext& c) {
  return has(c.recorded, DCM_ReferencedImageEvidenceSequence);
}

// ENCAP DOC: HL7 Instance Identifier, required if the document is a CDA document. The
// instance must carry it too; when a sender left it out, the SOP Instance UID is an
// identifier as unique as the standard asks (an HL7 v3 II root without extension).
bool isCda(LeafContext& c) {
  return c.instance.sopClassUid == UID_EncapsulatedCDAStorage;
}
void supplyHl7InstanceIdentifier(LeafContext& c) {
  put(c.record, DCM_HL7InstanceIdentifier, c.instance.sopInstanceUid);
}

// PRIVATE: Private Record UID, required for every private record.
bool always(LeafContext&) {
  return true;
}
void supplyPrivateRecordUid(LeafContext& c) {
  put(c.record, DCM_PrivateRecordUID, std::string(kUidRoot) + ".2.1");
}

const std::array kConditionalKeys = {
    ConditionalKey{"SR DOCUMENT", DCM_VerificationDateTime, "Verification Flag is VERIFIED",
                   isVerified, supplyVerificationDateTime},
    ConditionalKey{"SR DOCUMENT", DCM_ContentSequence, "the title has concept modifiers",
                   hasConceptModifiers, nullptr},
    ConditionalKey{"KEY OBJECT DOC", DCM_ContentSequence, "the title has concept modifiers",
                   hasConceptModifiers, nullptr},
    ConditionalKey{"PRESENTATION", DCM_ReferencedSeriesSequence, "no Blending Sequence",
                   noBlendingSequence, nullptr},
    ConditionalKey{"PRESENTATION", DCM_BlendingSequence, "no Referenced Series Sequence",
                   noReferencedSeriesSequence, nullptr},
    ConditionalKey{"SPECTROSCOPY", DCM_ReferencedImageEvidenceSequence,
                   "the instance has image evidence", hasImageEvidence, nullptr},
    ConditionalKey{"ENCAP DOC", DCM_HL7InstanceIdentifier, "the document is CDA", isCda,
                   supplyHl7InstanceIdentifier},
    ConditionalKey{"PRIVATE", DCM_PrivateRecordUID, "a private record", always,
                   supplyPrivateRecordUid},
};

// A DT value as a string that sorts by time: the date and time padded to full precision.
std::string sortKey(std::string value) {
  const auto offset = value.find_first_of("+-");
  if (offset != std::string::npos) value.resize(offset);
  const auto dot = value.find('.');
  std::string whole = value.substr(0, dot);
  std::string fraction = dot == std::string::npos ? std::string() : value.substr(dot + 1);
  whole.resize(14, '0');
  fraction.resize(6, '0');
  return whole + "." + fraction;
}

}  // namespace

std::span<const ConditionalKey> conditionalKeys() {
  return kConditionalKeys;
}

void supplyConditionalKeys(LeafContext& context, std::string_view recordType) {
  for (const ConditionalKey& key : kConditionalKeys) {
    if (key.recordType != recordType || key.supply == nullptr) continue;
    if (key.required(context) && !has(context.record, key.tag)) key.supply(context);
  }
}

std::string latestDateTime(std::span<const std::string> values) {
  std::string latest;
  std::string latestKey;
  for (const std::string& raw : values) {
    const std::string value = trimmed(raw);
    if (value.empty()) continue;
    const std::string key = sortKey(value);
    if (latest.empty() || key > latestKey) {
      latest = value;
      latestKey = key;
    }
  }
  return latest;
}

}  // namespace burnstation::dicomdir
