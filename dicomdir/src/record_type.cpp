// SOP class -> leaf record type, one table (PS3.3 Table F.4-1 and F.5). Prefix entries
// cover families (all SR classes, all presentation states, all waveforms); exact entries
// come first so Key Object Selection wins over the SR family it belongs to.
#include "burnstation/dicomdir/record_type.h"

#include <array>
#include <string>

namespace burnstation::dicomdir {
namespace {

struct Rule {
  std::string_view uid;
  bool prefix;  // uid is a family prefix ending in '.'
  LeafRecord record;
};

constexpr std::string_view kStorage = "1.2.840.10008.5.1.4.1.1.";

constexpr std::array kRules = {
    Rule{"1.2.840.10008.5.1.4.1.1.88.59", false, {"KEY OBJECT DOC", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.88.", true, {"SR DOCUMENT", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.11.", true, {"PRESENTATION", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.9.", true, {"WAVEFORM", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.1", false, {"IMAGE", false}},  // RT Image
    Rule{"1.2.840.10008.5.1.4.1.1.481.2", false, {"RT DOSE", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.3", false, {"RT STRUCTURE SET", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.5", false, {"RT PLAN", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.8", false, {"RT PLAN", false}},  // RT Ion Plan
    Rule{"1.2.840.10008.5.1.4.1.1.481.4", false, {"RT TREAT RECORD", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.6", false, {"RT TREAT RECORD", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.7", false, {"RT TREAT RECORD", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.481.9", false, {"RT TREAT RECORD", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.4.2", false, {"SPECTROSCOPY", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.66", false, {"RAW DATA", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.66.1", false, {"REGISTRATION", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.66.3", false, {"REGISTRATION", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.66.2", false, {"FIDUCIAL", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.66.5", false, {"SURFACE", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.67", false, {"VALUE MAP", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.104.", true, {"ENCAP DOC", false}},
    Rule{"1.2.840.10008.5.1.4.1.1.77.1.5.3", false, {"STEREOMETRIC", false}},
    Rule{"1.2.840.10008.5.1.4.34.", true, {"RADIOTHERAPY", false}},  // 2nd generation RT
    Rule{"1.2.840.10008.5.1.1.27", false, {"STORED PRINT", false}},  // retired
    Rule{"1.2.840.10008.5.1.1.29", false, {"IMAGE", false}},         // retired Hardcopy Grayscale
    Rule{"1.2.840.10008.5.1.1.30", false, {"IMAGE", false}},         // retired Hardcopy Color
    Rule{"1.2.840.10008.5.1.4.38.1", false, {"HANGING PROTOCOL", true}},
    Rule{"1.2.840.10008.5.1.4.39.1", false, {"PALETTE", true}},
    Rule{"1.2.840.10008.5.1.4.43.1", false, {"IMPLANT", true}},
    Rule{"1.2.840.10008.5.1.4.44.1", false, {"IMPLANT ASSY", true}},
    Rule{"1.2.840.10008.5.1.4.45.1", false, {"IMPLANT GROUP", true}},
};

}  // namespace

LeafRecord leafRecordFor(std::string_view uid) {
  for (const Rule& rule : kRules) {
    if (rule.prefix ? uid.substr(0, rule.uid.size()) == rule.uid : uid == rule.uid)
      return rule.record;
  }
  // Standard image and other patient-level storage classes live under 1.2.840.10008.5.1.4.1.1.
  if (uid.substr(0, kStorage.size()) == kStorage) return {"IMAGE", false};
  return {"PRIVATE", false};
}

}  // namespace burnstation::dicomdir
