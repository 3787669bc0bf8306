// Label data (see disc_labels.h).
#include "burnstation/station/disc_labels.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <set>

namespace burnstation::station {

namespace {

// Institution Name (0008,0080) of a stored instance in UTF-8, or empty.
std::string institutionOf(const std::filesystem::path& file) {
  DcmFileFormat format;
  if (format
          .loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_fileOnly,
                            DcmTagKey(0x0008, 0x0081))
          .bad()) {
    return {};
  }
  DcmDataset& data = *format.getDataset();
  data.convertToUTF8();  // a failure leaves the bytes as they were, which still print
  OFString value;
  data.findAndGetOFString(DCM_InstitutionName, value);
  return value.c_str();
}

}  // namespace

mediawriter::DiscLabel labelFor(const store::Store& store, const MediumSelection& medium,
                                const PlanInput& input, const dicomdir::PlannedVolume& volume,
                                const std::string& stationAe) {
  mediawriter::DiscLabel label;
  label.patientName = medium.selection.patientName;
  label.patientId = medium.selection.patientId;
  label.withViewer = medium.setting.viewer;
  label.volumeIndex = volume.index;
  label.volumeCount = volume.of;
  label.stationName = stationAe;
  std::set<std::string> studies;
  for (std::size_t item : volume.items) {
    const auto& in = medium.selection.instances[input.selectionIndex[item]];
    studies.insert(in.studyUid);
    if (label.institution.empty()) label.institution = institutionOf(in.file);
  }
  for (const store::CollectionSummary& c : store.collections()) {
    if (c.key != medium.selection.collectionKey) continue;
    label.birthDate = c.birthDate;
    label.sex = c.sex;
    for (const store::StudySummary& s : c.studies) {
      if (!studies.count(s.studyUid)) continue;
      std::string modalities;
      for (const auto& m : s.modalities) modalities += (modalities.empty() ? "" : " ") + m;
      label.studies.push_back({s.date, s.description, modalities});
    }
  }
  return label;
}

std::filesystem::path labelPath(const std::filesystem::path& dataDir, std::int64_t job, int volume,
                                int volumes) {
  return dataDir / "labels" /
         (std::to_string(job) + "-" + std::to_string(volume) + "of" + std::to_string(volumes) +
          ".png");
}

}  // namespace burnstation::station
