// The local API's job resources (api_routes.h): submit, list, one job, cancel, retry and a
// volume's label. The documents are the command line's (`jobs --json`); the queue is the
// same database table the command line and the service use.
#include <cstdint>
#include <optional>
#include <string>

#include "burnstation/jobs/api_routes.h"
#include "burnstation/station/documents.h"
#include "burnstation/store/job_queue.h"
#include "job_resources.h"

namespace burnstation::jobs {

std::optional<std::int64_t> wholeNumberParam(const std::string& text, std::int64_t max) {
  if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > max) return std::nullopt;
  return value;
}

std::string shownParam(const std::string& text) {
  constexpr std::size_t kShown = 32;  // enough to recognise, not a request's worth of echo
  return text.size() <= kShown ? text : text.substr(0, kShown) + "...";
}

std::string kioskRequester(const ApiRequest& request, const std::string& clerk) {
  const std::string user = request.peer.userName.empty() ? "uid " + std::to_string(request.peer.uid)
                                                         : request.peer.userName;
  return (clerk.empty() ? "" : clerk + " via ") + user + " (kiosk)";
}

std::int64_t jobIdParam(const ApiRequest& request) {
  const auto it = request.params.find("id");
  const std::string text = it == request.params.end() ? std::string() : it->second;
  const auto id = wholeNumberParam(text, INT64_MAX);
  if (!id)
    throw ApiError(http::kNotFound,
                   "there is no job \"" + shownParam(text) + "\" (jobs are numbered)");
  return *id;
}

store::Job existingJob(store::JobQueue& queue, std::int64_t id) {
  auto job = queue.job(id);
  if (!job) throw ApiError(http::kNotFound, "there is no job " + std::to_string(id));
  return std::move(*job);
}

namespace {

ApiResponse listJobs(ApiContext& context) {
  store::JobQueue queue(context.config().dataDir);
  return ApiResponse::json(station::jobsDocument(queue.jobs()));
}

ApiResponse oneJob(ApiContext& context, const ApiRequest& request) {
  store::JobQueue queue(context.config().dataDir);
  return ApiResponse::json(station::jobDocument(existingJob(queue, jobIdParam(request))));
}

// As `burnstation cancel`: a queued job ends at once, a running one when its runner next
// looks (the document then says cancel_requested).
ApiResponse cancelJob(ApiContext& context, const ApiRequest& request) {
  const std::optional<std::string> clerk = requireClerk(context, request);
  const std::int64_t id = jobIdParam(request);
  store::JobQueue queue(context.config().dataDir);
  const store::Job job = existingJob(queue, id);
  const auto ended = [&](const store::Job& j) {
    return ApiError(http::kConflict, "job " + std::to_string(id) + " has already ended (" +
                                         std::string(store::toString(j.state)) +
                                         "); there is nothing to cancel");
  };
  if (store::isTerminal(job.state)) throw ended(job);
  if (!queue.cancel(id)) throw ended(existingJob(queue, id));  // it ended meanwhile
  if (clerk) {
    context.store->logEvent("job-cancel-asked",
                            "job " + std::to_string(id) + " by " + kioskRequester(request, *clerk),
                            {});
  }
  return ApiResponse::json(station::jobDocument(existingJob(queue, id)));
}

// Only a failed or cancelled job: a done one has its discs (a new submit makes more), a
// running one is still trying. A cancelled job may be retried too, so a clerk who cancelled
// by mistake need not choose everything again. Each job is retried once at most.
ApiResponse retryJob(ApiContext& context, const ApiRequest& request) {
  const std::optional<std::string> clerk = requireClerk(context, request);
  const std::int64_t id = jobIdParam(request);
  store::JobQueue queue(context.config().dataDir);
  const store::RetriedJob retried = queue.retry(id, kioskRequester(request, clerk.value_or("")));
  const std::string job = "job " + std::to_string(id);
  switch (retried.outcome) {
    case store::RetriedJob::Outcome::Queued:
      return ApiResponse::json(station::jobDocument(existingJob(queue, retried.id)),
                               http::kCreated);
    case store::RetriedJob::Outcome::NoSuchJob:
      throw ApiError(http::kNotFound, "there is no " + job);
    case store::RetriedJob::Outcome::AlreadyRetried:
      throw ApiError(http::kConflict,
                     job + " was already retried as job " + std::to_string(retried.id));
    case store::RetriedJob::Outcome::Done:
      throw ApiError(http::kConflict, job +
                                          " is done; only a failed or cancelled job can be "
                                          "retried (submit a new job for more discs)");
    case store::RetriedJob::Outcome::NotEnded:
      break;
  }
  throw ApiError(http::kConflict, job + " is " + std::string(store::toString(retried.state)) +
                                      "; only a failed or cancelled job can be retried");
}

}  // namespace

void addJobRoutes(ApiRouter& router, ApiContext& context) {
  router.add("POST", "/jobs",
             [&context](const ApiRequest& request) { return submitJob(context, request); });
  router.add("GET", "/jobs", [&context](const ApiRequest&) { return listJobs(context); });
  router.add("GET", "/jobs/{id}",
             [&context](const ApiRequest& request) { return oneJob(context, request); });
  router.add("POST", "/jobs/{id}/cancel",
             [&context](const ApiRequest& request) { return cancelJob(context, request); });
  router.add("POST", "/jobs/{id}/retry",
             [&context](const ApiRequest& request) { return retryJob(context, request); });
  router.add("GET", "/jobs/{id}/labels/{volume}",
             [&context](const ApiRequest& request) { return jobLabel(context, request); });
}

}  // namespace burnstation::jobs
