// `burnstation verify PATH [--json]`: reads a written ISO image or a file-set folder back
// and checks it. Exit 0 when every check passes, 1 when one fails.
#include <iostream>
#include <nlohmann/json.hpp>

#include "burnstation/mediawriter/verification.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

int runVerify(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {"--json"});
    json = line.flag("--json");
    if (line.positional().size() != 1) throw UsageError("verify takes one image file or folder");
    const std::filesystem::path target = line.positional()[0];
    mediawriter::VerificationReport report;
    if (std::filesystem::is_directory(target)) {
      report = mediawriter::verifyFileSetFolder(target);
    } else if (std::filesystem::is_regular_file(target)) {
      report = mediawriter::verifyIsoImage(target);
    } else {
      throw UsageError(target.string() +
                       " is neither an image file nor a file-set folder "
                       "(drive addresses come with the burning issue)");
    }
    if (json) {
      nlohmann::json checks = nlohmann::json::array();
      for (const auto& c : report.checks)
        checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
      std::cout << nlohmann::json{{"ok", report.ok()}, {"checks", checks}}.dump(2) << "\n";
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
