// The local API's admin resources (api_routes.h).
#include "burnstation/jobs/api_routes.h"

namespace burnstation::jobs {

void addAdminRoutes(ApiRouter& /*router*/, ApiContext& /*context*/) {}

}  // namespace burnstation::jobs
