// POST /jobs: a burn request from the kiosk, checked as `burnstation burn` checks it and
// queued once per client request ID, so a submit the kiosk repeats after a lost answer
// never burns twice.
#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/station/documents.h"
#include "burnstation/station/job_request.h"
#include "burnstation/station/recorded_devices.h"
#include "burnstation/station/request_error.h"
#include "burnstation/store/store.h"
#include "job_resources.h"

namespace burnstation::jobs {

namespace {

constexpr std::size_t kMaxRequestId = 64;
constexpr std::size_t kMaxText = 256;       // a Patient ID, a key, a profile or a drive
constexpr std::size_t kMaxClerkName = 128;  // bytes of UTF-8
constexpr std::size_t kMaxStudies = 1000;

// REQUIREMENTS lists patient, physician and anonymised copies; the station writes every copy
// the same (no anonymisation, no per-copy label), so "identical" is all it can honour and the
// others are refused rather than silently burned as identical discs.
constexpr const char* kIdenticalCopies = "identical";

constexpr std::array<const char*, 8> kFields{"patient", "studies",   "profile",    "drive",
                                             "copies",  "copy_type", "request_id", "requested_by"};

ApiError badRequest(const std::string& reason) {
  return ApiError(http::kBadRequest, reason);
}

bool hasControlCharacter(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string textField(const nlohmann::json& body, const char* name, std::size_t maxBytes) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string()) throw badRequest(std::string("\"") + name + "\" must be a string");
  std::string text = it->get<std::string>();
  if (text.size() > maxBytes || hasControlCharacter(text)) {
    throw badRequest(std::string("\"") + name + "\" must be at most " + std::to_string(maxBytes) +
                     " bytes without control characters");
  }
  return text;
}

std::string requestIdOf(const nlohmann::json& body) {
  const auto it = body.find("request_id");
  if (it == body.end() || it->is_null()) {
    throw badRequest(
        "\"request_id\" is required: an ID the kiosk chooses per burn, so that sending the same "
        "request again never makes a second job");
  }
  const bool printable = it->is_string() && !it->get_ref<const std::string&>().empty() &&
                         it->get_ref<const std::string&>().size() <= kMaxRequestId &&
                         std::all_of(it->get_ref<const std::string&>().begin(),
                                     it->get_ref<const std::string&>().end(),
                                     [](char c) { return c >= 0x20 && c <= 0x7e; });
  if (!printable) {
    throw badRequest("\"request_id\" must be 1 to " + std::to_string(kMaxRequestId) +
                     " printable ASCII characters");
  }
  return it->get<std::string>();
}

struct Submission {
  station::BurnRequest burn;
  std::string requestId;
  std::string clerk;
  // The request as asked, defaults filled in: what a repeated submit must match.
  std::string fingerprint;
};

// signedIn: the clerk whose session the request carries where clerks sign in; the body's
// requested_by is then checked but not used.
Submission parse(const ApiRequest& request, const std::optional<std::string>& signedIn) {
  const nlohmann::json body = request.jsonBody();
  for (const auto& [key, value] : body.items()) {
    if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
      std::string known;
      for (const char* f : kFields) known += (known.empty() ? "" : ", ") + std::string(f);
      throw badRequest("unknown field \"" + key + "\" (a job takes " + known + ")");
    }
  }
  Submission s;
  s.requestId = requestIdOf(body);
  s.burn.patient = textField(body, "patient", kMaxText);
  s.burn.profile = textField(body, "profile", kMaxText);
  s.burn.drive = textField(body, "drive", kMaxText);
  s.clerk = textField(body, "requested_by", kMaxClerkName);
  if (signedIn) s.clerk = *signedIn;
  if (const auto it = body.find("studies"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > kMaxStudies) {
      throw badRequest("\"studies\" must be a list of at most " + std::to_string(kMaxStudies) +
                       " Study Instance UIDs");
    }
    for (const auto& study : *it) {
      if (!study.is_string() || study.get_ref<const std::string&>().empty() ||
          study.get_ref<const std::string&>().size() > kMaxText ||
          hasControlCharacter(study.get<std::string>())) {
        throw badRequest("\"studies\" must hold Study Instance UIDs as strings");
      }
      s.burn.studies.push_back(study.get<std::string>());
    }
  }
  if (const auto it = body.find("copies"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
        it->get<std::int64_t>() > station::kMaxCopies) {
      throw badRequest("\"copies\" must be a whole number from 1 to " +
                       std::to_string(station::kMaxCopies));
    }
    s.burn.copies = it->get<int>();
  }
  std::string copyType = textField(body, "copy_type", kMaxText);
  if (copyType.empty()) copyType = kIdenticalCopies;
  if (copyType != kIdenticalCopies) {
    throw badRequest("copy type \"" + copyType +
                     "\" is not offered: this station writes every copy the same (\"" +
                     kIdenticalCopies +
                     "\"); patient, physician and anonymised copies are not "
                     "made yet");
  }
  s.burn.requestedBy = kioskRequester(request, s.clerk);
  std::vector<std::string> studies = s.burn.studies;
  std::sort(studies.begin(), studies.end());
  studies.erase(std::unique(studies.begin(), studies.end()), studies.end());
  s.fingerprint = nlohmann::json{{"patient", s.burn.patient}, {"studies", studies},
                                 {"profile", s.burn.profile}, {"drive", s.burn.drive},
                                 {"copies", s.burn.copies},   {"copy_type", copyType},
                                 {"requested_by", s.clerk}}
                      .dump();
  return s;
}

int statusFor(station::RequestError::Kind kind) {
  switch (kind) {
    case station::RequestError::Kind::NotFound:
      return http::kNotFound;
    case station::RequestError::Kind::Ambiguous:
      return http::kConflict;
    case station::RequestError::Kind::Invalid:
      break;
  }
  return http::kBadRequest;
}

// The job a known request ID made: the same answer as the first time, or 409 when the ID
// now comes with another request.
ApiResponse earlierJob(store::JobQueue& queue, const Submission& asked, std::int64_t id,
                       const std::string& fingerprint) {
  if (fingerprint != asked.fingerprint) {
    throw ApiError(http::kConflict, "request_id \"" + asked.requestId +
                                        "\" was already used for job " + std::to_string(id) +
                                        " with a different request; choose a new request_id");
  }
  return ApiResponse::json(station::jobDocument(existingJob(queue, id)), http::kOk);
}

}  // namespace

ApiResponse submitJob(ApiContext& context, const ApiRequest& request) {
  const Submission asked = parse(request, requireClerk(context, request));
  const station::StationConfig config = context.config();
  store::JobQueue queue(config.dataDir);
  // A repeated submit gets its job even if the patient or the drives changed since.
  if (const auto earlier = queue.submittedAs(asked.requestId)) {
    return earlierJob(queue, asked, earlier->id, earlier->fingerprint);
  }
  station::ValidatedJob validated;
  try {
    // A connection of this request's own: the store's connections are not shared between
    // threads (SQLITE_OPEN_NOMUTEX), and the server may answer requests in parallel.
    const store::Store reader(
        {config.dataDir, 0, store::DuplicatePolicy::KeepStored, config.receiver.maxNestingDepth},
        store::Store::Access::ReadOnly);
    // The drives the service's watcher found; this never scans (a job may hold a burner).
    const auto discovery = station::recordedDiscovery(config);
    validated = station::validateBurnRequest(config, reader, asked.burn, *discovery);
  } catch (const station::RequestError& e) {
    throw ApiError(statusFor(e.kind()), e.what());
  }
  const store::SubmittedJob submitted =
      queue.submitOnce(asked.requestId, asked.fingerprint, validated.request, validated.instances);
  if (!submitted.created) return earlierJob(queue, asked, submitted.id, submitted.fingerprint);
  return ApiResponse::json(station::jobDocument(existingJob(queue, submitted.id)), http::kCreated);
}

}  // namespace burnstation::jobs
