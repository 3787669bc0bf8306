// Binding the local API's socket (api_socket.h).
#include "api_socket.h"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "burnstation/jobs/api_exchange.h"

namespace burnstation::jobs {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& message) {
  throw ApiError(http::kServiceUnavailable, message);
}

std::string lastError() {
  return std::strerror(errno);
}

sockaddr_un addressOf(const fs::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path.string();
  if (text.size() >= sizeof address.sun_path) {
    refuse("the API socket path " + text + " is longer than a Unix socket allows (" +
           std::to_string(sizeof address.sun_path - 1) + " bytes); choose a shorter [api] socket");
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  return address;
}

// The folders that do not exist yet, made 0755 so that the users [api] allows can reach the
// socket (the service's umask would make them private).
void makeParents(const fs::path& folder) {
  std::vector<fs::path> missing;
  for (fs::path p = folder; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0) break;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) {
      refuse("cannot create the API socket's folder " + it->string() + ": " + lastError());
    }
    ::chmod(it->c_str(), 0755);
  }
}

// A socket file already at path: removed when nobody accepts on it (left by a crash),
// refused when something answers; any other file is never ours to delete.
void clearStale(const fs::path& path, const sockaddr_un& address) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    refuse("cannot look at the API socket path " + path.string() + ": " + lastError());
  }
  if (!S_ISSOCK(st.st_mode)) {
    refuse(path.string() +
           " exists and is not a socket; it is left as it is. Remove it or choose another "
           "[api] socket");
  }
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (probe.get() < 0) refuse("cannot create a socket: " + lastError());
  if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    refuse("another service already answers on " + path.string() +
           "; stop it, or give this one another [api] socket");
  }
  if (errno != ECONNREFUSED) {
    refuse("cannot tell whether " + path.string() + " is in use: " + lastError());
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    refuse("cannot remove the stale API socket " + path.string() + ": " + lastError());
  }
}

gid_t groupId(const std::string& name) {
  std::vector<char> buffer(16384);
  group entry{};
  group* found = nullptr;
  const int rc = ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0 || found == nullptr) {
    refuse("the [api] socket_group \"" + name +
           "\" does not exist on this system; create it or correct the setting");
  }
  return found->gr_gid;
}

}  // namespace

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

ApiSocket::ApiSocket(const fs::path& path, const std::string& group) : path_(path) {
  const sockaddr_un address = addressOf(path);
  // Looked up first: a wrong setting must not leave a half-made socket behind.
  const gid_t gid = group.empty() ? gid_t(-1) : groupId(group);
  makeParents(path.parent_path());
  clearStale(path, address);

  fd_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd_.get() < 0) refuse("cannot create a socket: " + lastError());
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    refuse("cannot bind the API socket " + path.string() + ": " + lastError());
  }
  struct stat st {};
  ::lstat(path.c_str(), &st);
  device_ = st.st_dev;
  inode_ = st.st_ino;
  // Nobody can connect before listen(), so the mode and group are final by then.
  try {
    if (gid != gid_t(-1) && ::chown(path.c_str(), uid_t(-1), gid) != 0) {
      refuse("cannot give the API socket " + path.string() + " to group " + group + ": " +
             lastError());
    }
    if (::chmod(path.c_str(), gid != gid_t(-1) ? 0660 : 0600) != 0) {
      refuse("cannot set the mode of the API socket " + path.string() + ": " + lastError());
    }
    if (::listen(fd_.get(), 16) != 0) {
      refuse("cannot listen on the API socket " + path.string() + ": " + lastError());
    }
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
}

ApiSocket::~ApiSocket() {
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_) {
    ::unlink(path_.c_str());
  }
}

}  // namespace burnstation::jobs
