// Command-line parsing (see command_line.h).
#include "command_line.h"

#include <cctype>
#include <charconv>

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

CommandLine::CommandLine(const std::vector<std::string>& args,
                         const std::set<std::string>& valueOptions,
                         const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      positional_.push_back(arg);
      continue;
    }
    std::optional<std::string> inlineValue;
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      inlineValue = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (valueOptions.count(arg)) {
      if (inlineValue) {
        values_.emplace(arg, *inlineValue);
      } else if (i + 1 < args.size()) {
        values_.emplace(arg, args[++i]);
      } else {
        throw UsageError(arg + " needs a value");
      }
    } else if (flags.count(arg) && !inlineValue) {
      flags_.insert(arg);
    } else {
      throw UsageError("unknown option " + arg);
    }
  }
}

std::optional<std::string> CommandLine::value(const std::string& option) const {
  const auto range = values_.equal_range(option);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;  // the last one given wins
}

std::vector<std::string> CommandLine::values(const std::string& option) const {
  std::vector<std::string> out;
  const auto range = values_.equal_range(option);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

std::optional<long long> wholeNumber(const std::string& text, long long min, long long max) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return std::nullopt;
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

StationConfig resolveConfig(const CommandLine& line) {
  std::optional<std::filesystem::path> file, dataDir;
  if (const auto given = line.value("--config")) file = *given;
  if (const auto given = line.value("--data-dir")) dataDir = *given;
  return effectiveConfig(file, dataDir);
}

store::Store openStoreForReading(const CommandLine& line) {
  const StationConfig config = resolveConfig(line);
  return store::Store(
      {config.dataDir, 0, store::DuplicatePolicy::KeepStored, config.receiver.maxNestingDepth},
      store::Store::Access::ReadOnly);
}

}  // namespace burnstation::app
