// libburn writing (see optical_drive.h; FIELD-GUIDE §5 gives the call order). The drive is
// grabbed for each check or write and released after, so a pseudo-drive's file can be
// replaced in between, as a disc is changed.
#include "burnstation/mediawriter/optical_drive.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

#include "iso_handles.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

class BurnLibrary {
 public:
  static void ensure() {
    static BurnLibrary library;
    (void)library;
  }

 private:
  BurnLibrary() {
    if (burn::burn_initialize() != 1)
      throw MediaError(MediaError::Code::Io, "libburn cannot start");
    burn::burn_msgs_set_severities(const_cast<char*>("NOTE"), const_cast<char*>("NEVER"),
                                   const_cast<char*>("burnstation: "));
  }
  ~BurnLibrary() { burn::burn_finish(); }
};

// libburn's own explanation of what just failed, for the message a person reads.
std::string drainMessages() {
  std::string text;
  int code = 0, oserr = 0;
  char message[BURN_MSGS_MESSAGE_LEN], severity[80];
  while (burn::burn_msgs_obtain(const_cast<char*>("ALL"), &code, message, &oserr, severity) == 1) {
    if (std::strcmp(severity, "FAILURE") == 0 || std::strcmp(severity, "SORRY") == 0 ||
        std::strcmp(severity, "FATAL") == 0) {
      text = message;
    }
  }
  return text;
}

// A grabbed drive, released (never ejected) when it goes out of scope.
class Grab {
 public:
  explicit Grab(const std::string& address) {
    BurnLibrary::ensure();
    if (burn::burn_drive_scan_and_grab(&info_, const_cast<char*>(address.c_str()), 1) != 1) {
      info_ = nullptr;
      throw MediaError(MediaError::Code::Io,
                       "drive " + address + " is not available: " + drainMessages());
    }
  }
  ~Grab() {
    if (info_) {
      burn::burn_drive_release(info_[0].drive, 0);
      burn::burn_drive_info_free(info_);
    }
  }
  burn::burn_drive* drive() const { return info_[0].drive; }

 private:
  burn::burn_drive_info* info_ = nullptr;
};

std::optional<fs::path> stdioFile(const std::string& address) {
  if (address.rfind("stdio:", 0) == 0 && address.size() > 6) return fs::path(address.substr(6));
  return std::nullopt;
}

}  // namespace

OpticalDrive::OpticalDrive(std::string address) : address_(std::move(address)) {}

MediaCheck OpticalDrive::check(std::uint64_t neededBytes, std::uint64_t capacity) const {
  MediaCheck result;
  const auto file = stdioFile(address_);
  std::error_code ec;
  // A pseudo-drive's medium is "inserted" empty when the file is absent or empty.
  const bool emptyFile = file && (!fs::exists(*file) || fs::file_size(*file, ec) == 0);
  Grab grab(address_);
  burn::burn_disc_status status;
  while ((status = burn::burn_disc_get_status(grab.drive())) == burn::BURN_DISC_UNREADY)
    usleep(100000);
  int profile = 0;
  char name[80] = {};
  burn::burn_disc_get_profile(grab.drive(), &profile, name);
  result.mediaType = name;
  if (status == burn::BURN_DISC_EMPTY) {
    result.verdict = MediaCheck::Verdict::Absent;
    result.reason = "no disc in the drive";
    return result;
  }
  if (status == burn::BURN_DISC_UNSUITABLE || profile == 0x12 || profile == 0x43 ||
      profile == 0x41) {
    result.verdict = MediaCheck::Verdict::Unsuitable;
    result.reason =
        std::string(name) + " is not usable for these profiles (DVD-RAM and BD need UDF)";
    return result;
  }
  if (status == burn::BURN_DISC_FULL || status == burn::BURN_DISC_APPENDABLE) {
    result.verdict = MediaCheck::Verdict::Written;
    result.reason = "the disc has already been written";
    return result;
  }
  if (!emptyFile) {
    // Overwritable media and pseudo-drives say "blank" whatever they hold: look ourselves.
    std::vector<char> head(32 * 2048);
    off_t got = 0;
    const int read = burn::burn_read_data(grab.drive(), 0, head.data(),
                                          static_cast<off_t>(head.size()), &got, 2);
    const bool data =
        read > 0 && std::any_of(head.begin(), head.begin() + got, [](char c) { return c != 0; });
    if (data || (read <= 0 && file)) {
      result.verdict = MediaCheck::Verdict::Written;
      result.reason = "the medium already holds data";
      return result;
    }
  }
  const std::uint64_t available = capacity;
  if (available > 0 && neededBytes > available) {
    result.verdict = MediaCheck::Verdict::TooSmall;
    result.reason = "the medium holds " + std::to_string(available) + " bytes, the volume needs " +
                    std::to_string(neededBytes);
    return result;
  }
  result.verdict = MediaCheck::Verdict::Blank;
  return result;
}

void OpticalDrive::write(const IsoVolumeContent& content, const WriteProgress& progress) const {
  if (const auto file = stdioFile(address_)) {
    // libburn does not truncate a pseudo-drive's file; a shorter image would keep old bytes.
    std::error_code ec;
    fs::resize_file(*file, 0, ec);
  }
  ImageStream image = openImageStream(content);
  const off_t total = image.source->get_size(image.source.get());
  Grab grab(address_);
  burn::burn_source* fifo = burn::burn_fifo_source_new(image.source.get(), 2048, 1024, 0);
  burn::burn_disc* disc = burn::burn_disc_create();
  burn::burn_session* session = burn::burn_session_create();
  burn::burn_track* track = burn::burn_track_create();
  burn::burn_track_define_data(track, 0, 0, 1, BURN_MODE1);
  burn::burn_track_set_source(track, fifo);
  burn::burn_session_add_track(session, track, BURN_POS_END);
  burn::burn_disc_add_session(disc, session, BURN_POS_END);
  burn::burn_write_opts* options = burn::burn_write_opts_new(grab.drive());
  burn::burn_write_opts_set_multi(options, 0);
  burn::burn_write_opts_set_underrun_proof(options, 1);
  burn::burn_write_opts_set_perform_opc(options, 1);
  burn::burn_write_opts_set_stdio_fsync(options, 1);
  burn::burn_drive_set_speed(grab.drive(), 0, 0);
  char reasons[BURN_REASONS_LEN] = {};
  auto release = [&] {
    burn::burn_write_opts_free(options);
    burn::burn_disc_free(disc);
    burn::burn_session_free(session);
    burn::burn_track_free(track);
    burn::burn_source_free(fifo);
  };
  if (burn::burn_write_opts_auto_write_type(options, disc, reasons, 0) == burn::BURN_WRITE_NONE) {
    release();
    throw MediaError(MediaError::Code::Io, std::string("no way to write this medium: ") + reasons);
  }
  burn::burn_disc_write(options, disc);
  while (burn::burn_drive_get_status(grab.drive(), nullptr) == burn::BURN_DRIVE_SPAWNING)
    usleep(50000);
  bool cancelled = false;
  burn::burn_progress p{};
  while (burn::burn_drive_get_status(grab.drive(), &p) != burn::BURN_DRIVE_IDLE) {
    if (progress && !cancelled && p.sectors > 0 &&
        !progress(static_cast<std::uint64_t>(p.sector) * 2048, static_cast<std::uint64_t>(total))) {
      burn::burn_drive_cancel(grab.drive());  // the drive goes idle by itself after this
      cancelled = true;
    }
    usleep(100000);
  }
  const bool good = burn::burn_drive_wrote_well(grab.drive()) == 1;
  const std::string why = drainMessages();
  release();
  if (cancelled) throw MediaError(MediaError::Code::Cancelled, "writing cancelled");
  if (!good) throw MediaError(MediaError::Code::Io, "writing failed on " + address_ + ": " + why);
  if (progress) progress(static_cast<std::uint64_t>(total), static_cast<std::uint64_t>(total));
}

}  // namespace burnstation::mediawriter
