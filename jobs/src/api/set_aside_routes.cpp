// The local API's admin decisions on what reception could not settle alone: instances kept
// aside (store.h SetAsideInstance: GET /set-aside, POST /set-aside/{id}/discard|replace) and
// possible conflicts between patients (POST /patients/{key}/conflicts/acknowledge).
#include "burnstation/jobs/api_routes.h"
#include "burnstation/store/store_error.h"

namespace burnstation::jobs {

namespace {

std::int64_t asideId(const ApiRequest& request) {
  const std::string& text = request.params.at("id");
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw ApiError(http::kNotFound, "\"" + text + "\" is not the number of an instance kept aside");
  }
  return std::stoll(text);
}

// The store's refusal as the status the API answers with.
ApiError refusal(const store::StoreError& e) {
  switch (e.code()) {
    case store::StoreError::Code::NotFound:
      return ApiError(http::kNotFound, e.what());
    case store::StoreError::Code::InUse:
    case store::StoreError::Code::Invalid:
      return ApiError(http::kConflict, e.what());
    default:
      return ApiError(http::kInternalError, e.what());
  }
}

std::string who(const ApiRequest& request) {
  return request.peer.userName + " (kiosk admin)";
}

}  // namespace

void addSetAsideRoutes(ApiRouter& router, ApiContext& context) {
  router.add("GET", "/set-aside", [&context](const ApiRequest& r) {
    requireAdmin(context, r);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : context.store->setAsideInstances()) {
      list.push_back({{"id", a.id},
                      {"sop_instance_uid", a.sopInstanceUid},
                      {"sop_class_uid", a.sopClassUid},
                      {"sent_for", a.sentFor},
                      {"stored_in", a.storedIn},
                      {"reason", a.reason},
                      {"calling_ae", a.callingAe},
                      {"received", a.receivedAt},
                      {"bytes", a.bytes}});
    }
    return ApiResponse::json({{"set_aside", list}});
  });
  router.add("POST", "/set-aside/{id}/discard", [&context](const ApiRequest& r) {
    requireAdmin(context, r);
    const std::int64_t id = asideId(r);
    try {
      context.store->discardSetAside(id, who(r));
    } catch (const store::StoreError& e) {
      throw refusal(e);
    }
    return ApiResponse::json({{"id", id}, {"discarded", true}});
  });
  // {"conflict": id from the patient's "conflict_details"}: the admin has checked it.
  router.add("POST", "/patients/{key}/conflicts/acknowledge", [&context](const ApiRequest& r) {
    requireAdmin(context, r);
    const nlohmann::json body = r.jsonBody();
    const auto conflict = body.find("conflict");
    if (conflict == body.end() || !conflict->is_string() || conflict->get<std::string>().empty()) {
      throw ApiError(http::kBadRequest,
                     "say which conflict: {\"conflict\": an id from the patient's "
                     "\"conflict_details\"}");
    }
    try {
      const store::PossibleConflict done = context.store->acknowledgeConflict(
          r.params.at("key"), conflict->get<std::string>(), who(r));
      return ApiResponse::json({{"patient", r.params.at("key")},
                                {"conflict", done.id},
                                {"text", done.text},
                                {"acknowledged_by", done.acknowledgedBy},
                                {"acknowledged_at", done.acknowledgedAt}});
    } catch (const store::StoreError& e) {
      throw refusal(e);
    }
  });
  router.add("POST", "/set-aside/{id}/replace", [&context](const ApiRequest& r) {
    requireAdmin(context, r);
    const std::int64_t id = asideId(r);
    try {
      const store::IngestResult result = context.store->replaceWithSetAside(id, who(r));
      return ApiResponse::json(
          {{"id", id}, {"replaced", true}, {"patient_key", result.collectionKey}});
    } catch (const store::StoreError& e) {
      throw refusal(e);
    }
  });
}

}  // namespace burnstation::jobs
