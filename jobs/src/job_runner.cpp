// Job runner (see job_runner.h).
#include "burnstation/jobs/job_runner.h"

#include "burnstation/jobs/auto_burn.h"
#include "burnstation/store/store_error.h"

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>

namespace burnstation::jobs {

using namespace burnstation::station;  // jobs run what the station library decides

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// "12-1of2-1.iso" and "12-1of2.png" belong to job 12.
std::optional<std::int64_t> jobOfFile(const fs::path& file) {
  const std::string name = file.filename().string();
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), id);
  if (error != std::errc() || end == name.data() || *end != '-') return std::nullopt;
  return id;
}

}  // namespace

JobRunner::JobRunner(StationConfig config)
    : config_(std::move(config)),
      watcher_(std::make_shared<DeviceWatcher>(config_)),
      previews_(previewWorkerSettings(config_)) {}

JobRunner::~JobRunner() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  station::setDefaultDiscovery(nullptr);
}

void JobRunner::start() {
  // Alive before `listening` is printed, so `burn --wait` right after start finds us. On a
  // full disk the beat cannot be written: the service runs without it until space returns.
  try {
    store::JobQueue(currentConfig().dataDir).heartbeat();
  } catch (const std::exception& e) {
    std::cerr << "burnstation: job runner: no heartbeat yet: " << e.what() << std::endl;
  }
  // From now on the service asks the watcher which burners exist: nothing rescans the bus
  // while a job holds a drive.
  try {
    watcher_->start();
  } catch (const std::exception& e) {
    std::cerr << "burnstation: device watcher: " << e.what() << std::endl;
  }
  station::setDefaultDiscovery(watcher_);
  previews_.start();
  thread_ = std::jthread([this](std::stop_token stop) {
    try {
      loop(stop);
    } catch (const std::exception& e) {
      std::cerr << "burnstation: job runner stopped: " << e.what() << std::endl;
    } catch (...) {
      std::cerr << "burnstation: job runner stopped by an unknown error" << std::endl;
    }
  });
}

void JobRunner::updateConfig(const StationConfig& config) {
  {
    std::lock_guard lock(mutex_);
    config_ = config;
  }
  watcher_->updateConfig(config);
  previews_.updateSettings(previewWorkerSettings(config));
}

StationConfig JobRunner::currentConfig() {
  std::lock_guard lock(mutex_);
  return config_;
}

void JobRunner::purge(store::JobQueue& queue, const StationConfig& config) {
  const auto limit =
      fs::file_time_type::clock::now() - std::chrono::hours(config.jobs.keepImagesHours);
  for (const char* folder : {"images", "labels"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(config.dataDir / folder, ec)) {
      const auto id = jobOfFile(entry.path());
      if (!id || entry.last_write_time(ec) > limit || ec) continue;
      const auto job = queue.job(*id);
      const bool ended = !job || store::isTerminal(job->state);
      if (ended && fs::remove(entry.path(), ec)) {
        std::cerr << "burnstation: purged " << entry.path().string() << std::endl;
      }
    }
  }
  // Scratch of a job that is not running was left by a crash.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(config.dataDir / "scratch", ec)) {
    const std::string name = entry.path().filename().string();
    std::int64_t id = 0;
    if (name.rfind("job-", 0) == 0) std::from_chars(name.data() + 4, name.data() + name.size(), id);
    // An export's scratch (export_command.cpp) belongs to a command that may be running
    // beside the service right now: only a dead process's is left over.
    if (name.rfind("export-", 0) == 0) {
      pid_t pid = 0;
      std::from_chars(name.data() + 7, name.data() + name.size(), pid);
      if (pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM)) continue;
    }
    std::lock_guard lock(mutex_);
    if (!running_.count(id)) fs::remove_all(entry.path(), ec);
  }
}

void JobRunner::loop(std::stop_token stop) {
  StationConfig config = currentConfig();
  // Opened and taken up inside the loop: on a full disk both fail until space returns, and
  // no job may start before the interrupted ones are queued again.
  std::unique_ptr<store::JobQueue> opened;
  bool requeued = false;
  std::string lastProblem;
  auto lastBeat = Clock::now() - std::chrono::hours(1);
  auto lastPurge = Clock::now() - std::chrono::hours(1);
  auto lastAutoBurn = Clock::now();
  AutoBurnWatch autoBurn;
  while (!stop.stop_requested()) {
    try {
      if (!opened) opened = std::make_unique<store::JobQueue>(config.dataDir);
      store::JobQueue& queue = *opened;
      if (!requeued) {
        const int count = queue.requeueInterrupted();
        requeued = true;
        if (count > 0) {
          std::cerr << "burnstation: " << count << " interrupted job(s) queued again" << std::endl;
        }
      }
      if (Clock::now() - lastBeat > std::chrono::seconds(2)) {
        lastBeat = Clock::now();
        try {
          queue.heartbeat();
        } catch (const store::StoreError& e) {
          // A missing beat only makes `burn --wait` refuse; jobs can still run (a full disk).
          if (e.code() != store::StoreError::Code::NoSpace) throw;
        }
      }
      std::vector<std::string> busy;
      {
        std::lock_guard lock(mutex_);
        for (std::int64_t id : finished_) running_.erase(id);  // joins the finished thread
        finished_.clear();
        for (const auto& [drive, job] : busyDrives_) busy.push_back(drive);
        watcher_->setBusy(busyDrives_);
      }
      if (Clock::now() - lastAutoBurn > std::chrono::seconds(1)) {
        autoBurn.poll(queue, currentConfig(), *watcher_);
        lastAutoBurn = Clock::now();
      }
      if (Clock::now() - lastPurge > std::chrono::minutes(10)) {
        purge(queue, currentConfig());
        lastPurge = Clock::now();
      }
      if (auto job = queue.claimNext(busy)) {
        config = currentConfig();
        const std::int64_t id = job->id;
        const std::string drive = job->request.drive;
        std::lock_guard lock(mutex_);
        busyDrives_[drive] = id;
        watcher_->setBusy(busyDrives_);  // before the job's first look at the drive
        running_[id] =
            std::jthread([this, config, job = std::move(*job), drive](std::stop_token s) {
              try {
                store::JobQueue own(config.dataDir);  // one connection per thread
                runBurnJob(job, own, config, space_, s);
              } catch (const std::exception& e) {
                std::cerr << "burnstation: job " << job.id << ": " << e.what() << std::endl;
              } catch (...) {
                std::cerr << "burnstation: job " << job.id << ": unknown error" << std::endl;
              }
              std::lock_guard done(mutex_);
              busyDrives_.erase(drive);
              finished_.insert(job.id);
            });
        continue;
      }
      lastProblem.clear();
    } catch (const std::exception& e) {
      // Once per problem: a full disk would otherwise print this four times a second.
      if (lastProblem != e.what()) {
        lastProblem = e.what();
        std::cerr << "burnstation: job runner: " << e.what() << std::endl;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  {
    // Job threads see the stop, put their jobs back in the queue and end.
    std::map<std::int64_t, std::jthread> stopping;
    {
      std::lock_guard lock(mutex_);
      stopping.swap(running_);
    }
    stopping.clear();
  }
  try {
    if (opened) opened->serviceStopped();
  } catch (const std::exception& e) {
    std::cerr << "burnstation: job runner: " << e.what() << std::endl;
  }
}

}  // namespace burnstation::jobs
