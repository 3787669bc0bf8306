// `burnstation admin-pin [--config FILE] [--data-dir DIR]`: sets or changes the admin PIN
// that opens admin at the kiosk. The PIN comes from standard input twice (prompted without
// echo on a terminal), never from the command line, where `ps` would show it. Only root or
// the owner of the data directory (the service's user) may set it; root acts as that owner,
// so that no file of the index ends up owned by root where the service cannot write it.
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "burnstation/store/admin_pin.h"
#include "burnstation/store/store.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

namespace {

namespace fs = std::filesystem;

std::string userName(uid_t uid) {
  if (const passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return "uid " + std::to_string(uid);
}

// Who sets the PIN, for the event: the real user, and whoever ran sudo.
std::string whoSets() {
  std::string who = userName(::getuid()) + " (uid " + std::to_string(::getuid()) + ")";
  if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo)
    who += " via sudo by " + std::string(sudo);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return who + " on " + host + " (command line)";
}

// Refuses anyone but root and the data directory's owner; root becomes that owner.
void actAsTheDataDirectoryOwner(const fs::path& dataDir) {
  const uid_t me = ::geteuid();
  struct stat st {};
  if (::stat(dataDir.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT && me != 0) return;  // created below, by and for this user
    if (error == ENOENT) {
      throw UsageError("there is no data directory " + dataDir.string() +
                       " yet; start the service once (it creates it for its user), then set "
                       "the PIN");
    }
    throw UsageError("cannot reach the data directory " + dataDir.string() + ": " +
                     std::strerror(error) +
                     "; the admin PIN can only be set by root or by the service's user");
  }
  if (me != 0 && st.st_uid != me) {
    throw UsageError("the admin PIN can only be set by root" +
                     (st.st_uid == 0 ? std::string() : " or by " + userName(st.st_uid)) +
                     " (the owner of " + dataDir.string() + ", the service's user), not by " +
                     userName(me));
  }
  if (me != 0 || st.st_uid == 0) return;
  const passwd* pw = ::getpwuid(st.st_uid);
  const gid_t gid = pw ? pw->pw_gid : st.st_gid;
  if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(st.st_uid) != 0) {
    throw UsageError("cannot act as " + userName(st.st_uid) + ", the owner of " + dataDir.string() +
                     ": " + std::strerror(errno));
  }
}

// Echo off on the terminal for as long as it lives.
class HiddenInput {
 public:
  HiddenInput() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~HiddenInput() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  HiddenInput(const HiddenInput&) = delete;
  HiddenInput& operator=(const HiddenInput&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string readLine(const char* prompt, bool terminal) {
  if (terminal) std::cerr << prompt << std::flush;
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) std::cerr << "\n";
  if (!got) {
    throw UsageError(
        "the PIN must be given twice on standard input: the PIN, then the same PIN again");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int runAdminPin(const std::vector<std::string>& args) {
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {});
    if (!line.positional().empty()) {
      throw UsageError(
          "admin-pin takes no PIN on the command line; it reads it from standard "
          "input (twice)");
    }
    const station::StationConfig config = resolveConfig(line);
    const std::string who = whoSets();
    actAsTheDataDirectoryOwner(config.dataDir);

    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    std::string pin, again;
    {
      const HiddenInput hidden;
      pin = readLine("New admin PIN (at least 6 digits): ", terminal);
      if (const std::string problem = store::pinProblem(pin); !problem.empty()) {
        throw UsageError(problem + "; the admin PIN was not changed");
      }
      again = readLine("The same PIN again: ", terminal);
    }
    if (again != pin) {
      throw UsageError("the two PINs differ; the admin PIN was not changed");
    }
    // A data directory the service never used gets its index now (the service is not
    // running then: it would have created it), so the PIN can be set before the first start.
    if (!fs::exists(config.dataDir / "index.sqlite")) {
      const store::Store created({config.dataDir, 0, store::DuplicatePolicy::KeepStored},
                                 store::Store::Access::Service);
    }
    store::AdminPin(config.dataDir).set(pin, who);
    std::cout << "admin PIN set for " << config.dataDir.string()
              << "; admin sessions of an earlier PIN have ended\n";
    return 0;
  } catch (const std::exception& e) {
    return reportError(e.what(), false);
  }
}

}  // namespace burnstation::app
