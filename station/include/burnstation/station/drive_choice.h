// Which drive a job goes to: a configured drive by name, a libburn address, the image drive,
// a USB stick, or (no --drive) the default for the profile's medium. Shared by `burn`, `drives`,
// the runner and auto-burn, so all of them agree on names and refusals.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "burnstation/mediawriter/optical_drive.h"
#include "burnstation/station/drive_discovery.h"
#include "burnstation/station/station_config.h"

namespace burnstation::station {

enum class DriveKind { Image, Optical, Usb };

struct DriveChoice {
  std::string name;     // what `jobs` shows and the job records
  std::string address;  // libburn address; the images folder for the image drive
  DriveKind kind = DriveKind::Image;
  MediaKind media = MediaKind::Any;
  std::optional<std::uint64_t> capacity;  // pseudo-drives: configured medium size
  bool discovered = false;                // a burner libburn found that no [[drive]] names
};

// What a job records for its drive: a discovered burner's address (its name is only derived
// from the address, and the service must find the drive again from the job alone), else
// the name.
std::string recordedDrive(const DriveChoice& choice);

// The built-in drive's name, as `drives` lists it and `burn --drive` accepts it.
inline constexpr const char* kImageDriveName = "images";
// The first allowed USB stick the station sees; "usb:/path" names a stick's partition or a
// FAT image file standing in for one (as stdio: does for discs).
inline constexpr const char* kUsbDriveName = "usb";

bool isUsbProfile(const ProfileSetting& profile);

// Configured drives, then burners found on this machine that no entry names (through
// defaultDiscovery(), see drive_discovery.h), then the image drive.
std::vector<DriveChoice> knownDrives(const StationConfig& config, bool discover);
std::vector<DriveChoice> knownDrives(const StationConfig& config,
                                     const std::vector<mediawriter::DiscoveredDrive>& found);

// A drive that names nothing this station knows (the local API answers it with 404).
class UnknownDriveError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws std::invalid_argument (UnknownDriveError for a name or address that names nothing)
// with the reason for the person who asked. requested is a
// configured name or address, a discovered burner's name or address, "images", "usb",
// "usb:/path", a burner's device or stdio:FILE; empty for the profile's default.
DriveChoice chooseDrive(const StationConfig& config, const std::string& requested,
                        const ProfileSetting& profile);
DriveChoice chooseDrive(const StationConfig& config, const std::string& requested,
                        const ProfileSetting& profile, DriveDiscovery& discovery);

// What the profile needs from a disc (CD profiles on CDs, DVD profiles on DVDs).
mediawriter::DiscFamily discFamilyFor(const ProfileSetting& profile);
mediawriter::DiscFamily discFamilyOf(MediaKind media);

}  // namespace burnstation::station
