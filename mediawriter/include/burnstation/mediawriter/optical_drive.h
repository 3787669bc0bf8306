// A drive libburn writes to: a real burner ("/dev/sr0") or a `stdio:FILE` pseudo-drive,
// which libburn treats as overwritable media. MediaCheck reads the medium's first blocks
// itself, because libburn calls overwritable media blank whatever they hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "burnstation/mediawriter/iso_volume.h"

namespace burnstation::mediawriter {

struct MediaCheck {
  enum class Verdict { Blank, Written, Unsuitable, TooSmall, Absent };
  Verdict verdict = Verdict::Absent;
  std::string mediaType;  // libburn's profile name, e.g. "CD-R", "stdio file"
  std::string reason;     // for the clerk when the medium is refused
  bool usable() const { return verdict == Verdict::Blank; }
};

class OpticalDrive {
 public:
  explicit OpticalDrive(std::string address);
  const std::string& address() const { return address_; }

  // Blank, big enough for neededBytes (capacity: the configured size of a pseudo-drive's
  // medium, or 0 for what libburn reports), not already written.
  MediaCheck check(std::uint64_t neededBytes, std::uint64_t capacity) const;

  // Single session, closed disc. Throws MediaError (Cancelled when progress says stop).
  void write(const IsoVolumeContent& content, const WriteProgress& progress) const;

 private:
  std::string address_;
};

}  // namespace burnstation::mediawriter
