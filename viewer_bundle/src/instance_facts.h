// What the web content shows of one instance, read from its header (DCMTK, up to the pixel
// data) and decoded from its Specific Character Set into UTF-8.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace burnstation::viewer_bundle {

enum class ObjectKind { Image, StructuredReport, Pdf, Video, Other };
const char* toString(ObjectKind kind);  // "image", "sr", "pdf", "video", "other"

struct InstanceFacts {
  std::string patientName, patientId, birthDate, sex;  // birthDate as YYYY-MM-DD where valid
  std::string studyDate, studyTime, studyDescription, accession, institution;
  std::string seriesNumber, seriesDescription, modality, instanceNumber;
  std::string sopClassUid, transferSyntaxUid;
  ObjectKind kind = ObjectKind::Other;
  int rows = 0, columns = 0, frames = 1;
  std::optional<std::pair<double, double>> pixelSpacing;  // row, column spacing in mm
  std::optional<std::pair<double, double>> window;        // center, width
  double frameTimeMs = 0;
  std::string text;  // an SR document's content as indented lines
  std::vector<std::pair<std::string, std::string>> header;  // the main fields, for display
};

// Throws std::runtime_error naming the file when it cannot be read as DICOM.
InstanceFacts readInstanceFacts(const std::filesystem::path& file);

// Copies an Encapsulated PDF's document into pdfFile. Returns false when it holds none.
bool extractPdf(const std::filesystem::path& dicomFile, const std::filesystem::path& pdfFile);

// "2026-11-30" from "20261130"; anything else is returned as it is.
std::string isoDate(const std::string& da);

}  // namespace burnstation::viewer_bundle
