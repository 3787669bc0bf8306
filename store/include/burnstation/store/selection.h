// A clerk's or a rule's choice of instances to write: one patient collection, all or some
// of its studies, in the order they go on a medium.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace burnstation::store {

struct SelectionRequest {
  std::string patient;                 // a Patient ID, or a collection key from `patients`
  std::vector<std::string> studyUids;  // empty: every study of the patient
};

struct SelectedInstance {
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string transferSyntaxUid;
  std::filesystem::path file;  // absolute path of the stored file
  std::uint64_t size = 0;
  std::uint64_t datasetOffset = 0;
  std::string instanceNumber;
  std::string specificCharacterSet;
  std::string recordKeys;  // see InstanceHeader::recordKeys
  std::string seriesUid;
  std::string modality;
  std::string seriesNumber;
  std::string studyUid;
  std::string studyDate;
  std::string studyTime;
};

struct Selection {
  std::string collectionKey;
  std::string patientId;
  bool patientIdGenerated = false;
  std::string patientName;  // UTF-8
  // Studies in chronological order, then series by number, then instances by number.
  std::vector<SelectedInstance> instances;
};

}  // namespace burnstation::store
