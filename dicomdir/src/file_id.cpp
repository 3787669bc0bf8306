// File ID rules and allocation (see file_id.h).
#include "burnstation/dicomdir/file_id.h"

#include <algorithm>
#include <stdexcept>

namespace burnstation::dicomdir {

namespace {
// The number at the end of a name such as "ST000012", or 0.
int trailingNumber(const std::string& name) {
  std::size_t start = name.size();
  while (start > 0 && name[start - 1] >= '0' && name[start - 1] <= '9') --start;
  return start == name.size() || name.size() - start > 6 ? 0 : std::stoi(name.substr(start));
}

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

FileId fromReferencedFileId(std::string_view value) {
  FileId id;
  std::string part;
  for (char c : value) {
    if (c == '\\') {
      id.push_back(part);
      part.clear();
    } else if (c != ' ') {  // trailing padding of the CS value
      part.push_back(c);
    }
  }
  if (!part.empty() || !id.empty()) id.push_back(part);
  return id;
}

std::string toReferencedFileId(const FileId& id) {
  std::string value;
  for (const std::string& part : id) value += (value.empty() ? "" : "\\") + part;
  return value;
}

FileIdAllocator::Level& FileIdAllocator::child(Level& parent, std::string_view key,
                                               std::string_view prefix) {
  for (Level& c : parent.children) {
    if (c.key == key) return c;
  }
  // Six digits: a million entries per level is beyond any medium.
  if (parent.nextChild > 999999) throw std::length_error("more than 999999 file IDs in one folder");
  parent.children.push_back(Level{
      std::string(key), std::string(prefix.substr(0, 2)) + sixDigits(parent.nextChild++), {}, 1});
  return parent.children.back();
}

FileIdAllocator::Level& FileIdAllocator::adopt(Level& parent, std::string_view key,
                                               const std::string& name) {
  parent.nextChild = std::max(parent.nextChild, trailingNumber(name) + 1);
  for (Level& c : parent.children) {
    if (c.key == key) return c;
  }
  parent.children.push_back(Level{std::string(key), name, {}, 1});
  return parent.children.back();
}

void FileIdAllocator::reserve(const FileId& existing, std::string_view patientKey,
                              std::string_view studyUid, std::string_view seriesUid) {
  if (existing.size() != 5) return;  // not our DICOM/PA/ST/SE/IM shape: nothing to continue
  Level& patient = adopt(root_, patientKey, existing[1]);
  Level& study = adopt(patient, studyUid, existing[2]);
  Level& series = adopt(study, seriesUid, existing[3]);
  series.nextChild = std::max(series.nextChild, trailingNumber(existing[4]) + 1);
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
