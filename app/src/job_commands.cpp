// `burnstation burn`, `jobs`, `cancel` and `drives`: the command line's side of the job
// queue. The service runs the jobs; these only write requests and read progress.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"
#include "command_line.h"
#include "commands.h"
#include "job_runner.h"
#include "medium_selection.h"

namespace burnstation::app {

namespace {

namespace fs = std::filesystem;

nlohmann::json toJson(const store::Job& j) {
  nlohmann::json volumes = nlohmann::json::array();
  for (const auto& v : j.volumes) {
    volumes.push_back({{"index", v.index},
                       {"of", v.of},
                       {"copy", v.copy},
                       {"state", v.state},
                       {"bytes_written", v.bytesWritten},
                       {"bytes_total", v.bytesTotal},
                       {"reject_reason", v.rejectReason},
                       {"target", v.target}});
  }
  return {{"id", j.id},
          {"state", j.state},
          {"patient_key", j.request.patientKey},
          {"studies", j.request.studies},
          {"profile", j.request.profile},
          {"drive", j.request.drive},
          {"copies", j.request.copies},
          {"created", j.created},
          {"updated", j.updated},
          {"message", j.message},
          {"volumes", volumes}};
}

bool ended(const std::string& state) {
  return state == store::job_state::kDone || state == store::job_state::kFailed ||
         state == store::job_state::kCancelled;
}

std::int64_t jobId(const std::string& text) {
  char* end = nullptr;
  const long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || id <= 0)
    throw UsageError("\"" + text + "\" is not a job number");
  return id;
}

}  // namespace

int runBurn(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args,
                           {"--config", "--data-dir", "--patient", "--study", "--profile",
                            "--drive", "--capacity", "--copies"},
                           {"--wait", "--json"});
    json = line.flag("--json");
    const StationConfig config = resolveConfig(line);
    const store::Store store = openStoreForReading(line);
    // Checked now, so the clerk hears about a wrong patient or profile before anything queues.
    const MediumSelection medium = resolveMediumSelection(line, config, store);
    if (const std::string unwritable = unwritableSummary(medium); !unwritable.empty()) {
      throw UsageError(unwritable);
    }
    store::JobRequest request;
    request.patientKey = medium.selection.collectionKey;
    request.studies = line.values("--study");
    request.profile = *line.value("--profile");
    request.drive = line.value("--drive").value_or(kImageDriveName);
    // The image drive or a stdio: pseudo-drive; real burners need read-back verification
    // from the drive first (the rest of issue 4), so they are refused rather than half done.
    if (request.drive.rfind("/dev/", 0) == 0) {
      throw UsageError("burning to " + request.drive +
                       " is not supported yet; use images or stdio:/path");
    }
    if (request.drive != kImageDriveName && request.drive.rfind("stdio:/", 0) != 0) {
      throw UsageError("drive \"" + request.drive +
                       "\" is unknown; give images or stdio:/path/file");
    }
    if (const auto copies = line.value("--copies")) {
      request.copies = std::atoi(copies->c_str());
      if (request.copies < 1 || request.copies > 99) throw UsageError("--copies must be 1 to 99");
    }
    if (line.value("--capacity")) request.capacity = capacityFor(line, medium);

    store::JobQueue queue(config.dataDir);
    const bool wait = line.flag("--wait");
    const auto sinceBeat = queue.secondsSinceHeartbeat();
    if (wait && (!sinceBeat || *sinceBeat > 10)) {
      throw UsageError("no service is running for " + config.dataDir.string() +
                       " (start `burnstation serve`); nothing was queued");
    }
    const std::int64_t id = queue.submit(request);
    if (!wait) {
      if (json) {
        std::cout << toJson(*queue.job(id)).dump(2) << "\n";
      } else {
        std::cout << "job " << id << " queued\n";
      }
      return 0;
    }
    std::string lastMessage;
    for (;;) {
      const auto job = queue.job(id);
      if (!job) throw std::runtime_error("job " + std::to_string(id) + " disappeared");
      if (!json && job->message != lastMessage && !job->message.empty()) {
        std::cout << "job " << id << ": " << job->state << ": " << job->message << std::endl;
        lastMessage = job->message;
      }
      if (ended(job->state)) {
        if (json) std::cout << toJson(*job).dump(2) << "\n";
        return job->state == store::job_state::kDone ? 0 : 1;
      }
      const auto beat = queue.secondsSinceHeartbeat();
      if (!beat || *beat > 10) {
        throw std::runtime_error("the service stopped while job " + std::to_string(id) + " was " +
                                 job->state + "; it resumes when the service starts");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

int runJobs(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {"--json"});
    json = line.flag("--json");
    store::JobQueue queue(resolveConfig(line).dataDir);
    const auto jobs = queue.jobs();
    if (json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& j : jobs) list.push_back(toJson(j));
      std::cout << nlohmann::json{{"jobs", list}}.dump(2) << "\n";
      return 0;
    }
    if (jobs.empty()) std::cout << "no jobs\n";
    for (const auto& j : jobs) {
      std::cout << "job " << j.id << "  " << j.state << "  " << j.request.patientKey << "  "
                << j.request.profile << " x" << j.request.copies << "  " << j.message << "\n";
      for (const auto& v : j.volumes) {
        const int percent =
            v.bytesTotal ? static_cast<int>(100 * v.bytesWritten / v.bytesTotal) : 0;
        std::cout << "    disc " << v.index << " of " << v.of << ", copy " << v.copy << ": "
                  << v.state << " " << percent << "%"
                  << (v.rejectReason.empty() ? "" : " (" + v.rejectReason + ")") << "\n";
      }
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

int runCancel(const std::vector<std::string>& args) {
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {});
    if (line.positional().size() != 1) throw UsageError("cancel takes one job number");
    const std::int64_t id = jobId(line.positional()[0]);
    store::JobQueue queue(resolveConfig(line).dataDir);
    if (!queue.cancel(id)) {
      throw UsageError("job " + std::to_string(id) + " does not exist or has already ended");
    }
    std::cout << "job " << id << ": cancel requested\n";
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), false);
  }
}

int runDrives(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {"--json"});
    json = line.flag("--json");
    const StationConfig config = resolveConfig(line);
    std::error_code ec;
    const auto space = fs::space(fs::exists(config.dataDir) ? config.dataDir : fs::path("/"), ec);
    const std::uint64_t free = ec ? 0 : space.available;
    if (json) {
      std::cout << nlohmann::json{{"drives",
                                   {{{"name", kImageDriveName},
                                     {"address", (config.dataDir / "images").string()},
                                     {"kind", "image"},
                                     {"media",
                                      {{"status", "blank"},
                                       {"type", "ISO 9660 image file"},
                                       {"capacity_bytes", free}}}}}}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << kImageDriveName << "  image files in " << (config.dataDir / "images").string()
                << "  " << free << " bytes free\n";
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
