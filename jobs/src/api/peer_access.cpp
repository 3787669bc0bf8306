// Peer credentials and the [api] allow lists (peer_access.h).
#include "peer_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace burnstation::jobs {

namespace {

struct Account {
  std::string name;
  gid_t primaryGroup = 0;
  bool known = false;
};

Account accountOf(uid_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    return {"uid " + std::to_string(uid), 0, false};
  }
  return {found->pw_name, found->pw_gid, true};
}

std::optional<gid_t> groupNamed(const std::string& name) {
  std::vector<char> buffer(16384);
  group entry{};
  group* found = nullptr;
  if (::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    return std::nullopt;
  }
  return found->gr_gid;
}

// The user's groups as the system lists them (primary and supplementary): what the account
// is, not what the process happens to run with.
std::vector<gid_t> groupsOf(const std::string& user, gid_t primary) {
  std::vector<gid_t> groups(64);
  int count = static_cast<int>(groups.size());
  if (::getgrouplist(user.c_str(), primary, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(user.c_str(), primary, groups.data(), &count) < 0) count = 0;
  }
  groups.resize(static_cast<std::size_t>(std::max(count, 0)));
  return groups;
}

}  // namespace

std::optional<PeerCredentials> peerOf(int fd) {
  ucred credentials{};
  socklen_t length = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0 ||
      length != sizeof credentials) {
    return std::nullopt;
  }
  PeerCredentials peer;
  peer.pid = credentials.pid;
  peer.uid = credentials.uid;
  peer.gid = credentials.gid;
  peer.userName = accountOf(credentials.uid).name;
  return peer;
}

std::string refusalFor(const PeerCredentials& peer, const station::ApiSettings& settings) {
  if (peer.uid == 0 || peer.uid == ::geteuid()) return {};
  const Account account = accountOf(peer.uid);
  if (account.known) {
    const auto& users = settings.allowedUsers;
    if (std::find(users.begin(), users.end(), account.name) != users.end()) return {};
    if (!settings.allowedGroups.empty()) {
      const auto groups = groupsOf(account.name, account.primaryGroup);
      for (const auto& name : settings.allowedGroups) {
        const auto gid = groupNamed(name);
        if (gid && std::find(groups.begin(), groups.end(), *gid) != groups.end()) return {};
      }
    }
  }
  return "user " + peer.userName + " (uid " + std::to_string(peer.uid) +
         ") may not use this station's API; an administrator can allow it in the [api] "
         "settings (allowed_users or allowed_groups)";
}

bool RefusalLog::shouldRecord(uid_t uid) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (last_.size() > 1000) last_.clear();  // many distinct users: forget, stay small
  const auto it = last_.find(uid);
  if (it != last_.end() && now - it->second < std::chrono::minutes(1)) return false;
  last_[uid] = now;
  return true;
}

}  // namespace burnstation::jobs
