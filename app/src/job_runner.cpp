// Job runner (see job_runner.h). State changes and progress go to the database at least
// twice a second while writing, so `jobs` and the kiosk can follow.
#include "job_runner.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/mediawriter/optical_drive.h"
#include "burnstation/mediawriter/verification.h"
#include "burnstation/store/store.h"
#include "medium_selection.h"

namespace burnstation::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

class JobCancelled : public std::runtime_error {
 public:
  JobCancelled() : std::runtime_error("cancelled") {}
};

// Refused media make the job wait for the next one, as a clerk changes discs; the reason
// stays on the volume so the kiosk can say why. (A publisher with a printer would print
// REJECT on the refused disc here.)
void waitForBlankMedium(const mediawriter::OpticalDrive& drive, std::uint64_t needed,
                        std::uint64_t capacity, std::int64_t jobId, store::JobVolume& volume,
                        store::JobQueue& queue) {
  std::string lastReason;
  for (;;) {
    if (queue.cancelRequested(jobId)) throw JobCancelled();
    const mediawriter::MediaCheck check = drive.check(needed, capacity);
    if (check.usable()) return;
    if (check.reason != lastReason) {
      volume.state = store::job_state::kWaitingForMedia;
      volume.rejectReason = check.reason;
      queue.updateVolume(jobId, volume);
      queue.setState(jobId, store::job_state::kWaitingForMedia,
                     "disc " + std::to_string(volume.index) + " of " + std::to_string(volume.of) +
                         ", copy " + std::to_string(volume.copy) + ": " + check.reason +
                         "; insert a blank disc");
      lastReason = check.reason;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

std::string imageName(std::int64_t job, int volume, int of, int copy) {
  char name[96];
  std::snprintf(name, sizeof name, "%lld-%dof%d-%d.iso", static_cast<long long>(job), volume, of,
                copy);
  return name;
}

}  // namespace

JobRunner::JobRunner(StationConfig config) : config_(std::move(config)) {}

JobRunner::~JobRunner() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void JobRunner::start() {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
}

void JobRunner::updateConfig(const StationConfig& config) {
  std::lock_guard lock(configMutex_);
  config_ = config;
}

void JobRunner::loop(std::stop_token stop) {
  StationConfig config;
  {
    std::lock_guard lock(configMutex_);
    config = config_;
  }
  store::JobQueue queue(config.dataDir);
  const int requeued = queue.requeueInterrupted();
  if (requeued > 0) {
    std::cerr << "burnstation: " << requeued << " interrupted job(s) queued again" << std::endl;
  }
  auto lastBeat = Clock::now() - std::chrono::hours(1);
  while (!stop.stop_requested()) {
    try {
      if (Clock::now() - lastBeat > std::chrono::seconds(2)) {
        queue.heartbeat();
        lastBeat = Clock::now();
      }
      if (auto job = queue.claimNext()) {
        {
          std::lock_guard lock(configMutex_);
          config = config_;
        }
        run(std::move(*job), queue, config);
        continue;
      }
    } catch (const std::exception& e) {
      std::cerr << "burnstation: job runner: " << e.what() << std::endl;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  try {
    queue.serviceStopped();
  } catch (const std::exception& e) {
    std::cerr << "burnstation: job runner: " << e.what() << std::endl;
  }
}

void JobRunner::run(store::Job job, store::JobQueue& queue, const StationConfig& config) {
  const fs::path scratch = config.dataDir / "scratch" / ("job-" + std::to_string(job.id));
  struct RemoveScratch {
    fs::path path;
    ~RemoveScratch() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } removeScratch{scratch};
  try {
    const bool imageDrive = job.request.drive.empty() || job.request.drive == kImageDriveName;
    std::optional<mediawriter::OpticalDrive> optical;
    if (!imageDrive) optical.emplace(job.request.drive);
    // The runner reads through its own connection: the receiver owns the service's one.
    const store::Store store({config.dataDir, 0, store::DuplicatePolicy::KeepStored},
                             store::Store::Access::ReadOnly);
    MediumSelection medium = resolveMediumSelection(config, store, job.request.patientKey,
                                                    job.request.studies, job.request.profile);
    if (const std::string unwritable = unwritableSummary(medium); !unwritable.empty()) {
      throw std::runtime_error(unwritable);
    }
    reencodeIntoScratch(medium, scratch / "reencoded", config.receiver.aeTitle);
    std::uint64_t capacity = job.request.capacity;
    if (capacity == 0) capacity = medium.setting.capacity.value_or(medium.profile->defaultCapacity);
    if (capacity == 0) capacity = fs::space(config.dataDir).available;
    const PlanInput input = planInputFor(medium);
    const dicomdir::VolumePlan plan =
        dicomdir::planVolumes(input.items, capacity, sizeModelFor(medium));
    if (!plan.unplaceable.empty()) {
      throw std::runtime_error(plan.unplaceable.front().sopInstanceUid +
                               " cannot be placed: " + plan.unplaceable.front().reason);
    }
    std::vector<store::JobVolume> volumes;
    for (int copy = 1; copy <= job.request.copies; ++copy) {
      for (const auto& v : plan.volumes) {
        volumes.push_back({v.index, v.of, copy, store::job_state::kQueued, 0, v.bytes, "", ""});
      }
    }
    queue.setVolumes(job.id, volumes);
    fs::create_directories(config.dataDir / "images");

    for (store::JobVolume& volume : volumes) {
      if (queue.cancelRequested(job.id)) throw JobCancelled();
      const auto& planned = plan.volumes[static_cast<std::size_t>(volume.index - 1)];
      queue.setState(job.id, store::job_state::kWriting,
                     "disc " + std::to_string(volume.index) + " of " + std::to_string(volume.of) +
                         ", copy " + std::to_string(volume.copy));
      const fs::path setDir = scratch / ("VOL" + std::to_string(volume.index));
      std::string fileSetId;
      if (volume.copy == 1) {
        std::vector<std::size_t> indexes;
        for (std::size_t item : planned.items) indexes.push_back(input.selectionIndex[item]);
        fileSetId =
            dicomdir::writeFileSet(medium.selection, indexes, medium.forms, setDir,
                                   dicomdir::newFileSetId(volume.index), config.receiver.aeTitle)
                .fileSetId;
      } else {
        fileSetId = dicomdir::checkFileSet(setDir).fileSetId;  // copies are the same volume
      }
      const auto content = mediawriter::contentOfDirectory(setDir, fileSetId);
      auto lastUpdate = Clock::now();
      const auto progress = [&](std::uint64_t written, std::uint64_t total) {
        if (Clock::now() - lastUpdate >= std::chrono::milliseconds(400) || written == total) {
          volume.bytesWritten = written;
          volume.bytesTotal = total;
          queue.updateVolume(job.id, volume);
          lastUpdate = Clock::now();
          return !queue.cancelRequested(job.id);
        }
        return true;
      };
      fs::path image;
      if (imageDrive) {
        image = config.dataDir / "images" / imageName(job.id, volume.index, volume.of, volume.copy);
        volume.state = store::job_state::kWriting;
        volume.target = image.string();
        mediawriter::writeIsoImage(content, image, progress);
      } else {
        waitForBlankMedium(*optical, mediawriter::isoImageBytes(content), capacity, job.id, volume,
                           queue);
        volume.state = store::job_state::kWriting;
        volume.target = optical->address();
        queue.setState(job.id, store::job_state::kWriting,
                       "writing disc " + std::to_string(volume.index) + " of " +
                           std::to_string(volume.of) + ", copy " + std::to_string(volume.copy));
        optical->write(content, progress);
        // A pseudo-drive's medium is its file; real drives are read back with the rest of issue 4.
        image = optical->address().substr(6);
      }
      volume.state = store::job_state::kVerifying;
      queue.updateVolume(job.id, volume);
      queue.setState(
          job.id, store::job_state::kVerifying,
          "checking disc " + std::to_string(volume.index) + " of " + std::to_string(volume.of));
      const auto report = mediawriter::verifyIsoImage(image);
      if (!report.ok()) {
        std::string why;
        for (const auto& c : report.checks) {
          if (!c.ok) why = c.name + ": " + c.detail;
        }
        volume.state = store::job_state::kFailed;
        volume.rejectReason = why;
        queue.updateVolume(job.id, volume);
        throw std::runtime_error("verification failed on disc " + std::to_string(volume.index) +
                                 ": " + why);
      }
      volume.state = store::job_state::kDone;
      queue.updateVolume(job.id, volume);
    }
    queue.setState(job.id, store::job_state::kDone,
                   std::to_string(plan.volumes.size()) + " disc(s) x " +
                       std::to_string(job.request.copies) + " cop(ies) written and verified");
  } catch (const JobCancelled&) {
    queue.setState(job.id, store::job_state::kCancelled, "cancelled by request");
  } catch (const mediawriter::MediaError& e) {
    const bool cancelled = e.code() == mediawriter::MediaError::Code::Cancelled;
    queue.setState(job.id, cancelled ? store::job_state::kCancelled : store::job_state::kFailed,
                   cancelled ? "cancelled by request" : e.what());
  } catch (const std::exception& e) {
    queue.setState(job.id, store::job_state::kFailed, e.what());
  }
}

}  // namespace burnstation::app
