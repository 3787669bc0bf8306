// The --json documents (see documents.h).
#include "burnstation/station/documents.h"

#include <cstdio>
#include <ctime>

namespace burnstation::station {

namespace {

std::string utcText(std::int64_t unixMs) {
  if (unixMs <= 0) return {};
  const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(unixMs % 1000));
  return out;
}

// What the kiosk names the medium by ("fits on 1 CD").
const char* mediumName(dicomdir::Medium medium) {
  switch (medium) {
    case dicomdir::Medium::Cd:
      return "cd";
    case dicomdir::Medium::Dvd:
      return "dvd";
    case dicomdir::Medium::Bd:
      return "bd";
    case dicomdir::Medium::Usb:
      return "usb";
  }
  return "cd";
}

bool arriving(std::int64_t lastArrivalMs, const ArrivalWindow& window) {
  if (lastArrivalMs <= 0) return false;
  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(window.now.time_since_epoch()).count();
  return now - lastArrivalMs < std::chrono::milliseconds(window.seconds).count();
}

}  // namespace

nlohmann::json patientsDocument(const std::vector<store::CollectionSummary>& collections,
                                const ArrivalWindow& arrival) {
  nlohmann::json patients = nlohmann::json::array();
  for (const auto& c : collections) {
    nlohmann::json studies = nlohmann::json::array();
    for (const auto& s : c.studies) {
      nlohmann::json accessions = nlohmann::json::array();
      if (!s.accession.empty()) accessions.push_back(s.accession);
      studies.push_back({{"study_uid", s.studyUid},
                         {"date", s.date},
                         {"time", s.time},
                         {"description", s.description},
                         {"modalities", s.modalities},
                         {"series", s.series},
                         {"instances", s.instances},
                         {"bytes", s.bytes},
                         {"accession_numbers", accessions},
                         {"arriving", arriving(s.lastArrivalMs, arrival)},
                         {"last_arrival", utcText(s.lastArrivalMs)}});
    }
    nlohmann::json standing = nlohmann::json::array(), details = nlohmann::json::array();
    for (const auto& conflict : c.conflicts) {
      if (conflict.standing()) standing.push_back(conflict.text);
      nlohmann::json detail = {{"id", conflict.id},
                               {"kind", conflict.kind},
                               {"with", conflict.otherKey},
                               {"text", conflict.text},
                               {"acknowledged", !conflict.standing()}};
      if (!conflict.standing()) {
        detail["acknowledged_by"] = conflict.acknowledgedBy;
        detail["acknowledged_at"] = conflict.acknowledgedAt;
      }
      details.push_back(std::move(detail));
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
                        {"conflicts", standing},
                        {"conflict_details", details},
                        {"arriving", arriving(c.lastArrivalMs, arrival)},
                        {"last_arrival", utcText(c.lastArrivalMs)},
                        {"studies", studies}});
  }
  return {{"patients", patients}};
}

nlohmann::json planDocument(const MediumSelection& medium, const StationPlan& plan) {
  nlohmann::json volumes = nlohmann::json::array(), unplaceable = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.plan.volumes.size(); ++i) {
    const auto& v = plan.plan.volumes[i];
    const VolumeSize& size = plan.sizes[i];
    volumes.push_back({{"index", v.index},
                       {"of", v.of},
                       {"bytes", size.bytes},
                       {"sectors", size.bytes / dicomdir::kSectorBytes},
                       {"exact", size.exact},
                       {"upper_bound_bytes", size.upperBound},
                       {"studies", v.studies},
                       {"instances", v.items.size()},
                       {"transcoded", v.transcoded}});
  }
  for (const auto& u : plan.plan.unplaceable) {
    unplaceable.push_back({{"sop_instance_uid", u.sopInstanceUid}, {"reason", u.reason}});
  }
  return {{"patient_key", medium.selection.collectionKey},
          {"profile", medium.profile->name},
          {"profile_name", medium.setting.name},
          {"medium", mediumName(medium.profile->medium)},
          {"capacity_bytes", plan.plan.capacityBytes},
          {"capacity_source", toString(plan.capacity.source)},
          {"minimum_volumes", plan.plan.minimumVolumes},
          {"replans", plan.replans},
          // What the medium gets besides the file-set: its label's words and the preview tier.
          {"content", medium.setting.viewer ? "DICOM PLUS WEB" : "DICOM ONLY"},
          {"preview", medium.setting.viewer ? viewer_bundle::toString(medium.tier) : "none"},
          {"volumes", volumes},
          {"unplaceable", unplaceable}};
}

nlohmann::json jobDocument(const store::Job& j) {
  nlohmann::json volumes = nlohmann::json::array();
  for (const auto& v : j.volumes) {
    volumes.push_back({{"index", v.index},
                       {"of", v.of},
                       {"copy", v.copy},
                       {"state", store::toString(v.state)},
                       {"bytes_written", v.bytesWritten},
                       {"bytes_total", v.bytesTotal},
                       {"reject_reason", v.rejectReason},
                       {"target", v.target},
                       {"bytes_per_second", static_cast<std::uint64_t>(v.bytesPerSecond)},
                       {"eta_seconds", v.etaSeconds},
                       {"attempts", v.attempts}});
  }
  nlohmann::json document = {{"id", j.id},
                             {"state", store::toString(j.state)},
                             {"patient_key", j.request.patientKey},
                             {"studies", j.request.studies},
                             {"profile", j.request.profile},
                             {"drive", j.request.drive},
                             {"copies", j.request.copies},
                             {"requested_by", j.request.requestedBy},
                             {"created", j.created},
                             {"updated", j.updated},
                             {"message", j.message},
                             {"cancel_requested", j.cancelRequested},
                             {"volumes", volumes}};
  // null rather than absent, so a reader can tell "none" from an older service.
  document["request_id"] = j.requestId.empty() ? nlohmann::json() : nlohmann::json(j.requestId);
  document["retry_of"] = j.retryOf ? nlohmann::json(*j.retryOf) : nlohmann::json();
  document["retried_by"] = j.retriedBy ? nlohmann::json(*j.retriedBy) : nlohmann::json();
  // The name a clerk reads in the job list, as the patients document spells it; null once the
  // patient has been removed.
  document["patient_name"] = j.patient ? nlohmann::json(j.patient->name) : nlohmann::json();
  document["patient_id"] = j.patient ? nlohmann::json(j.patient->id) : nlohmann::json();
  return document;
}

nlohmann::json jobsDocument(const std::vector<store::Job>& jobs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& j : jobs) list.push_back(jobDocument(j));
  return {{"jobs", list}};
}

nlohmann::json exportDocument(const MediumSelection& medium,
                              const std::vector<ExportedVolume>& volumes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : volumes) {
    nlohmann::json entry = {{"index", v.index},
                            {"of", v.of},
                            {"path", v.set.root.string()},
                            {"file_set_id", v.set.fileSetId},
                            {"bytes", v.set.bytes}};
    if (v.update) {
      entry["instances_added"] = v.set.entries.size();
    } else {
      entry["instances"] = v.set.entries.size();
      entry["dicomdir_seconds"] = v.set.dicomdirSeconds;
    }
    list.push_back(std::move(entry));
  }
  return {{"patient_key", medium.selection.collectionKey},
          {"profile", medium.profile->name},
          {"volumes", list}};
}

nlohmann::json verifyDocument(const mediawriter::VerificationReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : report.checks) {
    checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
  }
  return {{"ok", report.ok()}, {"checks", checks}};
}

nlohmann::json errorDocument(const std::string& message) {
  return {{"error", message}};
}

std::string documentText(const nlohmann::json& document, int indent) {
  return document.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace burnstation::station
