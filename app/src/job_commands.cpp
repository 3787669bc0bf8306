// `burnstation burn`, `jobs`, `cancel` and `drives`: the command line's side of the job
// queue. The service runs the jobs; these only write requests and read progress.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/mediawriter/usb_stick.h"
#include "burnstation/station/documents.h"
#include "burnstation/station/drive_choice.h"
#include "burnstation/station/job_request.h"
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
    const ValidatedJob validated = validateBurnRequest(config, store, asked);

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
    nlohmann::json list = nlohmann::json::array();
    for (const DriveChoice& d : knownDrives(config, true)) {
      nlohmann::json media;
      if (d.kind == DriveKind::Image) {
        std::error_code ec;
        const auto space =
            fs::space(fs::exists(config.dataDir) ? config.dataDir : fs::path("/"), ec);
        media = {{"status", "blank"},
                 {"type", "ISO 9660 image file"},
                 {"capacity_bytes", ec ? 0 : space.available}};
      } else {
        mediawriter::MediaNeed need;
        need.pseudoFamily = discFamilyOf(d.media);
        need.pseudoCapacity = d.capacity.value_or(0);
        try {
          const auto check = mediawriter::OpticalDrive(d.address).check(need);
          using V = mediawriter::MediaCheck::Verdict;
          const char* status = check.verdict == V::Blank      ? "blank"
                               : check.verdict == V::Absent   ? "absent"
                               : check.verdict == V::Erasable ? "rewritable, holds data"
                               : check.verdict == V::Written || check.verdict == V::Used
                                   ? "written"
                                   : "unsuitable";
          media = {{"status", status},
                   {"type", check.mediaType},
                   {"capacity_bytes", check.capacityBytes},
                   {"reason", check.reason}};
        } catch (const std::exception& e) {
          media = {{"status", "busy"}, {"type", ""}, {"capacity_bytes", 0}, {"reason", e.what()}};
        }
      }
      list.push_back({{"name", d.name},
                      {"address", d.address},
                      {"kind", d.kind == DriveKind::Image ? "image" : "optical"},
                      {"media", media}});
    }
    // USB sticks as libusb sees them now (hotplug enumerates those present at once).
    mediawriter::UsbSticks sticks(mediawriter::libusbHotplug());
    const auto usbEntry = [&](const std::string& address, const std::string& status,
                              const std::string& type, std::uint64_t size,
                              const std::string& reason) {
      list.push_back(
          {{"name", kUsbDriveName},
           {"address", address},
           {"kind", "usb"},
           {"media",
            {{"status", status}, {"type", type}, {"capacity_bytes", size}, {"reason", reason}}}});
    };
    const auto present = sticks.present();
    if (!sticks.watching()) usbEntry(kUsbDriveName, "unavailable", "", 0, sticks.problem());
    if (sticks.watching() && present.empty()) {
      usbEntry(kUsbDriveName, "absent", "", 0, "no USB stick is inserted");
    }
    for (const auto& stick : present) {
      std::string status = "usable", reason;
      if (!mediawriter::allowedByList(stick, config.usbAllowlist)) {
        status = "refused";
        reason = "not on the station's list of allowed sticks";
      } else if (stick.partition.empty()) {
        status = "absent";
        reason = "the system has not made a disk of it (yet)";
      } else if (const auto fat = mediawriter::checkFilesystem(stick.partition); !fat.usable()) {
        status = "refused";
        reason = fat.reason;
      }
      usbEntry(stick.partition.empty() ? stick.sysfsName() : stick.partition.string(), status,
               stick.describe(), stick.sizeBytes, reason);
    }
    if (json) {
      std::cout << nlohmann::json{{"drives", list}}.dump(2) << "\n";
      return 0;
    }
    for (const auto& d : list) {
      std::cout << d["name"].get<std::string>() << "  " << d["address"].get<std::string>() << "  "
                << d["media"]["status"].get<std::string>() << "  "
                << d["media"]["type"].get<std::string>() << "  "
                << d["media"]["capacity_bytes"].get<std::uint64_t>() << " bytes\n";
    }
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
