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
#include <sstream>

#include "burnstation/jobs/job_runner.h"
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

void reload(const StationConfig& running, StationConfig& current, receiver::Receiver& receiver,
            store::Store& store, jobs::JobRunner& runner) {
  try {
    StationConfig next = loadConfig(*running.source);
    next.dataDir = current.dataDir;  // a different data directory needs a restart
    if (next.receiver.port != current.receiver.port) {
      log("the new port " + std::to_string(next.receiver.port) +
          " takes effect after a restart; still listening on " +
          std::to_string(current.receiver.port));
      next.receiver.port = current.receiver.port;
    }
    receiver.updateSettings(next.receiver);
    runner.updateConfig(next);
    store.setFreeSpaceReserve(next.freeSpaceReserve);
    store.setDuplicatePolicy(next.duplicates);
    current = next;
    log("configuration reloaded from " + running.source->string());
    store.logEvent("config-reloaded", running.source->string(), {});
  } catch (const ConfigError& e) {
    log(std::string("configuration not reloaded, keeping the previous one: ") + e.what());
    store.logEvent("config-rejected", e.what(), {});
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
  try {
    const CommandLine line(args, {"--config", "--data-dir", "--port", "--ae-title"}, {});
    config = resolveConfig(line);
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
    std::printf("listening %s@0.0.0.0:%d\n", config.receiver.aeTitle.c_str(), port);
    std::fflush(stdout);
    store.logEvent("service-started", "listening on port " + std::to_string(port), {});

    const StationConfig running = config;
    bool writable = store.writable();
    for (;;) {
      const timespec wait{1, 0};
      const int sig = sigtimedwait(&signals, nullptr, &wait);
      if (sig == SIGINT || sig == SIGTERM) break;
      if (!writable) writable = resumed(store);
      if (!config.source) continue;
      const auto now = contentOf(config.source);
      if (sig == SIGHUP || now != seen) {
        seen = now;
        reload(running, config, receiver, store, runner);
      }
    }
    log("stopping");
    receiver.stop();
    store.logEvent("service-stopped", "", {});
  } catch (const std::exception& e) {
    return reportError(e.what(), false);
  }
  return 0;
}

}  // namespace burnstation::app
