// POST /plans (read_routes.h): the plan document `burnstation plan --json` prints for the
// same selection, computed by the same station::planFor.
#include <limits>

#include "burnstation/station/documents.h"
#include "burnstation/station/selection_plan.h"
#include "read_routes.h"
#include "request_errors.h"

namespace burnstation::jobs {

namespace {

std::string requiredText(const nlohmann::json& body, const char* name, const char* what) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw ApiError(http::kBadRequest, std::string("\"") + name + "\" is required: " + what);
  }
  return it->get<std::string>();
}

std::vector<std::string> studiesOf(const nlohmann::json& body) {
  std::vector<std::string> studies;
  const auto it = body.find("studies");
  if (it == body.end() || it->is_null()) return studies;
  if (!it->is_array()) {
    throw ApiError(http::kBadRequest, "\"studies\" must be a list of Study Instance UIDs");
  }
  for (const auto& s : *it) {
    if (!s.is_string() || s.get<std::string>().empty()) {
      throw ApiError(http::kBadRequest, "\"studies\" must be a list of Study Instance UIDs");
    }
    studies.push_back(s.get<std::string>());
  }
  return studies;
}

// As on the command line ("700M", "4.7G") or a number of bytes.
std::optional<std::uint64_t> capacityOf(const nlohmann::json& body) {
  const auto it = body.find("capacity");
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::optional<std::uint64_t> bytes;
  if (it->is_number_unsigned()) {
    bytes = it->get<std::uint64_t>();
  } else if (it->is_string()) {
    bytes = station::parseSize(it->get<std::string>());
  }
  if (!bytes || *bytes == 0) {
    throw ApiError(http::kBadRequest,
                   "\"capacity\" must be a size such as 700M, 4.7G or 1M, or a number of bytes, "
                   "not " +
                       it->dump());
  }
  return bytes;
}

}  // namespace

void addPlanRoutes(ApiRouter& router, ApiContext& context) {
  router.add("POST", "/plans", [&context](const ApiRequest& request) {
    const nlohmann::json body = request.jsonBody();
    station::PlanRequest plan;
    plan.patient = requiredText(body, "patient", "a Patient ID or a key from GET /patients");
    plan.studies = studiesOf(body);
    plan.profile = requiredText(body, "profile", "the name of a configured profile");
    plan.capacity = capacityOf(body);
    if (!context.store) throw ApiError(http::kServiceUnavailable, "the store is not open");
    return answerRequest([&] {
      const station::SelectionPlan planned =
          station::planFor(context.config(), *context.store, plan);
      return ApiResponse::json(station::planDocument(planned.medium, planned.plan));
    });
  });
}

}  // namespace burnstation::jobs
