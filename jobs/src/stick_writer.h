// One volume onto a USB stick (REQUIREMENTS §3 "USB"): wait for an allowed stick with FAT16
// or FAT32, mount it privately, write the file-set (FSC) or add to the one there (FSU, same
// patient only), write the manifest, flush, remount, verify, unmount, and only then tell
// the clerk it can be removed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/mediawriter/usb_stick.h"
#include "burnstation/station/drive_choice.h"
#include "burnstation/station/medium_selection.h"
#include "burnstation/station/station_config.h"

namespace burnstation::jobs {

class StickWriter {
 public:
  StickWriter(station::DriveChoice drive, const station::StationConfig& config);

  // Called with a reason whenever a stick is refused or none is there; the job waits.
  using Refusal = std::function<void(const std::string& reason)>;
  // Returns where the file-set was written ("SanDisk Cruzer (0781:5581, 16 GB)" or the
  // pseudo-stick's path). Throws MediaError when the stick fails or is pulled while
  // writing; checkStop throws to end the wait (cancel, service stop).
  std::string write(const station::MediumSelection& medium,
                    const std::vector<std::size_t>& instances, const Refusal& refused,
                    const std::function<void()>& checkStop);

 private:
  struct Candidate {
    std::filesystem::path partition;
    std::string description;
  };
  std::optional<Candidate> findStick(std::string& reason);
  std::string writeOnto(const Candidate& stick, const station::MediumSelection& medium,
                        const std::vector<std::size_t>& instances, std::string& refusal);

  station::DriveChoice drive_;
  const station::StationConfig& config_;
  std::unique_ptr<mediawriter::UsbSticks> sticks_;  // real sticks only
  bool written_ = false;  // the stick in place has been written by this job
  std::string writtenIdentity_;
  std::uint64_t writtenChanges_ = 0;
};

}  // namespace burnstation::jobs
