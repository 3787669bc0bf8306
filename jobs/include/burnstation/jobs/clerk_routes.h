// The clerk routes (api_routes.h) with what a test chooses: the clock, so that sessions
// expire and lockouts open without waiting, and the number of clerk sessions kept.
#pragma once

#include <cstddef>

#include "burnstation/jobs/admin_sessions.h"
#include "burnstation/jobs/api_context.h"
#include "burnstation/jobs/api_router.h"

namespace burnstation::jobs {

struct ClerkRouteOptions {
  WallClock clock;  // the system clock when empty
  std::size_t sessionLimit = AdminSessions::kDefaultLimit;
};

// Admin: GET /clerks, PUT|DELETE /clerks/{name}; anyone allowed on the socket:
// POST|DELETE /clerk-session. Sets context.signedInClerk. The routes refer to context, which
// must outlive the router.
void addClerkRoutes(ApiRouter& router, ApiContext& context, const ClerkRouteOptions& options);

}  // namespace burnstation::jobs
