// Helper programs and the mount table (see helper_process.h).
#include "helper_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <utility>

namespace burnstation::mediawriter {

namespace {

// The read end of a pipe, closed on every path.
struct PipeEnd {
  int fd = -1;
  ~PipeEnd() {
    if (fd >= 0) ::close(fd);
  }
};

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};

struct SpawnAttributes {
  posix_spawnattr_t attributes;
  SpawnAttributes() { posix_spawnattr_init(&attributes); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
};

}  // namespace

// Runs a program (looked up in PATH) without a shell and returns its exit status and what
// it printed. posix_spawn, not fork: the service has threads, and a forked child of a
// threaded process may only call async-signal-safe functions before exec. A program still
// running at the limit is killed with everything it started (its own process group) and
// reaped, and the status is -1 with output saying so.
int runHelper(const std::vector<std::string>& argv, std::string& output,
              std::chrono::milliseconds limit) {
  // Everything the child needs is made here, before it exists.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
    output = std::string("cannot start ") + argv[0] + ": " + std::strerror(errno);
    return -1;
  }
  PipeEnd readEnd{pipeFds[0]};
  PipeEnd writeEnd{pipeFds[1]};
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(&actions.actions, writeEnd.fd, 1);
  posix_spawn_file_actions_adddup2(&actions.actions, writeEnd.fd, 2);
  SpawnAttributes attributes;
  posix_spawnattr_setflags(&attributes.attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes.attributes, 0);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawnp(&pid, args[0], &actions.actions, &attributes.attributes, args.data(), environ);
  ::close(std::exchange(writeEnd.fd, -1));
  if (spawned != 0) {
    output = std::string("cannot start ") + argv[0] + ": " + std::strerror(spawned);
    return -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  const auto left = [&] {
    const auto now = std::chrono::steady_clock::now();
    return now >= deadline
               ? 0
               : static_cast<int>(
                     std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count());
  };
  char buffer[512];
  bool timedOut = false;
  for (;;) {
    pollfd p{readEnd.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, left());
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timedOut = ready == 0;
      break;
    }
    const ssize_t n = ::read(readEnd.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output: the program closed it, usually by exiting
    output.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  for (;;) {
    if (!timedOut && left() == 0) timedOut = true;
    if (timedOut) {
      ::kill(-pid, SIGKILL);  // the group: a script's own children die with it
      ::kill(pid, SIGKILL);
    }
    const pid_t reaped = ::waitpid(pid, &status, timedOut ? 0 : WNOHANG);
    if (reaped == pid) break;
    if (reaped < 0 && errno != EINTR) return -1;
    if (reaped == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (timedOut) {
    output = argv[0] + " did not finish within " + std::to_string(limit.count()) +
             " ms and was stopped" + (output.empty() ? "" : " (it said: " + output + ")");
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// /proc/self/mountinfo writes space, tab, newline and backslash in paths as \ooo.
std::string unescapeMountField(const std::string& field) {
  const auto octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && octal(field[i + 1]) && octal(field[i + 2]) &&
        octal(field[i + 3])) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

std::vector<MountEntry> mountTable() {
  std::vector<MountEntry> entries;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, root;
    MountEntry entry;
    if (!(fields >> id >> parent >> entry.device >> root >> entry.mountPoint)) continue;
    entry.mountPoint = unescapeMountField(entry.mountPoint);
    // After the optional fields, " - " separates the filesystem type and the source.
    if (const auto dash = line.find(" - "); dash != std::string::npos) {
      std::istringstream(line.substr(dash + 3)) >> entry.type >> entry.source;
      entry.source = unescapeMountField(entry.source);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string fileContent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<FuseServer> fusefatServers() {
  namespace fs = std::filesystem;
  std::vector<FuseServer> servers;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = fileContent(entry.path() / "cmdline");
    std::vector<std::string> args;  // NUL-separated
    for (std::size_t at = 0; at < cmdline.size();) {
      const std::size_t end = std::min(cmdline.find('\0', at), cmdline.size());
      args.push_back(cmdline.substr(at, end - at));
      at = end + 1;
    }
    if (args.empty() || fs::path(args.front()).filename() != "fusefat") continue;
    args.erase(args.begin());
    servers.push_back({static_cast<pid_t>(std::stol(name)), std::move(args)});
  }
  return servers;
}

}  // namespace burnstation::mediawriter
