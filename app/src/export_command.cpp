// `burnstation export`: writes the selection now as one file-set in DIR, or one per volume
// in DIR/VOL001, DIR/VOL002, ... Re-encoded instances are made first in a scratch folder,
// so the plan uses their real sizes; a failure removes everything this run wrote.
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/store/store.h"
#include "burnstation/store/stored_path.h"
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
    reencodeIntoScratch(medium, scratch.paths[0], config.receiver.aeTitle);

    const PlanInput input = planInputFor(medium);
    if (update) {
      // FSU: one medium that already holds part of the set; what is new must fit its free space.
      std::uint64_t needed = 0;
      for (const auto& item : input.items) needed += item.bytes;
      if (needed > freeSpaceAt(target)) {
        throw UsageError("the new studies need " + std::to_string(needed) + " bytes, " +
                         target.string() + " has " + std::to_string(freeSpaceAt(target)) + " free");
      }
      const auto set = dicomdir::updateFileSet(medium.selection, input.selectionIndex, medium.forms,
                                               target, config.receiver.aeTitle);
      mediawriter::writeChecksumManifest(target);  // the manifest follows the new content
      if (json) {
        std::cout << nlohmann::json{{"patient_key", medium.selection.collectionKey},
                                    {"profile", medium.profile->name},
                                    {"volumes",
                                     {{{"index", 1},
                                       {"of", 1},
                                       {"path", target.string()},
                                       {"file_set_id", set.fileSetId},
                                       {"instances_added", set.entries.size()},
                                       {"bytes", set.bytes}}}}}
                         .dump(2)
                  << "\n";
      } else {
        std::cout << set.entries.size() << " instance(s) added to the file-set in "
                  << target.string() << " (file-set " << set.fileSetId << ")\n";
      }
      return 0;
    }
    const std::uint64_t capacity = capacityFor(line, medium, freeSpaceAt(target));
    const dicomdir::VolumePlan plan =
        dicomdir::planVolumes(input.items, capacity, sizeModelFor(medium));
    if (!plan.unplaceable.empty()) {
      throw UsageError(plan.unplaceable.front().sopInstanceUid +
                       " cannot be placed: " + plan.unplaceable.front().reason);
    }
    const bool existed = fs::exists(target);
    RemoveOnExit written;
    if (!existed) written.paths.push_back(target);
    nlohmann::json volumes = nlohmann::json::array();
    for (const auto& v : plan.volumes) {
      const fs::path root = plan.volumes.size() == 1 ? target : target / volumeName(v.index);
      if (existed) written.paths.push_back(plan.volumes.size() == 1 ? target / "DICOMDIR" : root);
      if (existed && plan.volumes.size() == 1) {
        written.paths.push_back(target / "DICOM");
        written.paths.push_back(target / mediawriter::kManifestName);
      }
      std::vector<std::size_t> indexes;
      for (std::size_t item : v.items) indexes.push_back(input.selectionIndex[item]);
      const auto set =
          dicomdir::writeFileSet(medium.selection, indexes, medium.forms, root,
                                 dicomdir::newFileSetId(v.index), config.receiver.aeTitle);
      mediawriter::writeChecksumManifest(root);
      volumes.push_back({{"index", v.index},
                         {"of", v.of},
                         {"path", root.string()},
                         {"file_set_id", set.fileSetId},
                         {"instances", set.entries.size()},
                         {"bytes", set.bytes},
                         {"dicomdir_seconds", set.dicomdirSeconds}});
      if (!json) {
        std::cout << "disc " << v.index << " of " << v.of << ": " << set.entries.size()
                  << " instance(s) in " << root.string() << " (file-set " << set.fileSetId << ")\n";
      }
    }
    written.keep = true;
    if (json) {
      std::cout << nlohmann::json{{"patient_key", medium.selection.collectionKey},
                                  {"profile", medium.profile->name},
                                  {"volumes", volumes}}
                       .dump(2)
                << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
