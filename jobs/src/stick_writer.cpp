// Writing to USB sticks (see stick_writer.h).
#include "stick_writer.h"

#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/mediawriter/verification.h"

namespace burnstation::jobs {

using namespace burnstation::station;  // jobs run what the station library decides

namespace fs = std::filesystem;

namespace {

// What identifies the medium in a pseudo-stick's place: a new file is a new stick.
std::string identityOf(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_mtime);
}

}  // namespace

StickWriter::StickWriter(DriveChoice drive, const StationConfig& config)
    : drive_(std::move(drive)), config_(config) {
  if (drive_.address == kUsbDriveName) {
    sticks_ = std::make_unique<mediawriter::UsbSticks>(mediawriter::libusbHotplug());
  }
}

std::optional<StickWriter::Candidate> StickWriter::findStick(std::string& reason) {
  if (!sticks_) {
    std::error_code ec;
    const fs::path path = drive_.address;
    if (!fs::exists(path) || (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0)) {
      reason = "insert a USB stick";
      return std::nullopt;
    }
    return Candidate{path, path.string()};
  }
  if (!sticks_->watching()) {
    reason = sticks_->problem();
    return std::nullopt;
  }
  bool refusedByList = false;
  for (const mediawriter::UsbStick& stick : sticks_->present()) {
    if (!mediawriter::allowedByList(stick, config_.usbAllowlist)) {
      refusedByList = true;
      continue;
    }
    if (stick.partition.empty()) continue;  // the kernel has not made its disk yet
    return Candidate{stick.partition, stick.describe()};
  }
  reason = refusedByList ? "this USB stick is not on the station's list of allowed sticks"
                         : "insert a USB stick";
  return std::nullopt;
}

std::string StickWriter::writeOnto(const Candidate& stick, const MediumSelection& medium,
                                   const std::vector<std::size_t>& instances,
                                   std::string& refusal) {
  const mediawriter::FilesystemCheck filesystem = mediawriter::checkFilesystem(stick.partition);
  if (!filesystem.usable()) {
    refusal = filesystem.reason;
    return {};
  }
  mediawriter::MountedFat mounted(stick.partition, config_.dataDir / "mnt");
  const fs::path root = mounted.root();
  std::uint64_t needed = 0;
  for (std::size_t i : instances) needed += medium.selection.instances[i].size;
  // Some FUSE filesystems report no sizes at all; then a full stick shows as a write error.
  const fs::space_info space = fs::space(root);
  if (space.capacity > 0 && space.available < needed + 1'000'000) {
    refusal = "the stick has " + std::to_string(space.available / 1'000'000) +
              " MB free; these studies need " + std::to_string(needed / 1'000'000 + 1) + " MB";
    return {};
  }
  // Other files on the stick (a volume label, a vendor's tools) stay where they are.
  const bool update = fs::exists(root / "DICOMDIR");
  try {
    if (update) {
      // FSU: the set must be consistent and this patient's (REQUIREMENTS §3).
      dicomdir::updateFileSet(medium.selection, instances, medium.forms, root,
                              config_.receiver.aeTitle);
    } else {
      dicomdir::writeFileSet(medium.selection, instances, medium.forms, root,
                             dicomdir::newFileSetId(1), config_.receiver.aeTitle);
    }
  } catch (const dicomdir::FileSetError& e) {
    if (!fs::exists(stick.partition)) throw;  // pulled: the caller fails the job
    if (e.code() != dicomdir::FileSetError::Code::Target) throw;
    refusal = e.what();
    return {};
  }
  mediawriter::writeChecksumManifest(root);
  mounted.flush();
  mounted.remount();  // verification reads the stick, not what the kernel still holds
  const mediawriter::VerificationReport report = mediawriter::verifyFileSetFolder(mounted.root());
  mounted.unmount();
  if (!report.ok()) {
    for (const auto& c : report.checks) {
      if (!c.ok) {
        throw mediawriter::MediaError(
            mediawriter::MediaError::Code::Io,
            "the stick does not read back as written (" + c.name + ": " + c.detail + ")");
      }
    }
  }
  return stick.description;
}

std::string StickWriter::write(const MediumSelection& medium,
                               const std::vector<std::size_t>& instances, const Refusal& refused,
                               const std::function<void()>& checkStop) {
  // A refused stick stays refused until it is changed; so does the one just written, for the
  // next copy.
  bool stickRefused = written_;
  std::string refusedIdentity = writtenIdentity_;
  std::uint64_t refusedChanges = writtenChanges_;
  std::string lastReason;
  if (written_) {
    refused("take out the stick just written and insert the next one");
    lastReason = "-";
  }
  for (;;) {
    checkStop();
    const bool changed = sticks_ ? sticks_->changes() != refusedChanges
                                 : identityOf(drive_.address) != refusedIdentity;
    if (!stickRefused || changed) {
      stickRefused = false;
      std::string reason;
      if (const auto stick = findStick(reason)) {
        const std::string written = writeOnto(*stick, medium, instances, reason);
        if (!written.empty()) {
          written_ = true;
          writtenIdentity_ = identityOf(drive_.address);
          writtenChanges_ = sticks_ ? sticks_->changes() : 0;
          return written;
        }
        stickRefused = true;
        refusedIdentity = identityOf(drive_.address);
        refusedChanges = sticks_ ? sticks_->changes() : 0;
      }
      if (reason != lastReason) {
        refused(reason);
        lastReason = reason;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace burnstation::jobs
