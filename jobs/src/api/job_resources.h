// The job resources' handlers, one file each (job_routes.cpp registers them) and what they
// share: the job named in the path and the queue they work on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "burnstation/jobs/api_context.h"
#include "burnstation/store/job_queue.h"

namespace burnstation::jobs {

// POST /jobs (job_submission.cpp)
ApiResponse submitJob(ApiContext& context, const ApiRequest& request);
// GET /jobs/{id}/labels/{volume} (job_labels.cpp)
ApiResponse jobLabel(ApiContext& context, const ApiRequest& request);

// The {id} of the path as a job number; ApiError(404) for anything else, so a path segment
// never reaches the database or the file system unchecked.
std::int64_t jobIdParam(const ApiRequest& request);
// The job, or ApiError(404).
store::Job existingJob(store::JobQueue& queue, std::int64_t id);
// Who asked, for the job's requested_by: the clerk's name as the kiosk gives it (if any) and
// the kiosk's user from the socket's peer credentials, "Anna Meier via kiosk (kiosk)".
std::string kioskRequester(const ApiRequest& request, const std::string& clerk = {});
// A path segment as an error message may quote it: at most a few dozen characters.
std::string shownParam(const std::string& text);
// A whole number 1..max written in plain digits, or nullopt.
std::optional<std::int64_t> wholeNumberParam(const std::string& text, std::int64_t max);

}  // namespace burnstation::jobs
