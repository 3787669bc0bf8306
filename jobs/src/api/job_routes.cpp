// The local API's job resources (api_routes.h).
#include "burnstation/jobs/api_routes.h"

namespace burnstation::jobs {

void addJobRoutes(ApiRouter& /*router*/, ApiContext& /*context*/) {}

}  // namespace burnstation::jobs
