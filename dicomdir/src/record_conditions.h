// The Type 1C keys of DICOMDIR leaf records (PS3.3 F.5) as one table: when each one is
// required, and how its value is found when the instance does not carry it under the
// record's own tag (Verification DateTime sits inside the Verifying Observer Sequence).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <span>
#include <string>
#include <string_view>

#include "burnstation/store/selection.h"

namespace burnstation::dicomdir {

// What a condition can look at: the record as filled so far, the keys the store recorded
// for the instance (an empty item when none were) and the instance's index row.
struct LeafContext {
  DcmItem& record;
  DcmItem& recorded;
  const store::SelectedInstance& instance;
};

struct ConditionalKey {
  std::string_view recordType;
  DcmTagKey tag;
  std::string_view condition;  // PS3.3 F.5 in short, for people and test names
  bool (*required)(LeafContext&);
  // Puts the value when required and absent; nullptr where the instance itself must carry
  // the attribute under the same condition (it is then copied with the recorded keys).
  void (*supply)(LeafContext&);
};

// Every Type 1C key of the leaf records we write. The other 1C keys of the standard are
// written unconditionally: Specific Character Set where text is not ASCII (record_keys.cpp),
// Study Instance UID in every STUDY record, the Referenced File/SOP keys in every leaf.
std::span<const ConditionalKey> conditionalKeys();

// Supplies every conditional key of recordType that is required and absent.
void supplyConditionalKeys(LeafContext& context, std::string_view recordType);

// The most recent of DICOM DT values (partial values are earlier than any completion of
// them); empty when there is none. Offsets from UTC are not applied.
std::string latestDateTime(std::span<const std::string> values);

}  // namespace burnstation::dicomdir
