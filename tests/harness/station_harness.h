// Drives the real burnstation binary and real DCMTK tools from tests: temporary
// directories, child processes with captured output, a running station on a free port.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace burnstation::harness {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exitCode = -1;
  std::string out;
  std::string err;
  bool timedOut = false;
};

// How long a command may run before the test gives up on it: every command a test runs
// ends or fails the test in seconds, never at ctest's timeout.
inline constexpr int kCommandSeconds = 180;

// Runs argv[0] (looked up in PATH) to completion; extraEnv adds to the environment. A
// command still running after timeoutSeconds is killed (SIGKILL) and fails the test.
CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extraEnv = {},
                         int timeoutSeconds = kCommandSeconds);

std::string burnstationExe();
// burnstation with these arguments.
CommandResult burnstation(const std::vector<std::string>& args,
                          int timeoutSeconds = kCommandSeconds);
std::string testScuExe();

// `burnstation serve --port 0` on a data directory, stopped (SIGTERM) when destroyed.
// Without a config file the station gets a test one (any called AE, a 50 MB free-space
// reserve, so tests do not depend on the machine having the default 2 GB free);
// BuiltInDefaults runs it with no file at all.
class Station {
 public:
  enum class Config { Test, BuiltInDefaults };
  explicit Station(std::filesystem::path dataDir,
                   std::optional<std::filesystem::path> config = std::nullopt,
                   std::vector<std::string> extraArgs = {}, Config mode = Config::Test);
  ~Station();
  Station(const Station&) = delete;
  Station& operator=(const Station&) = delete;

  int port() const { return port_; }
  std::string portText() const { return std::to_string(port_); }
  const std::filesystem::path& dataDir() const { return dataDir_; }
  // Everything the service wrote to stderr so far.
  std::string log() const;
  // SIGTERM, returns the exit status; a service still running after stopSeconds is
  // killed and fails the test.
  int stop(int stopSeconds = 60);
  void kill();  // SIGKILL, as a power cut would
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }

 private:
  std::filesystem::path dataDir_;
  std::filesystem::path logFile_;
  int pid_ = -1;
  int port_ = 0;
};

// `burnstation patients --json --data-dir DIR`, parsed.
nlohmann::json patientsJson(const std::filesystem::path& dataDir);

// All files below dir whose name ends with suffix.
std::vector<std::filesystem::path> filesEndingWith(const std::filesystem::path& dir,
                                                   const std::string& suffix);

// The stored file of an instance, or empty when it is not in the store's objects.
std::filesystem::path storedFileOf(const std::filesystem::path& dataDir,
                                   const std::string& sopInstanceUid);

// storescu from DCMTK, calling AE MODALITY1 by default.
CommandResult storescu(int port, const std::vector<std::filesystem::path>& files,
                       const std::vector<std::string>& options = {},
                       const std::string& callingAe = "MODALITY1",
                       const std::string& calledAe = "BURNSTATION");

// Our DCMTK-based SCU (tests/support/test_scu.cpp): file name -> 4-digit hex status.
std::map<std::string, std::string> testScuStatuses(int port,
                                                   const std::vector<std::filesystem::path>& files,
                                                   const std::vector<std::string>& options = {});

// One value from the index, through the sqlite3 command-line shell (not our code).
std::string queryIndex(const std::filesystem::path& dataDir, const std::string& sql);

// Whether an event of that kind, whose detail contains the text, is in the index within
// deadlineSeconds (the service writes events from its own threads).
bool eventAppears(const std::filesystem::path& dataDir, const std::string& kind,
                  const std::string& detailContains = "", int deadlineSeconds = 15);

}  // namespace burnstation::harness
