// The --json documents (ARCHITECTURE.md "--json documents"), built once here so that the
// command line and the local API serve the same ones. Field names are the contract; fields
// beyond it are welcome, none may go.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/verification.h"
#include "burnstation/station/medium_selection.h"
#include "burnstation/station/volume_planner.h"
#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"

namespace burnstation::station {

// When a patient or study counts as still arriving: its newest instance came less than
// seconds before now (the kiosk marks them; arrivalWindowFor() takes the configured quiet time).
struct ArrivalWindow {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::chrono::seconds seconds{60};
};

// {"patients": [...]} in the order given. Each patient and study also has "arriving" and
// "last_arrival" (ISO 8601 UTC, empty without instances); each study "accession_numbers".
nlohmann::json patientsDocument(const std::vector<store::CollectionSummary>& collections,
                                const ArrivalWindow& arrival = {});

// {"patient_key", "profile", "profile_name", "medium" ("cd", "dvd", "bd", "usb": with the
//  number of volumes, what the kiosk says: "fits on 1 CD"), "capacity_bytes", "capacity_source",
//  "minimum_volumes", "volumes": [...], "unplaceable": [...]}
nlohmann::json planDocument(const MediumSelection& medium, const StationPlan& plan);

// One job with its volumes, and {"jobs": [...]}.
nlohmann::json jobDocument(const store::Job& job);
nlohmann::json jobsDocument(const std::vector<store::Job>& jobs);

// One file-set an export wrote (or, updating, added to).
struct ExportedVolume {
  int index = 1;
  int of = 1;
  dicomdir::WrittenFileSet set;
  bool update = false;  // FSU: "instances_added" instead of "instances"
};
nlohmann::json exportDocument(const MediumSelection& medium,
                              const std::vector<ExportedVolume>& volumes);

// {"ok", "checks": [{"name", "ok", "detail"}]}
nlohmann::json verifyDocument(const mediawriter::VerificationReport& report);

// {"error": "..."} for a request refused.
nlohmann::json errorDocument(const std::string& message);

// The text of a document: invalid UTF-8 from old index rows is replaced, never thrown on.
std::string documentText(const nlohmann::json& document, int indent = 2);

}  // namespace burnstation::station
