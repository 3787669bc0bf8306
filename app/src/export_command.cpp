// `burnstation export`: writes the selection now as one file-set in DIR, or one per volume
// in DIR/VOL001, DIR/VOL002, ..., as the station's planner plans them (the plan `plan`
// shows); re-encoded instances are made in a scratch folder first. A failure removes
// everything this run wrote.
#include <stdlib.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/station/documents.h"
#include "burnstation/station/volume_planner.h"
#include "burnstation/store/store.h"
#include "burnstation/store/stored_path.h"
#include "burnstation/store/uid.h"
#include "commands.h"
#include "selection_options.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

namespace fs = std::filesystem;

namespace {

struct RemoveOnExit {
  std::vector<fs::path> paths;
  bool keep = false;
  ~RemoveOnExit() {
    std::error_code ignored;
    if (!keep) {
      for (const auto& p : paths) fs::remove_all(p, ignored);
    }
  }
};

std::uint64_t freeSpaceAt(fs::path path) {
  while (!path.empty() && !fs::exists(path)) path = path.parent_path();
  struct statvfs info {};
  if (path.empty() || ::statvfs(path.c_str(), &info) != 0) return 0;
  return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

// A folder only we can enter, under a name nobody can plant beforehand (mkdtemp), removed
// when done: the web content holds the patient's name.
struct PrivateTempDir {
  fs::path path;
  PrivateTempDir() {
    std::string pattern = (fs::temp_directory_path() / "burnstation-web-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary folder in " +
                               fs::temp_directory_path().string());
    }
    path = pattern;
  }
  ~PrivateTempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
};

std::string volumeName(int index) {
  char name[16];
  std::snprintf(name, sizeof name, "VOL%03d", index);
  return name;
}

}  // namespace

int runExport(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(
        args, {"--config", "--data-dir", "--patient", "--study", "--profile", "--capacity", "--to"},
        {"--json", "--update"});
    json = line.flag("--json");
    const auto to = line.value("--to");
    if (!to) throw UsageError("--to DIR is required");
    const fs::path target = fs::absolute(*to);
    const bool update = line.flag("--update");
    const StationConfig config = resolveConfig(line);
    if (store::isInsideDataDir(target, config.dataDir)) {
      throw UsageError("--to " + target.string() + " is inside the station's data directory " +
                       config.dataDir.string() + "; export to a folder outside it");
    }
    std::error_code ec;
    if (update && !fs::exists(target / "DICOMDIR")) {
      throw UsageError("--update needs a file-set in " + target.string() + " (no DICOMDIR there)");
    }
    if (!update && fs::exists(target) && !fs::is_empty(target, ec)) {
      throw UsageError(
          target.string() +
          " is not empty; choose an empty or new folder, or --update the file-set there");
    }
    const store::Store store = openStoreForReading(line);
    MediumSelection medium = resolveMediumSelection(line, config, store);
    if (const std::string unwritable = unwritableSummary(medium); !unwritable.empty()) {
      throw UsageError(unwritable);
    }
    RemoveOnExit scratch{{config.dataDir / "scratch" / ("export-" + std::to_string(::getpid()))}};
    if (update) {
      reencodeIntoScratch(medium, scratch.paths[0], config.receiver.aeTitle);
      const PlanInput input = planInputFor(medium);
      // FSU: one medium that already holds part of the set; what is new must fit its free space.
      std::uint64_t needed = 0;
      for (const auto& item : input.items) needed += item.bytes;
      if (needed > freeSpaceAt(target)) {
        throw UsageError("the new studies need " + std::to_string(needed) + " bytes, " +
                         target.string() + " has " + std::to_string(freeSpaceAt(target)) + " free");
      }
      ExportedVolume added{1, 1,
                           dicomdir::updateFileSet(medium.selection, input.selectionIndex,
                                                   medium.forms, target, config.receiver.aeTitle),
                           true};
      mediawriter::writeChecksumManifest(target);  // the manifest follows the new content
      if (json) {
        std::cout << documentText(exportDocument(medium, {added})) << "\n";
      } else {
        std::cout << added.set.entries.size() << " instance(s) added to the file-set in "
                  << target.string() << " (file-set " << added.set.fileSetId << ")\n";
      }
      return 0;
    }
    // The same plan `plan` shows (upper bounds for what is re-encoded), made before
    // re-encoding, and sized in the temporary directory as `plan` does (the data directory
    // may be full while the export goes elsewhere).
    const MediumCapacity capacity =
        mediumCapacity(medium, {capacityOption(line), {}, freeSpaceAt(target)});
    choosePreviewTier(medium, capacity);
    // Previews not kept yet are rendered now, so the plan is exact where nothing is re-encoded.
    renderMissingPreviews(medium, {});
    const PlanInput input = planInputFor(medium);
    const StationPlan planned = planVolumesFor(
        medium, input, capacity,
        exactVolumeSizer(medium, input, config.receiver.aeTitle, fs::temp_directory_path()));
    const dicomdir::VolumePlan& plan = planned.plan;
    if (!plan.unplaceable.empty()) {
      throw UsageError(store::printableUid(plan.unplaceable.front().sopInstanceUid) +
                       " cannot be placed: " + plan.unplaceable.front().reason);
    }
    reencodeIntoScratch(medium, scratch.paths[0], config.receiver.aeTitle);
    const bool existed = fs::exists(target);
    RemoveOnExit written;
    if (!existed) written.paths.push_back(target);
    std::vector<ExportedVolume> volumes;
    for (const auto& v : plan.volumes) {
      const PrivateTempDir webWork;
      const fs::path root = plan.volumes.size() == 1 ? target : target / volumeName(v.index);
      if (existed) written.paths.push_back(plan.volumes.size() == 1 ? target / "DICOMDIR" : root);
      if (existed && plan.volumes.size() == 1) {
        written.paths.push_back(target / "DICOM");
        written.paths.push_back(target / mediawriter::kManifestName);
      }
      std::vector<std::size_t> indexes;
      for (std::size_t item : v.items) indexes.push_back(input.selectionIndex[item]);
      volumes.push_back(
          {v.index, v.of,
           dicomdir::writeFileSet(medium.selection, indexes, medium.forms, root,
                                  dicomdir::newFileSetId(v.index), config.receiver.aeTitle),
           false});
      // The web content a disc of this volume gets, so the folder is that disc's image; made
      // in the temporary directory, as the plan is sized: the data directory may be full.
      for (const auto& name :
           writeWebContent(medium, v, volumes.back().set, webWork.path, config.receiver.aeTitle)) {
        if (existed && plan.volumes.size() == 1) written.paths.push_back(target / name);
      }
      mediawriter::writeChecksumManifest(root);
      if (!json) {
        std::cout << "disc " << v.index << " of " << v.of << ": "
                  << volumes.back().set.entries.size() << " instance(s) in " << root.string()
                  << " (file-set " << volumes.back().set.fileSetId << ")\n";
      }
    }
    written.keep = true;
    if (json) std::cout << documentText(exportDocument(medium, volumes)) << "\n";
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
