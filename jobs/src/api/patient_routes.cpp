// The local API's patient and drive resources (api_routes.h): the documents of `patients`
// and `drives`, the kiosk's search over the first, and (read_routes.h) plans and echo.
#include <functional>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/station/drives_document.h"
#include "burnstation/station/patient_search.h"
#include "burnstation/store/device_states.h"
#include "read_routes.h"
#include "request_errors.h"

namespace burnstation::jobs {

namespace {

store::Store& storeOf(const ApiContext& context) {
  if (!context.store) throw ApiError(http::kServiceUnavailable, "the store is not open");
  return *context.store;
}

// The patients keep decides on, newest arrivals first, as the patients document.
nlohmann::json patientsDocument(const ApiContext& context,
                                const std::function<bool(const store::CollectionSummary&)>& keep) {
  std::vector<store::CollectionSummary> patients = storeOf(context).collections();
  std::erase_if(patients, [&](const store::CollectionSummary& p) { return !keep(p); });
  station::sortNewestArrivalsFirst(patients);
  return station::patientsDocument(patients, station::arrivalWindowFor(context.config()));
}

}  // namespace

void addPatientRoutes(ApiRouter& router, ApiContext& context) {
  router.add("GET", "/patients", [&context](const ApiRequest& request) {
    return answerRequest([&] {
      const auto q = request.query.find("q");
      const station::PatientSearch search(q == request.query.end() ? "" : q->second);
      return ApiResponse::json(patientsDocument(
          context, [&](const store::CollectionSummary& p) { return search.matches(p); }));
    });
  });
  router.add("GET", "/patients/{key}", [&context](const ApiRequest& request) {
    const std::string& key = request.params.at("key");
    const nlohmann::json found =
        patientsDocument(context, [&](const store::CollectionSummary& p) { return p.key == key; });
    if (!found["patients"].empty()) return ApiResponse::json(found["patients"][0]);
    throw ApiError(http::kNotFound, "no patient with the key \"" + key + "\"");
  });
  router.add("GET", "/drives", [&context](const ApiRequest&) {
    // What the service's device watcher recorded: the API never probes a burner itself.
    store::DeviceStates states(storeOf(context).dataDir());
    return ApiResponse::json(station::drivesDocument(states.all()));
  });
  addPlanRoutes(router, context);
  addEchoRoutes(router, context);
}

}  // namespace burnstation::jobs
