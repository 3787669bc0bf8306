// The admin routes (api_routes.h) with what a test chooses: the clock, so that sessions
// expire and lockouts open without waiting, and the number of sessions kept.
#pragma once

#include <cstddef>

#include "burnstation/jobs/admin_sessions.h"
#include "burnstation/jobs/api_context.h"
#include "burnstation/jobs/api_router.h"

namespace burnstation::jobs {

struct AdminRouteOptions {
  WallClock clock;  // the system clock when empty
  std::size_t sessionLimit = AdminSessions::kDefaultLimit;
};

// POST /session, DELETE /session, DELETE /patients/{key}; sets context.requireAdmin. The
// routes and context.requireAdmin refer to context, which must outlive the router.
void addAdminRoutes(ApiRouter& router, ApiContext& context, const AdminRouteOptions& options);

}  // namespace burnstation::jobs
