// Drive and stick probes and the drives document (see drives_document.h).
#include "burnstation/station/drives_document.h"

#include <filesystem>

#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/station/drive_choice.h"

namespace burnstation::station {

namespace fs = std::filesystem;

namespace {

const char* statusOf(mediawriter::MediaCheck::Verdict verdict) {
  using V = mediawriter::MediaCheck::Verdict;
  switch (verdict) {
    case V::Blank:
      return "blank";
    case V::Absent:
      return "absent";
    case V::Erasable:
      return "rewritable, holds data";
    case V::Written:
    case V::Used:
      return "written";
    case V::Unsuitable:
    case V::WrongType:
    case V::TooSmall:
      break;
  }
  return "unsuitable";
}

const char* kindOf(DriveKind kind) {
  switch (kind) {
    case DriveKind::Image:
      return "image";
    case DriveKind::Optical:
      return "optical";
    case DriveKind::Usb:
      break;
  }
  return "usb";
}

store::DeviceState usbRow(const std::string& address, const std::string& status,
                          const std::string& type, std::uint64_t size, const std::string& reason) {
  store::DeviceState row;
  row.name = kUsbDriveName;
  row.address = address;
  row.kind = "usb";
  row.mediaStatus = status;
  row.mediaType = type;
  row.capacityBytes = size;
  row.reason = reason;
  return row;
}

}  // namespace

std::vector<store::DeviceState> probeDrives(const StationConfig& config,
                                            const std::vector<mediawriter::DiscoveredDrive>& found,
                                            const std::map<std::string, std::int64_t>& busy,
                                            const ProbeManner& manner) {
  std::vector<store::DeviceState> out;
  for (const DriveChoice& d : knownDrives(config, found)) {
    store::DeviceState row;
    row.name = d.name;
    row.address = d.address;
    row.kind = kindOf(d.kind);
    row.discovered = d.discovered;
    if (d.kind == DriveKind::Image) {
      std::error_code ec;
      const auto space = fs::space(fs::exists(config.dataDir) ? config.dataDir : fs::path("/"), ec);
      row.mediaStatus = "blank";
      row.mediaType = "ISO 9660 image file";
      row.capacityBytes = ec ? 0 : space.available;
      out.push_back(std::move(row));
      continue;
    }
    auto holder = busy.find(d.name);
    if (holder == busy.end()) holder = busy.find(d.address);
    if (holder != busy.end()) {
      // The job holding it reports the medium; grabbing it here would compete with the job.
      row.mediaStatus = "busy";
      row.reason = "in use by job " + std::to_string(holder->second);
      out.push_back(std::move(row));
      continue;
    }
    mediawriter::MediaNeed need;
    need.pseudoFamily = discFamilyOf(d.media);
    need.pseudoCapacity = d.capacity.value_or(0);
    try {
      mediawriter::OpticalDrive drive(d.address);
      drive.loadTrayOnCheck(manner.loadTray);
      drive.settleWithin(manner.settleLimit);
      if (manner.stop) drive.stopWhen(manner.stop);
      const auto check = drive.check(need);
      row.mediaStatus = statusOf(check.verdict);
      row.mediaType = check.mediaType;
      row.capacityBytes = check.capacityBytes;
      row.reason = check.reason;
    } catch (const std::exception& e) {
      row.mediaStatus = "unavailable";  // e.g. another program holds it
      row.reason = e.what();
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<store::DeviceState> probeSticks(const StationConfig& config,
                                            mediawriter::UsbSticks& sticks) {
  std::vector<store::DeviceState> out;
  if (!sticks.watching()) {
    out.push_back(usbRow(kUsbDriveName, "unavailable", "", 0, sticks.problem()));
    return out;
  }
  const auto present = sticks.present();
  if (present.empty())
    out.push_back(usbRow(kUsbDriveName, "absent", "", 0, "no USB stick is inserted"));
  for (const auto& stick : present) {
    std::string status = "usable", reason;
    bool formattable = false;
    if (!mediawriter::allowedByList(stick, config.usbAllowlist)) {
      status = "refused";
      reason = "not on the station's list of allowed sticks";
    } else if (stick.partition.empty()) {
      status = "absent";
      reason = "the system has not made a disk of it (yet)";
    } else if (const auto fat = mediawriter::checkFilesystem(stick.partition); !fat.usable()) {
      status = "refused";
      reason = fat.reason;
      formattable = true;
    }
    out.push_back(usbRow(stick.partition.empty() ? stick.sysfsName() : stick.partition.string(),
                         status, stick.describe(), stick.sizeBytes, reason));
    out.back().formattable = formattable;
  }
  return out;
}

nlohmann::json drivesDocument(const std::vector<store::DeviceState>& devices) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : devices) {
    nlohmann::json entry = {{"name", d.name},
                            {"address", d.address},
                            {"kind", d.kind},
                            {"media",
                             {{"status", d.mediaStatus},
                              {"type", d.mediaType},
                              {"capacity_bytes", d.capacityBytes},
                              {"reason", d.reason}}}};
    if (d.kind == "optical") entry["discovered"] = d.discovered;
    // What POST /sticks/{id}/format takes; the "usb" row saying no stick is in has none.
    if (d.kind == "usb" && d.address != kUsbDriveName) {
      entry["id"] = mediawriter::stickIdOf(d.address);
      // The kiosk offers a format only where it would help (not for an unlisted stick).
      entry["media"]["formattable"] = d.formattable;
    }
    if (!d.updated.empty()) entry["updated"] = d.updated;
    list.push_back(std::move(entry));
  }
  return {{"drives", list}};
}

std::string drivesText(const std::vector<store::DeviceState>& devices) {
  std::string text;
  for (const auto& d : devices) {
    text += d.name + "  " + d.address + "  " + d.mediaStatus + "  " + d.mediaType + "  " +
            std::to_string(d.capacityBytes) + " bytes";
    if (!d.reason.empty()) text += "  (" + d.reason + ")";
    text += "\n";
  }
  return text;
}

std::vector<mediawriter::DiscoveredDrive> discoveredIn(
    const std::vector<store::DeviceState>& devices) {
  std::vector<mediawriter::DiscoveredDrive> out;
  for (const auto& d : devices) {
    if (d.kind == "optical" && d.discovered) out.push_back({d.address, "", ""});
  }
  return out;
}

}  // namespace burnstation::station
