// A drive libburn writes to: a real burner ("/dev/sr0") or a `stdio:FILE` pseudo-drive,
// which libburn treats as overwritable media. MediaCheck reads the medium's first blocks
// itself, because libburn calls overwritable media blank whatever they hold.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/mediawriter/verification.h"

namespace burnstation::mediawriter {

// What a disc is, for "the cd profile needs a CD": write-once and rewritable alike.
enum class DiscFamily { Unknown, Cd, Dvd, Bd };

struct MediaCheck {
  enum class Verdict { Blank, Written, Used, Unsuitable, WrongType, TooSmall, Absent, Erasable };
  Verdict verdict = Verdict::Absent;
  std::string mediaType;  // libburn's profile name, e.g. "CD-R", "stdio file"
  DiscFamily family = DiscFamily::Unknown;
  std::uint64_t capacityBytes = 0;  // what the medium holds (configured for pseudo-drives)
  std::string reason;               // for the clerk when the medium is refused
  bool usable() const { return verdict == Verdict::Blank; }
};

// What the volume about to be written needs from the medium.
struct MediaNeed {
  std::uint64_t bytes = 0;
  DiscFamily family = DiscFamily::Unknown;  // Unknown: any disc
  // A pseudo-drive's medium: what it stands for and how big it is (0: unlimited).
  DiscFamily pseudoFamily = DiscFamily::Unknown;
  std::uint64_t pseudoCapacity = 0;
};

// A burner libburn found on this machine.
struct DiscoveredDrive {
  std::string address;  // e.g. "/dev/sr0"
  std::string vendor;
  std::string product;
};
// Empty while this process holds a drive (libburn cannot scan then); scanDrives says so.
std::vector<DiscoveredDrive> discoverDrives();
std::optional<std::vector<DiscoveredDrive>> scanDrives();

class OpticalDrive {
 public:
  explicit OpticalDrive(std::string address);
  const std::string& address() const { return address_; }
  bool pseudo() const;
  // Asked while waiting for the drive to settle or to finish erasing: true ends the wait
  // with MediaError Cancelled (the service stopping, the job cancelled).
  void stopWhen(std::function<bool()> stop) { stop_ = std::move(stop); }
  // false: a check leaves an open tray open (the device watcher looks without closing what
  // the clerk opened); a job's checks load the tray.
  void loadTrayOnCheck(bool load) { loadTray_ = load; }
  // How long a check waits for a drive that says "not ready" (30 s by default; the device
  // watcher looks again soon anyway and waits less).
  void settleWithin(std::chrono::milliseconds limit) { settleLimit_ = limit; }

  // Blank, of the right family, big enough and not already written. A medium this drive
  // has written to (or failed on) counts as used until it is changed.
  MediaCheck check(const MediaNeed& need) const;

  // Erases a rewritable disc (CD-RW, DVD-RW) that holds data; only when the profile allows.
  // progress returning false (or stopWhen) cancels: MediaError Cancelled.
  void blank(const WriteProgress& progress) const;

  // Single session, closed disc. Throws MediaError (Cancelled when progress says stop).
  void write(const IsoVolumeContent& content, const WriteProgress& progress);

  // Opens the tray of a real drive (refused or finished media); nothing for pseudo-drives.
  void eject() const;

  // The written medium for verification, read from the medium rather than a cache: a real
  // drive's tray is opened and closed again, a pseudo-drive's cached pages are dropped.
  std::unique_ptr<MediumReader> openForReading() const;

 private:
  struct MediumIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const MediumIdentity&) const = default;
  };
  std::optional<MediumIdentity> currentIdentity() const;

  std::string address_;
  std::function<bool()> stop_;
  std::chrono::milliseconds settleLimit_{30'000};
  std::optional<MediumIdentity> used_;  // pseudo-drives: the file last written
  mutable bool loadTray_ = true;        // after an eject, wait for the clerk to close it
};

}  // namespace burnstation::mediawriter
