// Selections for media (see medium_selection.h).
#include "burnstation/station/medium_selection.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/store.h"
#include "burnstation/store/uid.h"
#include "burnstation/viewer_bundle/preview_cache.h"
#include "burnstation/viewer_bundle/video_rewrap.h"
#include "burnstation/viewer_bundle/web_content.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>

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

constexpr std::uint64_t kSector = dicomdir::kSectorBytes;
std::uint64_t sectors(std::uint64_t bytes) {
  return (bytes + kSector - 1) / kSector * kSector;
}

// A preview file on the medium: its sectors, its directory records in the three trees and
// its line in the checksum manifest.
constexpr std::uint64_t kPerPreviewFile = 3 * 160 + 80;

viewer_bundle::PreviewSource previewSource(const store::SelectedInstance& in) {
  return {in.file, in.studyUid, in.sopInstanceUid, in.modality};
}

// Now, as ISO 8601 with the local offset, for README.TXT and the pages.
std::string createdNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  ::localtime_r(&now, &local);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &local);
  std::string s = text;
  if (s.size() > 5) s.insert(s.size() - 2, ":");  // +0100 -> +01:00
  return s;
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
    throw RequestError("unknown profile \"" + profileName + "\" (" + known + ")",
                       RequestError::Kind::NotFound);
  }
  MediumSelection medium;
  medium.setting = *setting;
  medium.selection = store.select({patient, studies});
  if (medium.selection.instances.empty()) {
    throw RequestError("nothing to write: the selection holds no instances");
  }
  medium.profile = &dicomdir::mediaProfile(setting->medium);
  medium.tier = setting->preview.value_or(viewer_bundle::PreviewTier::Full);
  medium.dataDir = config.dataDir;
  for (const auto& in : medium.selection.instances) {
    medium.forms.push_back(dicomdir::mediaFormFor(*medium.profile, in.transferSyntaxUid,
                                                  in.sopClassUid, setting->compression));
  }
  return medium;
}

namespace {

viewer_bundle::WebContent webContentFor(const MediumSelection& medium,
                                        const dicomdir::PlannedVolume& volume,
                                        const std::string& fileSetId, const std::string& stationAe,
                                        const std::vector<viewer_bundle::VolumeInstance>& onVolume,
                                        const std::filesystem::path& workDir, bool render) {
  viewer_bundle::VolumeFacts facts;
  facts.index = volume.index;
  facts.of = volume.of;
  facts.fileSetId = fileSetId;
  facts.station = stationAe;
  facts.applicationProfile = medium.profile->name;
  facts.created = createdNow();
  facts.web = medium.setting.viewer;
  facts.tier = medium.tier;
  viewer_bundle::PreviewCache previews(medium.dataDir);
  return viewer_bundle::buildWebContent(
      facts, onVolume, previews,
      render ? viewer_bundle::PreviewUse::Render : viewer_bundle::PreviewUse::LookupOrEstimate,
      workDir, [](const std::filesystem::path& dicomFile, const std::filesystem::path& mp4) {
        // A stream FFmpeg cannot read stays on the medium as DICOM; the viewer then says
        // that it cannot play it.
        try {
          viewer_bundle::rewrapVideo(dicomFile, mp4);
          return true;
        } catch (const viewer_bundle::VideoError&) {
          return false;
        }
      });
}

}  // namespace

std::vector<std::string> writeWebContent(const MediumSelection& medium,
                                         const dicomdir::PlannedVolume& volume,
                                         const dicomdir::WrittenFileSet& written,
                                         const std::filesystem::path& workDir,
                                         const std::string& stationAe) {
  namespace fs = std::filesystem;
  std::map<std::string, const store::SelectedInstance*> byUid;
  for (const auto& in : medium.selection.instances) byUid[in.sopInstanceUid] = &in;
  std::vector<viewer_bundle::VolumeInstance> onVolume;
  for (const auto& entry : written.entries) {
    const auto found = byUid.find(entry.sopInstanceUid);
    if (found == byUid.end()) continue;  // re-encoded with a new UID: never, lossless only
    const std::string path = dicomdir::toPath(entry.fileId);
    onVolume.push_back({written.root / path, path, found->second->studyUid,
                        found->second->seriesUid, entry.sopInstanceUid, found->second->modality});
  }
  std::vector<std::string> topLevel;
  for (const auto& f :
       webContentFor(medium, volume, written.fileSetId, stationAe, onVolume, workDir, true).files) {
    const fs::path to = written.root / f.mediumPath;
    fs::create_directories(to.parent_path());
    fs::copy_file(f.source, to, fs::copy_options::overwrite_existing);
    const std::string top = f.mediumPath.substr(0, f.mediumPath.find('/'));
    if (std::find(topLevel.begin(), topLevel.end(), top) == topLevel.end()) topLevel.push_back(top);
  }
  return topLevel;
}

void renderMissingPreviews(const MediumSelection& medium, const std::function<void()>& between) {
  if (!medium.setting.viewer || medium.tier == viewer_bundle::PreviewTier::None) return;
  viewer_bundle::PreviewCache previews(medium.dataDir);
  for (std::size_t i = 0; i < medium.selection.instances.size(); ++i) {
    if (medium.forms[i].conversion == dicomdir::Conversion::Unwritable) continue;
    if (between) between();
    const auto source = previewSource(medium.selection.instances[i]);
    try {
      if (!previews.lookup(source, medium.tier)) previews.ensure(source, medium.tier);
    } catch (const viewer_bundle::PreviewError& e) {
      // An instance that cannot be rendered goes on without previews. A store that cannot
      // keep them (a full disk) must not stop a burn or an export: the rest go without too.
      if (e.code() == viewer_bundle::PreviewError::Code::Storage) return;
    }
  }
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
  std::vector<viewer_bundle::VolumeInstance> onVolume;
  for (std::size_t k = 0; k < preview.files.size(); ++k) {
    const auto& [id, file] = preview.files[k];
    content.files.push_back({dicomdir::toPath(id), file});
    const auto& in = medium.selection.instances[indexes[k]];
    onVolume.push_back(
        {file, dicomdir::toPath(id), in.studyUid, in.seriesUid, in.sopInstanceUid, in.modality});
  }
  for (auto& f :
       webContentFor(medium, volume, fileSetId, stationAe, onVolume, workDir / "web", digests)
           .files) {
    content.files.push_back({std::move(f.mediumPath), std::move(f.source)});
  }
  mediawriter::addChecksumManifest(content, workDir / "manifest", digests);
  return content;
}

PlanInput planInputFor(const MediumSelection& medium) {
  PlanInput input;
  viewer_bundle::PreviewCache previews(medium.dataDir);
  for (std::size_t i = 0; i < medium.selection.instances.size(); ++i) {
    const auto& in = medium.selection.instances[i];
    const auto& form = medium.forms[i];
    if (form.conversion == dicomdir::Conversion::Unwritable) continue;
    const bool transcoded = form.conversion != dicomdir::Conversion::None;
    std::uint64_t bytes = transcoded ? transcodedUpperBound(in) : in.size;
    bool estimated = false;
    if (medium.setting.viewer) {
      bytes += viewer_bundle::webSizes(true).perInstanceText;
      // A video object also goes on as MP4: its stream, no larger than the stored file.
      if (viewer_bundle::isVideoTransferSyntax(in.transferSyntaxUid)) bytes += sectors(in.size);
      if (medium.tier != viewer_bundle::PreviewTier::None) {
        // A file that cannot be read is refused with its own reason when it is written.
        const auto source = previewSource(in);
        std::optional<viewer_bundle::RenderedInstance> kept;
        try {
          kept = previews.lookup(source, medium.tier);
        } catch (const viewer_bundle::PreviewError&) {
        }
        if (kept) {
          for (const auto& image : kept->images) bytes += sectors(image.bytes) + kPerPreviewFile;
        } else {
          // The estimate counts each file's sectors; their records come on top.
          std::uint64_t guess = 0;
          try {
            guess = viewer_bundle::PreviewCache::estimatedBytes(source, medium.tier);
          } catch (const viewer_bundle::PreviewError&) {
          }
          bytes += guess +
                   viewer_bundle::previewSpecs(medium.tier, in.modality).size() * kPerPreviewFile;
          estimated = guess > 0;
        }
      }
    }
    input.items.push_back({in.sopInstanceUid, in.studyUid, in.seriesUid, bytes, transcoded});
    input.selectionIndex.push_back(i);
    input.previewsEstimated.push_back(estimated);
  }
  return input;
}

dicomdir::VolumeSizeModel sizeModelFor(const MediumSelection& medium) {
  dicomdir::VolumeSizeModel model;
  model.reservedBytes =
      medium.setting.viewerReserve + viewer_bundle::webSizes(medium.setting.viewer).perVolume;
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
  return store::counted(unwritable.size(), "instance") + " cannot be written to " +
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
