// `burnstation serve`: the service in the foreground. Receives until SIGINT/SIGTERM and
// reloads its configuration on SIGHUP or when the file changes, keeping the last good one.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/oflog/oflog.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/jobs/job_runner.h"
#include "burnstation/jobs/local_api.h"
#include "burnstation/receiver/receiver.h"
#include "burnstation/receiver/receiver_error.h"
#include "burnstation/store/file_modes.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

namespace fs = std::filesystem;

namespace {

void log(const std::string& line) {
  std::cerr << "burnstation: " << line << std::endl;
}

// The file's content, not its mtime: an editor's truncate-then-write can land inside one
// timestamp tick, and a half-written file must not count as the final one.
std::optional<std::string> contentOf(const std::optional<fs::path>& file) {
  if (!file) return std::nullopt;
  std::ifstream in(*file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The configuration in force and the file it was last read from, shared by the serve loop
// (file changes, SIGHUP) and the local API's threads (changes saved by an admin).
class RunningConfig {
 public:
  // seen: the content of the file config was read from, taken when it was read.
  RunningConfig(StationConfig config, std::optional<fs::path> startedWith,
                std::optional<std::string> seen, receiver::Receiver& receiver, store::Store& store,
                jobs::JobRunner& runner)
      : current_(std::move(config)),
        startedWith_(std::move(startedWith)),
        seen_(std::move(seen)),
        receiver_(receiver),
        store_(store),
        runner_(runner) {}

  StationConfig get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  // Looks at the file in force (effectiveConfig's choice: the service-owned station.toml
  // while it exists, else the --config file) and reloads it when its content changed.
  void follow(bool hangup) {
    std::lock_guard lock(mutex_);
    const auto file = watched();
    if (!file) return;
    auto now = contentOf(file);
    if (!hangup && now == seen_) return;
    seen_ = std::move(now);
    try {
      StationConfig next = loadConfig(*file);
      apply(next);
      log("configuration reloaded from " + file->string());
      store_.logEvent("config-reloaded", file->string(), {});
    } catch (const ConfigError& e) {
      log(std::string("configuration not reloaded, keeping the previous one: ") + e.what());
      store_.logEvent("config-rejected", e.what(), {});
    }
  }

  // A configuration the local API has just saved to the service-owned file. What was saved
  // is taken as seen, so the loop does not reload it a second time.
  void applySaved(const StationConfig& saved) {
    std::lock_guard lock(mutex_);
    StationConfig next = saved;
    next.source = serviceConfigPath(current_.dataDir);
    apply(next);
    seen_ = contentOf(next.source);
    // The API's route records the event, with what changed and who changed it.
    log("configuration changed through the local API, saved to " + next.source->string());
  }

 private:
  std::optional<fs::path> watched() const {
    const fs::path owned = serviceConfigPath(current_.dataDir);
    std::error_code ec;
    if (fs::exists(owned, ec)) return owned;
    return startedWith_;
  }

  void apply(StationConfig& next) {
    next.dataDir = current_.dataDir;  // a different data directory needs a restart
    if (next.receiver.port != current_.receiver.port) {
      log("the new port " + std::to_string(next.receiver.port) +
          " takes effect after a restart; still listening on " +
          std::to_string(current_.receiver.port));
      next.receiver.port = current_.receiver.port;
    }
    if (next.apiSocket() != current_.apiSocket() ||
        next.api.socketGroup != current_.api.socketGroup) {
      log("a new [api] socket or socket_group takes effect after a restart");
    }
    receiver_.updateSettings(next.receiver);
    runner_.updateConfig(next);
    store_.setFreeSpaceReserve(next.freeSpaceReserve);
    store_.setDuplicatePolicy(next.duplicates);
    current_ = next;
  }

  mutable std::mutex mutex_;
  StationConfig current_;
  std::optional<fs::path> startedWith_;  // the --config file, if any
  std::optional<std::string> seen_;      // the watched file's content when last applied
  receiver::Receiver& receiver_;
  store::Store& store_;
  jobs::JobRunner& runner_;
};

// The kiosk's way in. When it cannot start (socket busy, a group that does not exist) the
// service goes on without it: receiving images matters more than the kiosk, and the log
// says why.
std::unique_ptr<jobs::LocalApi> startApi(jobs::ApiContext& context, const jobs::ApiRouter& router,
                                         store::Store& store) {
  try {
    auto api = std::make_unique<jobs::LocalApi>(context, router,
                                                [](const std::string& line) { log(line); });
    log("api " + api->socketPath().string());
    return api;
  } catch (const std::exception& e) {
    log(std::string("the local API is not available, the kiosk cannot connect: ") + e.what() +
        "; still receiving DICOM");
    store.logEvent("api-unavailable", e.what(), {});
    return nullptr;
  }
}

void logRecovery(const store::RecoveryReport& recovered) {
  if (recovered.temporaryFilesRemoved + recovered.filesReindexed + recovered.filesQuarantined > 0 ||
      !recovered.missingFiles.empty()) {
    log("recovery: removed " + std::to_string(recovered.temporaryFilesRemoved) +
        " unfinished file(s), re-indexed " + std::to_string(recovered.filesReindexed) +
        ", quarantined " + std::to_string(recovered.filesQuarantined) + ", " +
        std::to_string(recovered.missingFiles.size()) + " indexed file(s) missing");
    for (const auto& missing : recovered.missingFiles) log("missing: " + missing);
  }
}

// A receiver thread may have resumed the store first; the log says so either way.
bool resumed(store::Store& store) {
  try {
    if (!store.resumeWriting()) return false;
  } catch (const std::exception& e) {
    static std::string last;  // once per problem, not every second
    if (last != e.what()) log(std::string("the store is still read-only: ") + e.what());
    last = e.what();
    return false;
  }
  log("space has returned: the store is writable again");
  logRecovery(store.lastRecovery());
  return true;
}

}  // namespace

int runServe(const std::vector<std::string>& args) {
  StationConfig config;
  std::optional<fs::path> startedWith;  // --config: in force again if station.toml goes
  try {
    const CommandLine line(args, {"--config", "--data-dir", "--port", "--ae-title"}, {});
    config = resolveConfig(line);
    if (const auto file = line.value("--config")) startedWith = *file;
    if (const auto port = line.value("--port")) {
      const auto p = wholeNumber(*port, 0, 65535);
      if (!p) throw UsageError("--port must be 0..65535, not \"" + *port + "\"");
      config.receiver.port = static_cast<int>(*p);
    }
    if (const auto ae = line.value("--ae-title")) {
      if (ae->empty() || ae->size() > 16)
        throw UsageError("--ae-title must have 1 to 16 characters");
      config.receiver.aeTitle = *ae;
    }
  } catch (const std::exception& e) {
    return reportError(e.what(), false);
  }

  // Taken now, before anyone is told we listen, so an edit made right after is seen.
  auto seen = contentOf(config.source);
  std::optional<RunningConfig> running;

  OFLog::configure(OFLogger::WARN_LOG_LEVEL);
  // The header-only parse stops at Pixel Data on purpose; DCMTK warns about it every time.
  OFLog::getLogger("dcmtk.dcmdata").setLogLevel(OFLogger::ERROR_LOG_LEVEL);
  if (!dcmDataDict.isDictionaryLoaded()) {
    return reportError("the DICOM data dictionary is not loaded (check DCMDICTPATH)", false);
  }

  // Signals are taken by this thread alone, with sigtimedwait, so block them before any
  // thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // The explicit modes the store sets are the first line; this catches whatever a library
  // creates on our behalf (label PNGs, ISO images, scratch) with its own default mode.
  ::umask(store::kServiceUmask);

  try {
    store::Store store({config.dataDir, config.freeSpaceReserve, config.duplicates,
                        config.receiver.maxNestingDepth},
                       store::Store::Access::Service);
    const store::RecoveryReport recovered = store.recover();
    if (recovered.filesRenamed > 0) {
      log("layout: " + std::to_string(recovered.filesRenamed) +
          " stored file(s) renamed from their SOP Instance UIDs to names the station derives");
    }
    if (recovered.postponed) {
      log("the store is read-only until space returns (" + store.readOnlyReason() +
          "): C-STORE answers A700, stored studies can still be listed, exported and burned; "
          "start-up recovery runs once space returns");
    }
    logRecovery(recovered);
    // Made now, private, so that a command run later under a looser umask (export's scratch)
    // creates its folders inside ours.
    for (const char* folder : {"images", "labels", "scratch"}) {
      std::error_code ec;
      fs::create_directories(config.dataDir / folder, ec);
      if (!ec) store::makePrivate(config.dataDir / folder);
    }
    if (!config.source) {
      log("no configuration file: accepting any called and calling AE title");
    }
    jobs::JobRunner runner(config);
    runner.start();
    receiver::Receiver receiver(config.receiver, store);
    const int port = receiver.start();
    config.receiver.port = port;
    running.emplace(config, startedWith, seen, receiver, store, runner);

    jobs::ApiContext context;
    context.config = [&running] { return running->get(); };
    context.store = &store;
    context.applyConfig = [&running](const StationConfig& saved) { running->applySaved(saved); };
    jobs::ApiRouter router;
    jobs::addPatientRoutes(router, context);
    jobs::addJobRoutes(router, context);
    jobs::addAdminRoutes(router, context);
    jobs::addClerkRoutes(router, context);
    jobs::addConfigRoutes(router, context);
    jobs::addSetAsideRoutes(router, context);
    context.formatStick = [&runner](const std::string& id, bool force, auto report) {
      return runner.watcher().formatStick(id, force, std::move(report));
    };
    jobs::addStickRoutes(router, context);
    // Before "listening" is printed: whoever waits for that line can use the API too.
    std::unique_ptr<jobs::LocalApi> api = startApi(context, router, store);

    std::printf("listening %s@0.0.0.0:%d\n", config.receiver.aeTitle.c_str(), port);
    std::fflush(stdout);
    store.logEvent("service-started", "listening on port " + std::to_string(port), {});

    bool writable = store.writable();
    for (;;) {
      const timespec wait{1, 0};
      const int sig = sigtimedwait(&signals, nullptr, &wait);
      if (sig == SIGINT || sig == SIGTERM) break;
      if (!writable) writable = resumed(store);
      running->follow(sig == SIGHUP);
    }
    log("stopping");
    // The kiosk first: its event streams end and no request reaches a stopping receiver.
    api.reset();
    receiver.stop();
    store.logEvent("service-stopped", "", {});
  } catch (const std::exception& e) {
    return reportError(e.what(), false);
  }
  return 0;
}

}  // namespace burnstation::app
