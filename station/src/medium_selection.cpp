// Selections for media (see medium_selection.h).
#include "burnstation/station/medium_selection.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/store/store.h"
#include "burnstation/store/uid.h"

namespace burnstation::station {

namespace {

// Upper bound of an instance re-encoded to Explicit VR Little Endian: the stored bytes plus
// the decoded pixel data, plus room for re-encoded headers. Deflated data sets can grow by
// much more than their pixels, so they get four times their stored size on top.
std::uint64_t transcodedUpperBound(const store::SelectedInstance& in) {
  DcmFileFormat file;
  std::uint64_t pixels = 0;
  if (file.loadFileUntilTag(in.file.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_fileOnly,
                            DCM_PixelData)
          .good()) {
    DcmDataset& d = *file.getDataset();
    Uint16 rows = 0, columns = 0, samples = 1, bits = 16;
    long frames = 1;
    d.findAndGetUint16(DCM_Rows, rows);
    d.findAndGetUint16(DCM_Columns, columns);
    d.findAndGetUint16(DCM_SamplesPerPixel, samples);
    d.findAndGetUint16(DCM_BitsAllocated, bits);
    d.findAndGetLongInt(DCM_NumberOfFrames, frames);
    pixels = std::uint64_t{rows} * columns * samples * ((bits + 7u) / 8u) *
             static_cast<std::uint64_t>(frames > 0 ? frames : 1);
  }
  const bool deflated = in.transferSyntaxUid == "1.2.840.10008.1.2.1.99";
  return in.size + pixels + 65536 + (deflated ? 4 * in.size : 0);
}

}  // namespace

MediumSelection resolveMediumSelection(const StationConfig& config, const store::Store& store,
                                       const std::string& patient,
                                       const std::vector<std::string>& studies,
                                       const std::string& profileName) {
  const ProfileSetting* setting = config.findProfile(profileName);
  if (!setting) {
    std::string known;
    for (const auto& p : config.profiles) known += (known.empty() ? "" : ", ") + p.name;
    throw RequestError("unknown profile \"" + profileName + "\" (" + known + ")");
  }
  MediumSelection medium;
  medium.setting = *setting;
  medium.selection = store.select({patient, studies});
  if (medium.selection.instances.empty()) {
    throw RequestError("nothing to write: the selection holds no instances");
  }
  medium.profile = &dicomdir::mediaProfile(setting->medium);
  for (const auto& in : medium.selection.instances) {
    medium.forms.push_back(dicomdir::mediaFormFor(*medium.profile, in.transferSyntaxUid,
                                                  in.sopClassUid, setting->compression));
  }
  return medium;
}

mediawriter::IsoVolumeContent volumeContentFor(const MediumSelection& medium,
                                               const PlanInput& input,
                                               const dicomdir::PlannedVolume& volume,
                                               const std::filesystem::path& workDir,
                                               const std::string& stationAe, bool digests,
                                               const std::string& keptFileSetId) {
  std::vector<std::size_t> indexes;
  for (std::size_t item : volume.items) indexes.push_back(input.selectionIndex[item]);
  const std::string fileSetId =
      keptFileSetId.empty() ? dicomdir::newFileSetId(volume.index) : keptFileSetId;
  const auto preview = dicomdir::previewFileSet(medium.selection, indexes, medium.forms, workDir,
                                                fileSetId, stationAe);
  mediawriter::IsoVolumeContent content{fileSetId, {{"DICOMDIR", preview.dicomdir}}};
  for (const auto& [id, file] : preview.files) {
    content.files.push_back({dicomdir::toPath(id), file});
  }
  mediawriter::addChecksumManifest(content, workDir / "manifest", digests);
  return content;
}

PlanInput planInputFor(const MediumSelection& medium) {
  PlanInput input;
  for (std::size_t i = 0; i < medium.selection.instances.size(); ++i) {
    const auto& in = medium.selection.instances[i];
    const auto& form = medium.forms[i];
    if (form.conversion == dicomdir::Conversion::Unwritable) continue;
    const bool transcoded = form.conversion != dicomdir::Conversion::None;
    input.items.push_back({in.sopInstanceUid, in.studyUid, in.seriesUid,
                           transcoded ? transcodedUpperBound(in) : in.size, transcoded});
    input.selectionIndex.push_back(i);
  }
  return input;
}

dicomdir::VolumeSizeModel sizeModelFor(const MediumSelection& medium) {
  dicomdir::VolumeSizeModel model;
  model.reservedBytes = medium.setting.viewer ? medium.setting.viewerReserve : 0;
  // Every file also has a line in the checksum manifest: digest, path, newline.
  model.perFileBytes += 32 + 2 + 40 + 1;
  model.fixedBytes += dicomdir::kSectorBytes;  // the manifest's own last sector
  return model;
}

void reencodeIntoScratch(MediumSelection& medium, const std::filesystem::path& scratchDir,
                         const std::string& stationAe) {
  std::filesystem::create_directories(scratchDir);
  for (std::size_t i = 0; i < medium.selection.instances.size(); ++i) {
    const dicomdir::Conversion conversion = medium.forms[i].conversion;
    if (conversion == dicomdir::Conversion::None ||
        conversion == dicomdir::Conversion::Unwritable) {
      continue;
    }
    auto& in = medium.selection.instances[i];
    // Named by position, never by the UID: an index written before UIDs were checked can
    // hold one such as "../../x" or an absolute path.
    const auto converted = scratchDir / (std::to_string(i) + ".dcm");
    dicomdir::transcode(in.file, converted, conversion, stationAe);
    in.file = converted;
    in.size = std::filesystem::file_size(converted);
    in.transferSyntaxUid = dicomdir::transferSyntaxAfter(conversion, in.transferSyntaxUid);
    medium.forms[i] = {dicomdir::Conversion::None, {}};
  }
}

std::string unwritableSummary(const MediumSelection& medium) {
  const auto unwritable = unwritableItems(medium);
  if (unwritable.empty()) return {};
  std::string list;
  // The UID comes from the index, which an earlier version filled without checking it.
  for (const auto& u : unwritable)
    list += "; " + store::printableUid(u.sopInstanceUid) + ": " + u.reason;
  return std::to_string(unwritable.size()) + " instance(s) cannot be written to " +
         std::string(medium.profile->name) + list;
}

std::vector<dicomdir::UnplaceableItem> unwritableItems(const MediumSelection& medium) {
  std::vector<dicomdir::UnplaceableItem> out;
  for (std::size_t i = 0; i < medium.selection.instances.size(); ++i) {
    if (medium.forms[i].conversion == dicomdir::Conversion::Unwritable) {
      out.push_back({medium.selection.instances[i].sopInstanceUid, medium.forms[i].reason});
    }
  }
  return out;
}

}  // namespace burnstation::station
