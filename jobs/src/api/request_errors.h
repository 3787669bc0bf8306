// How the station's and the store's refusals become API errors, with the same sentences the
// command line prints: an unknown patient or study 404, a Patient ID of several patients 409
// (the sentence lists their keys), any other refused request 400.
#pragma once

#include <functional>

#include "burnstation/jobs/api_exchange.h"

namespace burnstation::jobs {

// Runs answer; station::RequestError and store::StoreError (NotFound, Ambiguous) become
// ApiError, anything else passes unchanged (the router answers 500).
ApiResponse answerRequest(const std::function<ApiResponse()>& answer);

}  // namespace burnstation::jobs
