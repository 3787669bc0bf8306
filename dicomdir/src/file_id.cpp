// File ID rules and allocation (see file_id.h).
#include "burnstation/dicomdir/file_id.h"

#include <algorithm>
#include <stdexcept>

namespace burnstation::dicomdir {

namespace {
std::string sixDigits(int n) {
  std::string digits = std::to_string(n);
  return std::string(6 - std::min<std::size_t>(6, digits.size()), '0') + digits;
}
}  // namespace

bool isValidFileId(const FileId& id) {
  if (id.empty() || id.size() > 8) return false;
  for (const std::string& part : id) {
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
  }
  return true;
}

std::string toPath(const FileId& id) {
  std::string path;
  for (const std::string& part : id) path += (path.empty() ? "" : "/") + part;
  return path;
}

FileIdAllocator::Level& FileIdAllocator::child(Level& parent, std::string_view key,
                                               std::string_view prefix) {
  for (Level& c : parent.children) {
    if (c.key == key) return c;
  }
  // Six digits: a million entries per level is beyond any medium.
  if (parent.nextChild > 999999) throw std::length_error("more than 999999 file IDs in one folder");
  parent.children.push_back(
      Level{std::string(key), std::string(prefix.substr(0, 2)) + sixDigits(parent.nextChild++), {}, 1});
  return parent.children.back();
}

FileId FileIdAllocator::next(std::string_view patientKey, std::string_view studyUid,
                             std::string_view seriesUid) {
  Level& patient = child(root_, patientKey, "PA");
  Level& study = child(patient, studyUid, "ST");
  Level& series = child(study, seriesUid, "SE");
  if (series.nextChild > 999999) throw std::length_error("more than 999999 instances in a series");
  return {"DICOM", patient.name, study.name, series.name, "IM" + sixDigits(series.nextChild++)};
}

}  // namespace burnstation::dicomdir
