// Which DICOMDIR leaf record an instance gets (PS3.3 F.5), from its SOP Class UID alone.
#pragma once

#include <string_view>

namespace burnstation::dicomdir {

struct LeafRecord {
  std::string_view type;  // Directory Record Type (0004,1430), e.g. "IMAGE", "SR DOCUMENT"
  bool topLevel;          // objects without a patient (Hanging Protocol, Color Palette, ...)
};

// Unknown and private SOP classes get PRIVATE; known storage classes without a record
// type of their own get IMAGE (as Segmentation does in PS3.3 F.5).
LeafRecord leafRecordFor(std::string_view sopClassUid);

}  // namespace burnstation::dicomdir
