// `burnstation burn`, `jobs`, `cancel` and `drives`: the command line's side of the job
// queue. The service runs the jobs; these only write requests and read progress.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "burnstation/mediawriter/usb_stick.h"
#include "burnstation/station/documents.h"
#include "burnstation/station/drive_choice.h"
#include "burnstation/station/drives_document.h"
#include "burnstation/station/job_request.h"
#include "burnstation/station/recorded_devices.h"
#include "burnstation/store/device_states.h"
#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"
#include "command_line.h"
#include "commands.h"
#include "selection_options.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

namespace {

namespace fs = std::filesystem;

// The person at the keyboard, for the medium-created record (REQUIREMENTS §6).
std::string whoAsks() {
  const char* user = std::getenv("SUDO_USER");
  if (!user || !*user) user = std::getenv("USER");
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(user && *user ? user : "unknown user") + "@" + host + " (command line)";
}

std::string volumeLine(const store::JobVolume& v) {
  std::string line = "disc " + std::to_string(v.index) + " of " + std::to_string(v.of) + ", copy " +
                     std::to_string(v.copy) + ": " + std::string(store::toString(v.state));
  if (v.bytesTotal) line += " " + std::to_string(100 * v.bytesWritten / v.bytesTotal) + "%";
  if (v.state == store::JobState::Writing && v.bytesPerSecond > 0) {
    char speed[64];
    std::snprintf(speed, sizeof speed, " %.1f MB/s", v.bytesPerSecond / 1e6);
    line += speed;
    if (v.etaSeconds >= 0) line += ", " + std::to_string(v.etaSeconds) + " s left";
  }
  if (!v.rejectReason.empty()) line += " (" + v.rejectReason + ")";
  return line;
}

std::int64_t jobId(const std::string& text) {
  const auto id = wholeNumber(text, 1, INT64_MAX);
  if (!id) throw UsageError("\"" + text + "\" is not a job number");
  return *id;
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
    BurnRequest asked;
    const auto patient = line.value("--patient");
    if (!patient) throw UsageError("--patient is required (a Patient ID or a key from `patients`)");
    const auto profile = line.value("--profile");
    if (!profile) throw UsageError("--profile is required (cd, dvd, dvd-j2k, usb, usb-j2k)");
    asked.patient = *patient;
    asked.studies = line.values("--study");
    asked.profile = *profile;
    asked.drive = line.value("--drive").value_or("");
    if (const auto copies = line.value("--copies")) {
      const auto n = wholeNumber(*copies, 1, kMaxCopies);
      if (!n) throw UsageError("--copies must be 1 to 99, not \"" + *copies + "\"");
      asked.copies = static_cast<int>(*n);
    }
    asked.capacity = capacityOption(line);
    asked.requestedBy = whoAsks();
    // Checked now, so the clerk hears about a wrong patient or profile before anything queues.
    // The burners a running service found; libburn's own scan when none runs.
    const auto recorded = recordedDevices(config);
    const auto discovery = recorded ? knownList(discoveredIn(*recorded)) : libburnDiscovery();
    const ValidatedJob validated = validateBurnRequest(config, store, asked, *discovery);

    store::JobQueue queue(config.dataDir);
    const bool wait = line.flag("--wait");
    const auto sinceBeat = queue.secondsSinceHeartbeat();
    if (wait && (!sinceBeat || *sinceBeat > 10)) {
      throw UsageError("no service is running for " + config.dataDir.string() +
                       " (start `burnstation serve`); nothing was queued");
    }
    const std::int64_t id = queue.submit(validated.request, validated.instances);
    if (!wait) {
      if (json) {
        std::cout << documentText(jobDocument(*queue.job(id))) << "\n";
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
        std::cout << "job " << id << ": " << store::toString(job->state) << ": " << job->message
                  << std::endl;
        lastMessage = job->message;
      }
      if (store::isTerminal(job->state)) {
        if (json) std::cout << documentText(jobDocument(*job)) << "\n";
        return job->state == store::JobState::Done ? 0 : 1;
      }
      const auto beat = queue.secondsSinceHeartbeat();
      if (!beat || *beat > 10) {
        throw std::runtime_error("the service stopped while job " + std::to_string(id) + " was " +
                                 std::string(store::toString(job->state)) +
                                 "; it resumes when the service starts");
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
      std::cout << documentText(jobsDocument(jobs)) << "\n";
      return 0;
    }
    if (jobs.empty()) std::cout << "no jobs\n";
    for (const auto& j : jobs) {
      std::cout << "job " << j.id << "  " << store::toString(j.state) << "  "
                << j.request.patientKey << "  " << j.request.profile << " x" << j.request.copies
                << "  " << j.message << "\n";
      for (const auto& v : j.volumes) std::cout << "    " << volumeLine(v) << "\n";
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
    // While a service runs, its device watcher has looked: grabbing a burner here would
    // compete with the job that holds it.
    auto devices = recordedDevices(config);
    if (!devices) {
      devices = probeDrives(config, defaultDiscovery().discover());
      // USB sticks as libusb sees them now (hotplug enumerates those present at once).
      mediawriter::UsbSticks sticks(mediawriter::libusbHotplug());
      for (auto& row : probeSticks(config, sticks)) devices->push_back(std::move(row));
    }
    if (json) {
      std::cout << drivesDocument(*devices).dump(2) << "\n";
    } else {
      std::cout << drivesText(*devices);
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
