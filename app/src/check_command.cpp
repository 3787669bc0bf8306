// `burnstation check [--json]`: the store's own consistency check (index against files).
#include <iostream>
#include <nlohmann/json.hpp>

#include "burnstation/store/store.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

int runCheck(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {"--json"});
    json = line.flag("--json");
    const store::Store store = openStoreForReading(line);
    const store::ConsistencyReport report = store.checkConsistency();
    if (json) {
      std::cout << nlohmann::json{{"ok", report.ok()},
                                  {"instances", report.instancesChecked},
                                  {"problems", report.problems}}
                       .dump(2)
                << "\n";
    } else {
      for (const auto& p : report.problems) std::cout << "problem: " << p << "\n";
      std::cout << report.instancesChecked << " instance(s) checked, "
                << (report.ok() ? "store consistent" : "store INCONSISTENT") << "\n";
    }
    return report.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
}

}  // namespace burnstation::app
