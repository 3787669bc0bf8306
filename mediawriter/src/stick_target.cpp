// The USB stick target (see medium_target.h; REQUIREMENTS §3 "USB"): an allowed stick with
// FAT16 or FAT32, mounted privately; the volume written as files (FSC) or added to the
// file-set already there (FSU, through the caller's update); flushed, and read back through
// a fresh mount before the clerk is told it can be removed.
#include <sys/stat.h>

#include <optional>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/mediawriter/medium_target.h"
#include "burnstation/mediawriter/usb_stick.h"
#include "folder_content.h"
#include "stick_claims.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

constexpr const char* kInsert = "insert a USB stick";

class StickTarget : public MediumTarget {
 public:
  StickTarget(StickSource source, FileSetUpdate update)
      : source_(std::move(source)), update_(std::move(update)) {
    if (source_.pseudo.empty()) sticks_ = std::make_unique<UsbSticks>(libusbHotplug());
  }

  MediumStatus check(const MediumNeed&) override {
    current_.reset();
    if (held_ && held_->identity == identity()) return {held_->state, held_->reason, 0};
    held_.reset();
    std::string reason;
    const auto stick = find(reason);
    if (!stick) {
      return {reason == kInsert ? MediumState::Absent : MediumState::Refused, reason, 0};
    }
    // Not held: once formatted, the stick is looked at afresh.
    if (StickClaim::holder(stick->partition) == StickClaim::Purpose::Formatting) {
      return {MediumState::Absent, "the stick is being formatted; wait until it is done", 0};
    }
    const FilesystemCheck filesystem = checkFilesystem(stick->partition);
    if (!filesystem.usable()) return hold(MediumState::Refused, filesystem.reason);
    current_ = stick;
    return {MediumState::Ready, {}, 0};
  }

  void write(const VolumeContent& content, const WriteProgress& progress) override {
    if (!current_) throw MediaError(MediaError::Code::Io, "no stick was checked before writing");
    try {
      writeOnto(*current_, content, progress);
    } catch (const MediaError& e) {
      // Held once unmounted: mounting changes a pseudo-stick's file.
      if (e.code() == MediaError::Code::Refused) hold(MediumState::Refused, e.what());
      throw;
    }
    writtenTo_ = current_->description;
    hold(MediumState::Used, "take out the stick just written and insert the next one");
  }

  // Through a mount of its own: what is read comes from the stick, not what the kernel or
  // the FUSE server kept of the write.
  VerificationReport verify() override {
    if (!current_) return {{{"stick", false, "no stick was written"}}};
    VerificationReport report;
    {
      const StickClaim claim = claimFor(current_->partition);
      MountedFat mounted(current_->partition, source_.mountParent);
      report = verifyFileSetFolder(mounted.root());
      mounted.unmount();
    }
    if (held_) held_->identity = identity();  // a pseudo-stick's file changes when mounted
    return report;
  }

  void release(const std::string& refusedBecause) override {
    if (!refusedBecause.empty()) hold(MediumState::Refused, refusedBecause);
  }

  std::string writtenTo() const override { return writtenTo_; }

 private:
  struct Stick {
    fs::path partition;
    std::string description;
  };
  // The stick last written or refused, until a change of sticks.
  struct Held {
    std::string identity;
    MediumState state;
    std::string reason;
  };

  void writeOnto(const Stick& stick, const VolumeContent& content, const WriteProgress& progress) {
    {
      const StickClaim claim = claimFor(stick.partition);
      MountedFat mounted(stick.partition, source_.mountParent);
      const fs::path root = mounted.root();
      std::uint64_t needed = 0;
      for (const auto& f : content.files) {
        std::error_code ec;
        needed += fs::file_size(f.source, ec);
      }
      // Some FUSE filesystems report no sizes at all; then a full stick shows as a write error.
      const fs::space_info space = fs::space(root);
      if (space.capacity > 0 && space.available < needed + 1'000'000) {
        refuse("the stick has " + std::to_string(space.available / 1'000'000) +
               " MB free; these studies need " + std::to_string(needed / 1'000'000 + 1) + " MB");
      }
      // Other files on the stick (a volume label, a vendor's tools) stay where they are.
      if (fs::exists(root / "DICOMDIR")) {
        if (!update_) refuse("the stick already holds a file-set");
        try {
          update_(root);
        } catch (const dicomdir::FileSetError& e) {
          if (!fs::exists(stick.partition)) pulled();
          if (e.code() != dicomdir::FileSetError::Code::Target) throw;
          refuse(e.what());
        }
        writeChecksumManifest(root);  // the manifest follows the new content
      } else {
        try {
          writeContentInto(content, root, progress);
        } catch (const MediaError& e) {
          if (e.code() == MediaError::Code::Refused) refuse(e.what());
          if (!fs::exists(stick.partition)) pulled();
          throw;
        }
      }
      mounted.flush();
      mounted.unmount();
    }
  }

  // While a job has the stick mounted, nobody formats it (stick_format.h).
  static StickClaim claimFor(const fs::path& partition) {
    StickClaim::Purpose holder{};
    auto claim = StickClaim::take(partition, StickClaim::Purpose::Writing, holder);
    if (!claim) {
      refuse(holder == StickClaim::Purpose::Formatting
                 ? "the stick is being formatted; wait until it is done"
                 : "another job is writing to the stick");
    }
    return std::move(*claim);
  }

  // What tells one stick from the next: a new file in a pseudo-stick's place (or the same
  // one changed), any arrival or removal of a real one, or a stick formatted meanwhile.
  std::string identity() const {
    if (sticks_) {
      return std::to_string(sticks_->changes()) + "/" +
             std::to_string(StickClaim::formatsFinished());
    }
    struct stat st {};
    if (::stat(source_.pseudo.c_str(), &st) != 0) return {};
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }

  MediumStatus hold(MediumState state, const std::string& reason) {
    held_ = Held{identity(), state, reason};
    return {state, reason, 0};
  }

  [[noreturn]] static void refuse(const std::string& reason) {
    throw MediaError(MediaError::Code::Refused, reason);
  }

  [[noreturn]] static void pulled() {
    throw MediaError(MediaError::Code::Io,
                     "the stick was removed while it was written; what is on it cannot be trusted");
  }

  std::optional<Stick> find(std::string& reason) {
    if (!sticks_) {
      std::error_code ec;
      const fs::path& path = source_.pseudo;
      if (!fs::exists(path) || (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0)) {
        reason = kInsert;
        return std::nullopt;
      }
      return Stick{path, path.string()};
    }
    if (!sticks_->watching()) {
      reason = sticks_->problem();
      return std::nullopt;
    }
    bool refusedByList = false;
    for (const UsbStick& stick : sticks_->present()) {
      if (!allowedByList(stick, source_.allowlist)) {
        refusedByList = true;
        continue;
      }
      if (stick.partition.empty()) continue;  // the kernel has not made its disk yet
      return Stick{stick.partition, stick.describe()};
    }
    reason =
        refusedByList ? "this USB stick is not on the station's list of allowed sticks" : kInsert;
    return std::nullopt;
  }

  StickSource source_;
  FileSetUpdate update_;
  std::unique_ptr<UsbSticks> sticks_;  // real sticks only
  std::optional<Stick> current_;       // the stick check() found ready
  std::optional<Held> held_;
  std::string writtenTo_;
};

}  // namespace

std::unique_ptr<MediumTarget> stickTarget(StickSource source, FileSetUpdate update) {
  return std::make_unique<StickTarget>(std::move(source), std::move(update));
}

}  // namespace burnstation::mediawriter
