// Making a refused USB stick (exFAT, NTFS, unformatted) usable: its first partition, or the
// whole stick when it has no partition table (as the stick target treats it), erased and
// formatted FAT32 by mkfs.vfat (PS3.12 Annex R), after the clerk has confirmed. Refused
// while anyone else has the stick: a job of this service (stick_claims.h), a mount, or
// another program holding the block device.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "burnstation/mediawriter/usb_stick.h"

namespace burnstation::mediawriter {

class StickFormatError : public std::runtime_error {
 public:
  // NotAllowed: not on the station's allowlist; InUse: a job, a mount or another program
  // has it; AlreadyFat: it can be used as it is (formatting needs force); Failed: mkfs.vfat
  // did not make the filesystem (the stick may be damaged or was pulled).
  enum class Code { NotAllowed, InUse, AlreadyFat, Failed };
  StickFormatError(Code code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

struct StickFormatOrder {
  UsbStick stick;  // as the device watcher knows it: partition is what gets erased
  std::vector<std::string> allowlist;
  std::string volumeLabel;  // any text; made a valid FAT label (fatVolumeLabel)
  bool force = false;       // erase a stick that already has FAT16 or FAT32
  std::chrono::milliseconds limit{std::chrono::minutes(10)};  // for mkfs.vfat
};

// "Burnstation-1" -> "BURNSTATION" (11 characters of A-Z, 0-9, '_' and '-'); "DICOM" when
// nothing is left.
std::string fatVolumeLabel(const std::string& name);

// Whether another process has the stick mounted or open exclusively; the reason if so.
std::string usedElsewhere(const std::filesystem::path& partition);

// One format of one stick. Constructing it checks the order and claims the stick, so a job
// cannot start on it; throws StickFormatError when the stick must not be formatted now.
// run() may then be called on another thread; the claim ends with the object.
class StickFormat {
 public:
  explicit StickFormat(StickFormatOrder order);
  ~StickFormat();
  StickFormat(StickFormat&&) noexcept;
  StickFormat& operator=(StickFormat&&) = delete;

  const StickFormatOrder& order() const { return order_; }
  // Erases the stick and makes it FAT32; throws StickFormatError(Failed or InUse).
  void run();

 private:
  struct Claim;
  StickFormatOrder order_;
  std::unique_ptr<Claim> claim_;
};

}  // namespace burnstation::mediawriter
