// The local API's resources, grouped by what they are about; each adds its routes to the
// router (ARCHITECTURE.md "The local API" lists them).
#pragma once

#include "burnstation/jobs/api_context.h"
#include "burnstation/jobs/api_router.h"

namespace burnstation::jobs {

// GET /patients[?q=], GET /patients/{key}, GET /drives, POST /plans,
// POST /remotes/{ae_title}/echo
void addPatientRoutes(ApiRouter& router, ApiContext& context);
// POST /jobs, GET /jobs, GET /jobs/{id}, POST /jobs/{id}/cancel|retry,
// GET /jobs/{id}/labels/{volume}
void addJobRoutes(ApiRouter& router, ApiContext& context);
// POST /session, DELETE /patients/{key}; sets context.requireAdmin
void addAdminRoutes(ApiRouter& router, ApiContext& context);
// Admin: GET /clerks, PUT|DELETE /clerks/{name}; POST|DELETE /clerk-session; sets
// context.signedInClerk
void addClerkRoutes(ApiRouter& router, ApiContext& context);
// Admin: GET /set-aside, POST /set-aside/{id}/discard|replace,
// POST /patients/{key}/conflicts/acknowledge
void addSetAsideRoutes(ApiRouter& router, ApiContext& context);
// GET /config, PUT|DELETE /config/...
void addConfigRoutes(ApiRouter& router, ApiContext& context);
// POST /sticks/{id}/format (where [usb] allow_format is on)
void addStickRoutes(ApiRouter& router, ApiContext& context);

}  // namespace burnstation::jobs
