// Drive choice (see drive_choice.h).
#include "burnstation/station/drive_choice.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "burnstation/store/stored_path.h"

namespace burnstation::station {

bool isUsbProfile(const ProfileSetting& profile) {
  return dicomdir::mediaProfile(profile.medium).medium == dicomdir::Medium::Usb;
}

namespace {

DriveChoice fromSetting(const DriveSetting& d) {
  return {d.name, d.address, DriveKind::Optical, d.media, d.capacity, false};
}

DriveChoice imageDrive(const StationConfig& config) {
  return {kImageDriveName,  (config.dataDir / "images").string(),
          DriveKind::Image, MediaKind::Any,
          std::nullopt,     false};
}

DriveChoice fromDiscovered(const mediawriter::DiscoveredDrive& found) {
  return {discoveredName(found.address),
          found.address,
          DriveKind::Optical,
          MediaKind::Any,
          std::nullopt,
          true};
}

// A medium written into the data directory would land among the store's own files.
void refuseInsideDataDir(const StationConfig& config, const std::string& requested,
                         const std::string& file) {
  if (store::isInsideDataDir(file, config.dataDir)) {
    throw std::invalid_argument("drive " + requested + " is inside the station's data directory " +
                                config.dataDir.string() + "; give a file outside it");
  }
}

std::optional<mediawriter::DiscoveredDrive> discoveredNamed(
    const std::vector<mediawriter::DiscoveredDrive>& found, const std::string& name) {
  for (const auto& drive : found) {
    if (discoveredName(drive.address) == name) return drive;
  }
  return std::nullopt;
}

bool suits(const DriveChoice& drive, const ProfileSetting& profile) {
  const auto family = discFamilyOf(drive.media);
  const auto needed = discFamilyFor(profile);
  return family == mediawriter::DiscFamily::Unknown || family == needed;
}

}  // namespace

mediawriter::DiscFamily discFamilyFor(const ProfileSetting& profile) {
  switch (dicomdir::mediaProfile(profile.medium).medium) {
    case dicomdir::Medium::Cd:
      return mediawriter::DiscFamily::Cd;
    case dicomdir::Medium::Bd:
      return mediawriter::DiscFamily::Bd;
    default:
      return mediawriter::DiscFamily::Dvd;
  }
}

mediawriter::DiscFamily discFamilyOf(MediaKind media) {
  switch (media) {
    case MediaKind::Cd:
      return mediawriter::DiscFamily::Cd;
    case MediaKind::Dvd:
      return mediawriter::DiscFamily::Dvd;
    case MediaKind::Any:
      break;
  }
  return mediawriter::DiscFamily::Unknown;
}

std::string recordedDrive(const DriveChoice& choice) {
  return choice.discovered ? choice.address : choice.name;
}

std::vector<DriveChoice> knownDrives(const StationConfig& config,
                                     const std::vector<mediawriter::DiscoveredDrive>& found) {
  std::vector<DriveChoice> out;
  for (const DriveSetting& d : config.drives) out.push_back(fromSetting(d));
  for (const auto& drive : found) {
    const bool named = std::any_of(
        out.begin(), out.end(), [&](const DriveChoice& c) { return c.address == drive.address; });
    if (!named) out.push_back(fromDiscovered(drive));
  }
  out.push_back(imageDrive(config));
  return out;
}

std::vector<DriveChoice> knownDrives(const StationConfig& config, bool discover) {
  return knownDrives(config, discover ? defaultDiscovery().discover()
                                      : std::vector<mediawriter::DiscoveredDrive>{});
}

DriveChoice chooseDrive(const StationConfig& config, const std::string& requested,
                        const ProfileSetting& profile) {
  return chooseDrive(config, requested, profile, defaultDiscovery());
}

DriveChoice chooseDrive(const StationConfig& config, const std::string& requested,
                        const ProfileSetting& profile, DriveDiscovery& discovery) {
  DriveChoice choice;
  if (requested.empty()) {
    // USB profiles go to a stick; discs go to the first burner whose media suit the
    // profile, else to the image drive.
    if (isUsbProfile(profile)) {
      return {kUsbDriveName, kUsbDriveName, DriveKind::Usb, MediaKind::Any, std::nullopt, false};
    }
    choice = imageDrive(config);
    for (const DriveChoice& d : knownDrives(config, discovery.discover())) {
      if (d.kind == DriveKind::Optical && suits(d, profile)) {
        choice = d;
        break;
      }
    }
    return choice;
  }
  if (requested == kImageDriveName) return imageDrive(config);
  if (requested == kUsbDriveName || requested.rfind("usb:/", 0) == 0) {
    if (!isUsbProfile(profile)) {
      throw std::invalid_argument(
          "profile \"" + profile.name +
          "\" is for discs; a USB stick needs a USB profile (usb, usb-j2k)");
    }
    const std::string address = requested == kUsbDriveName ? requested : requested.substr(4);
    if (requested != kUsbDriveName) refuseInsideDataDir(config, requested, address);
    return {requested, address, DriveKind::Usb, MediaKind::Any, std::nullopt, false};
  }
  const auto byAddress =
      std::find_if(config.drives.begin(), config.drives.end(),
                   [&](const DriveSetting& d) { return d.address == requested; });
  if (const DriveSetting* d = config.findDrive(requested)) {
    choice = fromSetting(*d);
  } else if (byAddress != config.drives.end()) {
    // One drive, one name: jobs for it then wait for each other whichever way it was named.
    choice = fromSetting(*byAddress);
  } else if (requested.rfind("stdio:/", 0) == 0 || requested.rfind("/dev/", 0) == 0) {
    if (requested[0] == '/' && !std::filesystem::exists(requested)) {
      throw UnknownDriveError("there is no burner at " + requested);
    }
    if (requested.rfind("stdio:", 0) == 0)
      refuseInsideDataDir(config, requested, requested.substr(6));
    choice = {requested, requested, DriveKind::Optical, MediaKind::Any, std::nullopt, false};
  } else if (const auto found = discoveredNamed(discovery.discover(), requested)) {
    // A burner no entry names, by the name `drives` lists it under.
    choice = fromDiscovered(*found);
  } else {
    std::string names;
    for (const DriveSetting& d : config.drives) names += ", " + d.name;
    throw UnknownDriveError("drive \"" + requested + "\" is unknown; give " + kImageDriveName +
                            names + ", usb, a burner such as /dev/sr0 or stdio:/path/file");
  }
  if (isUsbProfile(profile)) {
    throw std::invalid_argument("profile \"" + profile.name +
                                "\" is for USB sticks; it cannot be burned to the disc drive " +
                                choice.name);
  }
  if (!suits(choice, profile)) {
    throw std::invalid_argument(
        "drive " + choice.name + " takes " +
        (choice.media == MediaKind::Cd ? std::string("CDs") : std::string("DVDs")) +
        "; profile \"" + profile.name + "\" needs a " +
        (discFamilyFor(profile) == mediawriter::DiscFamily::Cd   ? "CD"
         : discFamilyFor(profile) == mediawriter::DiscFamily::Bd ? "BD"
                                                                 : "DVD"));
  }
  return choice;
}

}  // namespace burnstation::station
