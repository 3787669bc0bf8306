// The printable label of one disc (REQUIREMENTS §3 "label"): patient, studies, institution,
// "DICOM PLUS WEB" or "DICOM ONLY", disc N of M, rendered as a round disc-face PNG at 300 dpi
// with pango and cairo, whose fontconfig fallback covers CJK names (fonts-noto-cjk).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace burnstation::mediawriter {

struct LabelStudy {
  std::string date;  // DICOM DA, YYYYMMDD
  std::string description;
  std::string modalities;  // e.g. "CT MR"
};

struct DiscLabel {
  std::string patientName;  // DICOM PN in UTF-8, groups separated by '='
  std::string patientId;
  std::string birthDate;  // DICOM DA
  std::string sex;
  std::string institution;
  std::vector<LabelStudy> studies;
  bool withViewer = true;
  int volumeIndex = 1;
  int volumeCount = 1;
  int copy = 1;
  std::string stationName;
};

struct LabelRendering {
  int width = 0;
  int height = 0;
  int unknownGlyphs = 0;     // characters no installed font could draw
  int studiesNotListed = 0;  // summarised as "+ N more studies"
  int linesLeftOut = 0;      // lines too near the rim to print (the least important)
};

// Owned by main (and the test runner): releases the font caches at exit.
class LabelFonts {
 public:
  LabelFonts() = default;
  ~LabelFonts();
  LabelFonts(const LabelFonts&) = delete;
  LabelFonts& operator=(const LabelFonts&) = delete;
};

// Writes the label (via a temporary file and a rename). Throws MediaError.
LabelRendering renderDiscLabel(const DiscLabel& label, const std::filesystem::path& png);

// "Yamada^Tarou=山田^太郎" -> {"YAMADA, Tarou", "山田 太郎"}: one display line per group.
std::vector<std::string> displayNames(const std::string& personName);

}  // namespace burnstation::mediawriter
