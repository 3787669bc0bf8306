// Formatting a stick FAT32 (see stick_format.h). mkfs.vfat gets an argument vector, never a
// shell, and only the partition the device watcher mapped from sysfs (or a test image the
// watcher was given), never a path from a request.
#include "burnstation/mediawriter/stick_format.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "burnstation/mediawriter/fat_volume.h"
#include "helper_process.h"
#include "stick_claims.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

fs::path canonicalOr(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path : canonical;
}

// A mount whose source is the stick (by name, or by device number for a block device).
std::string mountedAt(const fs::path& partition, const struct stat& st) {
  const std::string wanted = canonicalOr(partition).native();
  const std::string number = S_ISBLK(st.st_mode) ? std::to_string(major(st.st_rdev)) + ":" +
                                                       std::to_string(minor(st.st_rdev))
                                                 : std::string();
  for (const MountEntry& e : mountTable()) {
    if ((!number.empty() && e.device == number) ||
        (!e.source.empty() && canonicalOr(e.source).native() == wanted)) {
      return e.mountPoint;
    }
  }
  return {};
}

// fusefat serving the stick (FUSE mounts name no source in the mount table).
bool servedByFuse(const fs::path& partition) {
  const std::string wanted = canonicalOr(partition).native();
  for (const FuseServer& server : fusefatServers()) {
    for (const std::string& arg : server.args) {
      if (canonicalOr(arg).native() == wanted) return true;
    }
  }
  return false;
}

// A loop device backed by the stick's file.
std::string loopOver(const fs::path& partition) {
  const std::string wanted = canonicalOr(partition).native();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/sys/block", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("loop", 0) != 0) continue;
    std::string backing = fileContent(entry.path() / "loop" / "backing_file");
    while (!backing.empty() && backing.back() == '\n') backing.pop_back();
    if (!backing.empty() && backing == wanted) return "/dev/" + name;
  }
  return {};
}

// mkfs.vfat where dosfstools puts it, when the service's PATH lacks the sbin folders.
std::string mkfsProgram() {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/sbin";
  std::istringstream folders(path);
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    if (folder.empty()) continue;
    const fs::path candidate = fs::path(folder) / "mkfs.vfat";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw StickFormatError(StickFormatError::Code::Failed,
                         "this station cannot format sticks: mkfs.vfat (dosfstools) is missing");
}

[[noreturn]] void inUse(const std::string& why) {
  throw StickFormatError(StickFormatError::Code::InUse, why);
}

}  // namespace

std::string fatVolumeLabel(const std::string& name) {
  std::string label;
  for (const char c : name) {
    if (label.size() == 11) break;
    if (c >= 'a' && c <= 'z') {
      label.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
      label.push_back(c);
    }
  }
  return label.empty() ? "DICOM" : label;
}

std::string usedElsewhere(const fs::path& partition) {
  struct stat st {};
  if (::stat(partition.c_str(), &st) != 0) return "the stick is gone";
  if (const std::string point = mountedAt(partition, st); !point.empty()) {
    return "the stick is open on this computer (mounted at " + point + "); close it first";
  }
  if (servedByFuse(partition)) return "the stick is open on this computer (a FUSE mount)";
  if (S_ISBLK(st.st_mode)) {
    // The kernel refuses an exclusive open of a device that is mounted or held by another
    // exclusive user (a partition of it mounted, a RAID or mapper on it).
    const int fd = ::open(partition.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
    if (fd < 0 && errno == EBUSY) return "the stick is in use by another program";
    if (fd >= 0) ::close(fd);
  } else if (const std::string loop = loopOver(partition); !loop.empty()) {
    return "the stick is attached to " + loop;
  }
  return {};
}

struct StickFormat::Claim {
  StickClaim claim;
};

StickFormat::StickFormat(StickFormatOrder order) : order_(std::move(order)) {
  const fs::path& partition = order_.stick.partition;
  if (partition.empty()) inUse("the system has not made a disk of the stick yet; wait a moment");
  std::error_code ec;
  if (!fs::is_block_file(partition, ec) && !fs::is_regular_file(partition, ec)) {
    inUse("the stick is gone");
  }
  if (!allowedByList(order_.stick, order_.allowlist)) {
    throw StickFormatError(StickFormatError::Code::NotAllowed,
                           "this USB stick is not on the station's list of allowed sticks");
  }
  StickClaim::Purpose holder{};
  auto claim = StickClaim::take(partition, StickClaim::Purpose::Formatting, holder);
  if (!claim) {
    inUse(holder == StickClaim::Purpose::Formatting ? "the stick is being formatted already"
                                                    : "a job is writing to the stick");
  }
  claim_ = std::make_unique<Claim>(Claim{std::move(*claim)});
  if (const std::string why = usedElsewhere(partition); !why.empty()) inUse(why);
  if (!order_.force && checkFilesystem(partition).usable()) {
    throw StickFormatError(StickFormatError::Code::AlreadyFat,
                           "the stick is already FAT16 or FAT32 and can be used as it is");
  }
}

StickFormat::~StickFormat() = default;
StickFormat::StickFormat(StickFormat&&) noexcept = default;

void StickFormat::run() {
  if (!claim_) throw StickFormatError(StickFormatError::Code::Failed, "the format was handed on");
  const fs::path& partition = order_.stick.partition;
  // Looked at again: the clerk may have opened it since the request was taken.
  if (const std::string why = usedElsewhere(partition); !why.empty()) inUse(why);
  std::string output;
  const int status = runHelper(
      {mkfsProgram(), "-F", "32", "-n", fatVolumeLabel(order_.volumeLabel), partition.string()},
      output, order_.limit);
  const FilesystemCheck made = checkFilesystem(partition);
  if (status != 0 || made.kind != FatKind::Fat32) {
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    throw StickFormatError(StickFormatError::Code::Failed,
                           "the stick could not be formatted" +
                               (output.empty() ? std::string() : ": " + output.substr(0, 300)) +
                               (status == 0 ? " (no FAT32 filesystem was made)" : ""));
  }
  StickClaim::formatFinished();
}

}  // namespace burnstation::mediawriter
