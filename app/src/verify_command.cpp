// `burnstation verify PATH|ADDR [--json]`: reads a written ISO image, a file-set folder or
// the disc in a drive (a configured drive name, /dev/sr0 or stdio:FILE) back and checks it.
// Exit 0 when every check passes, 1 when one fails.
#include <iostream>

#include "burnstation/mediawriter/optical_drive.h"
#include "burnstation/mediawriter/verification.h"
#include "burnstation/station/documents.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

int runVerify(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {"--json"});
    json = line.flag("--json");
    if (line.positional().size() != 1) {
      throw UsageError("verify takes one image file, file-set folder or drive");
    }
    const std::string given = line.positional()[0];
    const std::filesystem::path target = given;
    mediawriter::VerificationReport report;
    const StationConfig config = resolveConfig(line);
    std::string address;
    if (const DriveSetting* drive = config.findDrive(given)) address = drive->address;
    if (given.rfind("stdio:", 0) == 0 || given.rfind("/dev/", 0) == 0) address = given;
    if (!address.empty()) {
      // Read from the medium itself: the drive's tray is cycled, cached pages dropped.
      const auto reader = mediawriter::OpticalDrive(address).openForReading();
      report = mediawriter::verifyMedium(*reader);
    } else if (std::filesystem::is_directory(target)) {
      report = mediawriter::verifyFileSetFolder(target);
    } else if (std::filesystem::is_regular_file(target)) {
      report = mediawriter::verifyIsoImage(target);
    } else {
      throw UsageError(target.string() +
                       " is neither an image file, a file-set folder nor a configured drive");
    }
    if (json) {
      std::cout << documentText(verifyDocument(report)) << "\n";
    } else {
      for (const auto& c : report.checks) {
        std::cout << (c.ok ? "ok    " : "FAILED") << "  " << c.name << ": " << c.detail << "\n";
      }
      std::cout << (report.ok() ? "verified: " : "NOT verified: ") << target.string() << "\n";
    }
    return report.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
