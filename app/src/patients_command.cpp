// `burnstation patients [--json]`: collections with their studies, sizes and conflicts.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "burnstation/store/store.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

namespace {

nlohmann::json toJson(const std::vector<store::CollectionSummary>& collections) {
  nlohmann::json patients = nlohmann::json::array();
  for (const auto& c : collections) {
    nlohmann::json studies = nlohmann::json::array();
    for (const auto& s : c.studies) {
      studies.push_back({{"study_uid", s.studyUid},
                         {"date", s.date},
                         {"time", s.time},
                         {"description", s.description},
                         {"modalities", s.modalities},
                         {"series", s.series},
                         {"instances", s.instances},
                         {"bytes", s.bytes}});
    }
    patients.push_back({{"key", c.key},
                        {"patient_id", c.patientId},
                        {"id_generated", c.idGenerated},
                        {"issuer", c.issuer},
                        {"patient_name", c.patientName},
                        {"birth_date", c.birthDate},
                        {"sex", c.sex},
                        {"instances", c.instances},
                        {"bytes", c.bytes},
                        {"conflicts", c.conflicts},
                        {"studies", studies}});
  }
  return {{"patients", patients}};
}

void printTable(const std::vector<store::CollectionSummary>& collections) {
  if (collections.empty()) {
    std::cout << "no patients received yet\n";
    return;
  }
  for (const auto& c : collections) {
    std::cout << c.patientName << "  ID " << c.patientId << (c.idGenerated ? " (generated)" : "")
              << "  born " << (c.birthDate.empty() ? "-" : c.birthDate) << "  " << c.instances
              << " instance(s), " << c.bytes << " bytes  [" << c.key << "]\n";
    for (const auto& s : c.studies) {
      std::string modalities;
      for (const auto& m : s.modalities) modalities += (modalities.empty() ? "" : "/") + m;
      std::cout << "    " << (s.date.empty() ? "--------" : s.date) << "  " << modalities << "  "
                << s.description << "  " << s.series << " series, " << s.instances
                << " instance(s)  " << s.studyUid << "\n";
    }
    for (const auto& conflict : c.conflicts)
      std::cout << "    ! possible conflict: " << conflict << "\n";
  }
}

}  // namespace

int runPatients(const std::vector<std::string>& args) {
  bool json = false;
  try {
    const CommandLine line(args, {"--config", "--data-dir"}, {"--json"});
    json = line.flag("--json");
    const store::Store store = openStoreForReading(line);
    const auto collections = store.collections();
    if (json) {
      std::cout << toJson(collections).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      printTable(collections);
    }
  } catch (const std::exception& e) {
    return reportError(e.what(), json);
  }
  return 0;
}

int reportError(const std::string& message, bool json) {
  std::cerr << "burnstation: " << message << std::endl;
  if (json) {
    std::cout << nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                         nlohmann::json::error_handler_t::replace)
              << std::endl;
  }
  return 2;
}

}  // namespace burnstation::app
