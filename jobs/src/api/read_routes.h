// The read-side resources addPatientRoutes installs besides the patients and drives: plans
// and the C-ECHO of a remote (one file each in jobs/src/api/).
#pragma once

#include "burnstation/jobs/api_context.h"
#include "burnstation/jobs/api_router.h"

namespace burnstation::jobs {

// POST /plans
void addPlanRoutes(ApiRouter& router, ApiContext& context);
// POST /remotes/{ae_title}/echo
void addEchoRoutes(ApiRouter& router, ApiContext& context);

}  // namespace burnstation::jobs
