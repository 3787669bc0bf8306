// Test harness implementation (see station_harness.h).
#include "station_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace burnstation::harness {

namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// fork + exec with stdout/stderr redirected to the given fds.
int spawn(const std::vector<std::string>& argv, int outFd, int errFd,
          const std::map<std::string, std::string>& extraEnv) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (!extraEnv.count(name)) env.push_back(entry);
  }
  for (const auto& [k, v] : extraEnv) env.push_back(k + "=" + v);
  auto cargs = cStrings(args);
  auto cenv = cStrings(env);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(outFd, 1);
    dup2(errFd, 2);
    execvpe(cargs[0], cargs.data(), cenv.data());
    _exit(127);
  }
  return pid;
}

int exitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int waitFor(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return exitCodeOf(status);
}

// The child's exit code, or nullopt when it is still running after the deadline.
std::optional<int> waitFor(int pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return exitCodeOf(status);
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string commandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
  return line;
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "bstest-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (std::getenv("BURNSTATION_KEEP_TEST_DIRS") == nullptr) fs::remove_all(path_, ignored);
}

CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extraEnv, int timeoutSeconds) {
  TempDir capture;
  const fs::path outPath = capture.path() / "out";
  const fs::path errPath = capture.path() / "err";
  const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int pid = spawn(argv, out, err, extraEnv);
  ::close(out);
  ::close(err);
  CommandResult result;
  const auto code =
      waitFor(pid, std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds));
  if (code) {
    result.exitCode = *code;
  } else {
    ::kill(pid, SIGKILL);
    result.exitCode = waitFor(pid);
    result.timedOut = true;
  }
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  if (result.timedOut) {
    ADD_FAILURE() << "still running after " << timeoutSeconds << " s, killed: " << commandLine(argv)
                  << "\n"
                  << result.out << result.err;
  }
  return result;
}

std::string burnstationExe() {
  return BURNSTATION_EXE;
}
std::string testScuExe() {
  return BS_TEST_SCU_EXE;
}

CommandResult burnstation(const std::vector<std::string>& args, int timeoutSeconds) {
  std::vector<std::string> argv = {burnstationExe()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv, {}, timeoutSeconds);
}

Station::Station(fs::path dataDir, std::optional<fs::path> config,
                 std::vector<std::string> extraArgs, Config mode)
    : dataDir_(std::move(dataDir)) {
  fs::create_directories(dataDir_);
  logFile_ = dataDir_.parent_path() / (dataDir_.filename().string() + ".service.log");
  if (!config && mode == Config::Test) {
    config = dataDir_.parent_path() / (dataDir_.filename().string() + ".test.toml");
    std::ofstream(*config) << "[station]\nfree_space_reserve = \"50M\"\n"
                              "[acceptance]\nany_called_ae = true\n";
  }
  std::vector<std::string> argv = {burnstationExe(), "serve",          "--port", "0",
                                   "--data-dir",     dataDir_.string()};
  if (config) {
    argv.push_back("--config");
    argv.push_back(config->string());
  }
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  int pipeFds[2];
  if (pipe(pipeFds) != 0) throw std::runtime_error("pipe failed");
  const int err = ::open(logFile_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  pid_ = spawn(argv, pipeFds[1], err, {});
  ::close(pipeFds[1]);
  ::close(err);

  // Readiness handshake: the service prints "listening AE@host:port" once it accepts.
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (buffer.find('\n') == std::string::npos) {
    pollfd p{pipeFds[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char chunk[256];
    const ssize_t n = ::read(pipeFds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(pipeFds[0]);
  const auto colon = buffer.rfind(':');
  if (buffer.rfind("listening ", 0) != 0 || colon == std::string::npos) {
    kill();
    throw std::runtime_error("station did not start: " + buffer + " / " + log());
  }
  port_ = std::atoi(buffer.c_str() + colon + 1);
}

Station::~Station() {
  if (pid_ > 0) stop();
}

std::string Station::log() const {
  return readFile(logFile_);
}

int Station::stop(int stopSeconds) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto status =
      waitFor(pid_, std::chrono::steady_clock::now() + std::chrono::seconds(stopSeconds));
  if (!status) {
    ADD_FAILURE() << "the service did not stop within " << stopSeconds << " s of SIGTERM\n"
                  << log();
    kill();
    return -1;
  }
  pid_ = -1;
  return *status;
}

void Station::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitFor(pid_);
  pid_ = -1;
}

nlohmann::json patientsJson(const fs::path& dataDir) {
  const CommandResult r =
      runCommand({burnstationExe(), "patients", "--json", "--data-dir", dataDir.string()});
  if (r.exitCode != 0) throw std::runtime_error("patients failed: " + r.err + r.out);
  return nlohmann::json::parse(r.out);
}

std::vector<fs::path> filesEndingWith(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file() && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      found.push_back(it->path());
    }
  }
  return found;
}

fs::path storedFileOf(const fs::path& dataDir, const std::string& sopInstanceUid) {
  // File names are derived by the station: the index says which file is the instance's.
  if (sopInstanceUid.find('\'') != std::string::npos) return {};
  const std::string relative = queryIndex(
      dataDir, "SELECT path FROM instances WHERE sop_instance_uid = '" + sopInstanceUid + "'");
  if (relative.empty() || !fs::exists(dataDir / relative)) return {};
  return dataDir / relative;
}

CommandResult storescu(int port, const std::vector<fs::path>& files,
                       const std::vector<std::string>& options, const std::string& callingAe,
                       const std::string& calledAe) {
  std::vector<std::string> argv = {"storescu", "-aet", callingAe, "-aec", calledAe};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("127.0.0.1");
  argv.push_back(std::to_string(port));
  for (const auto& f : files) argv.push_back(f.string());
  return runCommand(argv);
}

std::map<std::string, std::string> testScuStatuses(int port, const std::vector<fs::path>& files,
                                                   const std::vector<std::string>& options) {
  std::vector<std::string> argv = {testScuExe(),         "--host", "127.0.0.1", "--port",
                                   std::to_string(port), "--aet",  "MODALITY1", "--aec",
                                   "BURNSTATION"};
  argv.insert(argv.end(), options.begin(), options.end());
  for (const auto& f : files) argv.push_back(f.string());
  const CommandResult r = runCommand(argv);
  if (r.exitCode != 0) throw std::runtime_error("bs_test_scu failed: " + r.err + r.out);
  std::map<std::string, std::string> statuses;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto at = line.rfind(" status=");
    if (at != std::string::npos) statuses[line.substr(0, at)] = line.substr(at + 8);
  }
  return statuses;
}

std::string queryIndex(const fs::path& dataDir, const std::string& sql) {
  const CommandResult r =
      runCommand({"sqlite3", "-batch", (dataDir / "index.sqlite").string(), sql});
  if (r.exitCode != 0) throw std::runtime_error("sqlite3 failed: " + r.err);
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

bool eventAppears(const std::filesystem::path& dataDir, const std::string& kind,
                  const std::string& detailContains, int deadlineSeconds) {
  // Kinds and texts come from the tests themselves; quotes are doubled all the same.
  auto quoted = [](std::string text) {
    for (std::size_t at = 0; (at = text.find('\'', at)) != std::string::npos; at += 2) {
      text.insert(at, 1, '\'');
    }
    return "'" + text + "'";
  };
  const std::string sql = "SELECT count(*) FROM events WHERE kind = " + quoted(kind) +
                          " AND instr(detail, " + quoted(detailContains) + ") > 0";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deadlineSeconds);
  for (;;) {
    if (queryIndex(dataDir, sql) != "0") return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace burnstation::harness
