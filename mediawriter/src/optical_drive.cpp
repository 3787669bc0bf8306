// libburn writing (see optical_drive.h; FIELD-GUIDE §5 gives the call order). The drive is
// grabbed for each check or write and released after, so a pseudo-drive's file can be
// replaced in between, as a disc is changed.
#include "burnstation/mediawriter/optical_drive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "burn_library.h"
#include "burnstation/mediawriter/drive_readiness.h"
#include "burnstation/mediawriter/media_error.h"
#include "iso_handles.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

using Grab = BurnLibrary::Grab;

template <typename T, void (*Free)(T*)>
struct BurnFree {
  void operator()(T* handle) const {
    if (handle) Free(handle);
  }
};
// A libburn object owned by the scope that made it.
template <typename T, void (*Free)(T*)>
using BurnHandle = std::unique_ptr<T, BurnFree<T, Free>>;

std::optional<fs::path> stdioFile(const std::string& address) {
  if (address.rfind("stdio:", 0) == 0 && address.size() > 6) return fs::path(address.substr(6));
  return std::nullopt;
}

// MMC profile numbers (libburn's burn_disc_get_profile).
DiscFamily familyOf(int profile) {
  if (profile >= 0x08 && profile <= 0x0a) return DiscFamily::Cd;
  if (profile >= 0x10 && profile <= 0x2b) return DiscFamily::Dvd;
  if (profile >= 0x40 && profile <= 0x43) return DiscFamily::Bd;
  return DiscFamily::Unknown;
}

const char* familyName(DiscFamily family) {
  switch (family) {
    case DiscFamily::Cd:
      return "CD";
    case DiscFamily::Dvd:
      return "DVD";
    case DiscFamily::Bd:
      return "BD";
    case DiscFamily::Unknown:
      break;
  }
  return "disc";
}

// CD-RW and sequential DVD-RW must be erased before they take a new session.
bool erasable(int profile) {
  return profile == 0x0a || profile == 0x14;
}

// A drive that never settles is reported, not waited for: the job asks again after looking
// at its stop and cancel, and the service's stop is never held up by a drive.
burn::burn_disc_status settledStatus(burn::burn_drive* drive, const std::string& address,
                                     const std::function<bool()>& stop,
                                     std::chrono::milliseconds limit) {
  burn::burn_disc_status status = burn::BURN_DISC_UNREADY;
  ReadinessWait wait;
  wait.limit = limit;
  const Readiness ready = waitUntilReady(
      [&] { return (status = burn::burn_disc_get_status(drive)) == burn::BURN_DISC_UNREADY; }, stop,
      wait);
  if (ready == Readiness::Stopped) throw MediaError(MediaError::Code::Cancelled, "stopped");
  if (ready == Readiness::NotReady) {
    throw MediaError(MediaError::Code::Io,
                     "the drive " + address + " stays not ready; check the tray and the disc");
  }
  return status;
}

// Reads a medium through libburn; a real drive's tray was opened and closed first.
class DriveReader : public MediumReader {
 public:
  DriveReader(std::string address, std::unique_ptr<Grab> grab)
      : address_(std::move(address)), grab_(std::move(grab)) {}
  bool read(std::uint32_t block, std::uint32_t count, char* out) override {
    // libisofs asks for one 2 KB block at a time; a drive wants long reads.
    if (count == 1 && block >= cacheStart_ && block < cacheStart_ + cacheBlocks_) {
      std::memcpy(out, cache_.data() + static_cast<std::size_t>(block - cacheStart_) * 2048, 2048);
      return true;
    }
    if (count == 1) {
      cache_.resize(kReadAhead * 2048);
      off_t got = 0;
      if (burn::burn_read_data(grab_->drive(), static_cast<off_t>(block) * 2048, cache_.data(),
                               static_cast<off_t>(cache_.size()), &got, 2) > 0 ||
          got >= 2048) {
        cacheStart_ = block;
        cacheBlocks_ = static_cast<std::uint32_t>(got / 2048);
        if (cacheBlocks_ > 0) {
          std::memcpy(out, cache_.data(), 2048);
          return true;
        }
      }
    }
    off_t got = 0;
    const off_t bytes = static_cast<off_t>(count) * 2048;
    return burn::burn_read_data(grab_->drive(), static_cast<off_t>(block) * 2048, out, bytes, &got,
                                2) > 0 &&
           got == bytes;
  }
  std::string name() const override { return address_; }

 private:
  static constexpr std::uint32_t kReadAhead = 64;
  std::string address_;
  std::unique_ptr<Grab> grab_;
  std::vector<char> cache_;
  std::uint32_t cacheStart_ = 0;
  std::uint32_t cacheBlocks_ = 0;
};

}  // namespace

std::vector<DiscoveredDrive> discoverDrives() {
  // While this process holds a drive libburn cannot scan; callers that need the list then
  // keep the one they had (the service's device watcher does).
  return BurnLibrary::instance().scan().value_or(std::vector<DiscoveredDrive>{});
}

std::optional<std::vector<DiscoveredDrive>> scanDrives() {
  return BurnLibrary::instance().scan();
}

OpticalDrive::OpticalDrive(std::string address) : address_(std::move(address)) {}

bool OpticalDrive::pseudo() const {
  return stdioFile(address_).has_value();
}

std::optional<OpticalDrive::MediumIdentity> OpticalDrive::currentIdentity() const {
  const auto file = stdioFile(address_);
  struct stat st {};
  if (!file || ::stat(file->c_str(), &st) != 0) return std::nullopt;
  return MediumIdentity{st.st_dev, st.st_ino};
}

MediaCheck OpticalDrive::check(const MediaNeed& need) const {
  MediaCheck result;
  const auto file = stdioFile(address_);
  std::error_code ec;
  // A pseudo-drive's medium is "inserted" empty when the file is absent or empty.
  const bool emptyFile =
      file &&
      (!fs::exists(*file) || (fs::is_regular_file(*file, ec) && fs::file_size(*file, ec) == 0));
  if (file && !emptyFile && used_ && currentIdentity() == used_) {
    result.verdict = MediaCheck::Verdict::Used;
    result.mediaType = "stdio file";
    result.reason = "this medium has already been used";
    return result;
  }
  const auto grab = BurnLibrary::instance().grab(address_, loadTray_);
  const burn::burn_disc_status status = settledStatus(grab->drive(), address_, stop_, settleLimit_);
  int profile = 0;
  char name[80] = {};
  burn::burn_disc_get_profile(grab->drive(), &profile, name);
  result.mediaType = name;
  result.family = file ? need.pseudoFamily : familyOf(profile);
  if (status == burn::BURN_DISC_EMPTY) {
    result.verdict = MediaCheck::Verdict::Absent;
    result.reason = "no disc in the drive";
    return result;
  }
  loadTray_ = true;
  if (status == burn::BURN_DISC_UNSUITABLE || profile == 0x12 || profile == 0x43 ||
      profile == 0x41 || profile == 0x42) {
    result.verdict = MediaCheck::Verdict::Unsuitable;
    result.reason =
        std::string(name) + " is not usable for these profiles (DVD-RAM and BD need UDF)";
    return result;
  }
  if (need.family != DiscFamily::Unknown && result.family != DiscFamily::Unknown &&
      result.family != need.family) {
    result.verdict = MediaCheck::Verdict::WrongType;
    result.reason = std::string("this is a ") + (file ? familyName(result.family) : name) +
                    "; this profile needs a " + familyName(need.family);
    return result;
  }
  if (status == burn::BURN_DISC_FULL || status == burn::BURN_DISC_APPENDABLE) {
    result.verdict =
        erasable(profile) ? MediaCheck::Verdict::Erasable : MediaCheck::Verdict::Written;
    result.reason = erasable(profile) ? std::string("the ") + name + " holds data"
                                      : "the disc has already been written";
    return result;
  }
  if (!emptyFile) {
    // Overwritable media and pseudo-drives say "blank" whatever they hold: look ourselves.
    // A pseudo-drive's file is read directly: libburn cannot read every kind of file back
    // (character devices such as /dev/full), and those must still look blank when they are.
    std::vector<char> head(32 * 2048);
    ssize_t got = -1;
    if (file) {
      const int fd = ::open(file->c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        got = ::pread(fd, head.data(), head.size(), 0);
        ::close(fd);
      }
    } else {
      off_t count = 0;
      if (burn::burn_read_data(grab->drive(), 0, head.data(), static_cast<off_t>(head.size()),
                               &count, 2) > 0) {
        got = count;
      }
    }
    const bool data =
        got > 0 && std::any_of(head.begin(), head.begin() + got, [](char c) { return c != 0; });
    if (data || (got < 0 && file)) {
      result.verdict = MediaCheck::Verdict::Written;
      result.reason = got < 0 ? "the medium cannot be read" : "the medium already holds data";
      return result;
    }
  }
  if (file) {
    result.capacityBytes = need.pseudoCapacity;
  } else {
    const off_t space = burn::burn_disc_available_space(grab->drive(), nullptr);
    result.capacityBytes = space > 0 ? static_cast<std::uint64_t>(space) : 0;
  }
  if (result.capacityBytes > 0 && need.bytes > result.capacityBytes) {
    result.verdict = MediaCheck::Verdict::TooSmall;
    result.reason = "the medium holds " + std::to_string(result.capacityBytes / 1'000'000) +
                    " MB, this disc needs " + std::to_string((need.bytes + 999'999) / 1'000'000) +
                    " MB";
    return result;
  }
  result.verdict = MediaCheck::Verdict::Blank;
  return result;
}

void OpticalDrive::blank(const WriteProgress& progress) const {
  const auto stopping = [&] { return stop_ && stop_(); };
  if (stopping()) throw MediaError(MediaError::Code::Cancelled, "erasing cancelled");
  const auto grab = BurnLibrary::instance().grab(address_, true);
  if (burn::burn_disc_erasable(grab->drive()) != 1) {
    throw MediaError(MediaError::Code::Io, "the disc in " + address_ + " cannot be erased");
  }
  burn::burn_disc_erase(grab->drive(), 1);  // fast: the new session overwrites the rest
  burn::burn_progress p{};
  bool cancelled = false;
  // A fast blank takes minutes; a drive still busy an hour later is not going to finish.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
  while (burn::burn_drive_get_status(grab->drive(), &p) != burn::BURN_DRIVE_IDLE) {
    bool goOn = !stopping();
    if (goOn && progress && p.sectors > 0) {
      try {
        goOn =
            progress(static_cast<std::uint64_t>(p.sector), static_cast<std::uint64_t>(p.sectors));
      } catch (...) {
        goOn = false;
      }
    }
    if (!goOn && !cancelled) {
      // libburn may finish the erase regardless; the job stops waiting for it soon after.
      burn::burn_drive_cancel(grab->drive());
      cancelled = true;
      deadline = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(10));
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    usleep(100000);
  }
  if (cancelled) throw MediaError(MediaError::Code::Cancelled, "erasing cancelled");
  if (burn::burn_drive_get_status(grab->drive(), nullptr) != burn::BURN_DRIVE_IDLE) {
    throw MediaError(MediaError::Code::Io, "erasing the disc in " + address_ + " does not end");
  }
  if (settledStatus(grab->drive(), address_, stop_, settleLimit_) != burn::BURN_DISC_BLANK) {
    throw MediaError(MediaError::Code::Io, "erasing the disc failed: " + grab->failure());
  }
}

void OpticalDrive::eject() const {
  if (pseudo()) return;
  try {
    const auto grab = BurnLibrary::instance().grab(address_, false);
    grab->ejectOnRelease();
    loadTray_ = false;  // leave the tray open for the clerk
  } catch (const MediaError&) {
    // A drive that cannot be grabbed cannot be ejected either; the clerk still sees why.
  }
}

std::unique_ptr<MediumReader> OpticalDrive::openForReading() const {
  if (const auto file = stdioFile(address_)) {
    const int fd = ::open(file->c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      ::close(fd);
    }
  } else {
    // Opening and closing the tray makes the drive forget what it cached while writing.
    const auto grab = BurnLibrary::instance().grab(address_, true);
    grab->ejectOnRelease();
  }
  auto grab = BurnLibrary::instance().grab(address_, true);
  if (settledStatus(grab->drive(), address_, stop_, settleLimit_) == burn::BURN_DISC_EMPTY) {
    throw MediaError(MediaError::Code::Io,
                     "the drive did not take the disc back in to check it; close the tray");
  }
  return std::make_unique<DriveReader>(address_, std::move(grab));
}

void OpticalDrive::write(const IsoVolumeContent& content, const WriteProgress& progress) {
  // Whatever happens next, this medium has been tried: it is not blank any more.
  used_ = currentIdentity();
  if (const auto file = stdioFile(address_)) {
    // libburn does not truncate a pseudo-drive's file; a shorter image would keep old bytes.
    std::error_code ec;
    fs::resize_file(*file, 0, ec);
  }
  ImageStream image = openImageStream(content);
  const off_t total = image.source->get_size(image.source.get());
  const auto grab = BurnLibrary::instance().grab(address_, true);
  // Declared so that they are freed in the order libburn wants: options first, source last.
  const BurnHandle<burn::burn_source, burn::burn_source_free> fifo(
      // 32 MB: with a small fifo both sides sleep 50 ms at a time (libburn's rhythm) and
      // writing stalls near 40 MB/s; libisofs delivers 2 KB sectors, hence the chunk size.
      burn::burn_fifo_source_new(image.source.get(), 2048, 16384, 0));
  const BurnHandle<burn::burn_track, burn::burn_track_free> track(burn::burn_track_create());
  const BurnHandle<burn::burn_session, burn::burn_session_free> session(
      burn::burn_session_create());
  const BurnHandle<burn::burn_disc, burn::burn_disc_free> disc(burn::burn_disc_create());
  const BurnHandle<burn::burn_write_opts, burn::burn_write_opts_free> options(
      burn::burn_write_opts_new(grab->drive()));
  burn::burn_track_define_data(track.get(), 0, 0, 1, BURN_MODE1);
  burn::burn_track_set_source(track.get(), fifo.get());
  burn::burn_session_add_track(session.get(), track.get(), BURN_POS_END);
  burn::burn_disc_add_session(disc.get(), session.get(), BURN_POS_END);
  burn::burn_write_opts_set_multi(options.get(), 0);
  burn::burn_write_opts_set_underrun_proof(options.get(), 1);
  burn::burn_write_opts_set_perform_opc(options.get(), 1);
  burn::burn_write_opts_set_stdio_fsync(options.get(), 1);
  burn::burn_drive_set_speed(grab->drive(), 0, 0);
  char reasons[BURN_REASONS_LEN] = {};
  if (burn::burn_write_opts_auto_write_type(options.get(), disc.get(), reasons, 0) ==
      burn::BURN_WRITE_NONE) {
    throw MediaError(MediaError::Code::Io, std::string("no way to write this medium: ") + reasons);
  }
  burn::burn_disc_write(options.get(), disc.get());
  while (burn::burn_drive_get_status(grab->drive(), nullptr) == burn::BURN_DRIVE_SPAWNING)
    usleep(50000);
  bool cancelled = false;
  std::exception_ptr failure;  // from progress: rethrown once the drive has stopped
  burn::burn_progress p{};
  while (burn::burn_drive_get_status(grab->drive(), &p) != burn::BURN_DRIVE_IDLE) {
    if (progress && !cancelled && p.sectors > 0) {
      bool goOn = true;
      try {
        goOn = progress(static_cast<std::uint64_t>(p.sector) * 2048,
                        static_cast<std::uint64_t>(total));
      } catch (...) {
        failure = std::current_exception();
        goOn = false;
      }
      if (!goOn) {
        burn::burn_drive_cancel(grab->drive());  // the drive goes idle by itself after this
        cancelled = true;
      }
    }
    usleep(100000);
  }
  if (failure) std::rethrow_exception(failure);
  const bool good = burn::burn_drive_wrote_well(grab->drive()) == 1;
  const std::string why = grab->failure();                  // this drive's messages, no other job's
  if (auto identity = currentIdentity()) used_ = identity;  // libburn may have created it
  if (const auto file = stdioFile(address_); file && good && !cancelled) {
    // On the medium before it is read back: the read-back drops clean pages only.
    const int fd = ::open(file->c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  if (cancelled) throw MediaError(MediaError::Code::Cancelled, "writing cancelled");
  if (!good) throw MediaError(MediaError::Code::Io, "writing failed on " + address_ + ": " + why);
  if (progress) progress(static_cast<std::uint64_t>(total), static_cast<std::uint64_t>(total));
}

}  // namespace burnstation::mediawriter
