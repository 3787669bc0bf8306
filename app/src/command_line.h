// Parsing `burnstation <command> [--option value]...` and the options every command shares.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "burnstation/station/station_config.h"
#include "burnstation/store/store.h"

namespace burnstation::app {

// Bad command-line input: reported as one line on stderr (and as {"error"} with --json).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CommandLine {
 public:
  // valueOptions take a value; flags do not. Anything else is a usage error.
  CommandLine(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
              const std::set<std::string>& flags);

  std::optional<std::string> value(const std::string& option) const;
  std::vector<std::string> values(const std::string& option) const;
  bool flag(const std::string& option) const { return flags_.count(option) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

// A whole number in [min, max] written in digits only, else nullopt (no overflow, no
// leading sign or space, no trailing text).
std::optional<long long> wholeNumber(const std::string& text, long long min, long long max);

// --config FILE and --data-dir DIR, as every command takes them (station::effectiveConfig:
// the service-owned <data_dir>/station.toml is in force when it exists).
station::StationConfig resolveConfig(const CommandLine& line);

// The service's store, read-only, as the commands other than serve open it.
store::Store openStoreForReading(const CommandLine& line);

}  // namespace burnstation::app
