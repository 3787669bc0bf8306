// Selection options (see selection_options.h).
#include "selection_options.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

station::PlanRequest planRequest(const CommandLine& line) {
  const auto patient = line.value("--patient");
  if (!patient) throw UsageError("--patient is required (a Patient ID or a key from `patients`)");
  const auto profileName = line.value("--profile");
  if (!profileName) throw UsageError("--profile is required (cd, dvd, dvd-j2k, usb, usb-j2k)");
  return {*patient, line.values("--study"), *profileName, capacityOption(line)};
}

station::MediumSelection resolveMediumSelection(const CommandLine& line,
                                                const station::StationConfig& config,
                                                const store::Store& store) {
  const auto patient = line.value("--patient");
  if (!patient) throw UsageError("--patient is required (a Patient ID or a key from `patients`)");
  const auto profileName = line.value("--profile");
  if (!profileName) throw UsageError("--profile is required (cd, dvd, dvd-j2k, usb, usb-j2k)");
  return station::resolveMediumSelection(config, store, *patient, line.values("--study"),
                                         *profileName);
}

std::optional<std::uint64_t> capacityOption(const CommandLine& line) {
  const auto text = line.value("--capacity");
  if (!text) return std::nullopt;
  const auto bytes = station::parseSize(*text);
  if (!bytes || *bytes == 0) {
    throw UsageError("--capacity must be a size such as 700M, 4.7G or 1M, not \"" + *text + "\"");
  }
  return bytes;
}

}  // namespace burnstation::app
