// `burnstation patients [--json]`: collections with their studies, sizes and conflicts.
#include <cstdio>
#include <iostream>

#include "burnstation/station/documents.h"
#include "burnstation/station/patient_search.h"
#include "burnstation/store/store.h"
#include "command_line.h"
#include "commands.h"

namespace burnstation::app {

using namespace burnstation::station;  // the commands print what the station library decides

namespace {

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
    for (const auto& conflict : c.conflicts) {
      if (conflict.standing()) {
        std::cout << "    ! possible conflict: " << conflict.text << "\n";
      } else {
        std::cout << "    possible conflict acknowledged by " << conflict.acknowledgedBy << ": "
                  << conflict.text << "\n";
      }
    }
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
      std::cout << documentText(
                       patientsDocument(collections, arrivalWindowFor(resolveConfig(line))))
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
    std::cout << documentText(errorDocument(message), -1) << std::endl;
  }
  return 2;
}

}  // namespace burnstation::app
