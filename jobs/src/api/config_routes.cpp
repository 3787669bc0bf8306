// The local API's config resources (api_routes.h).
#include "burnstation/jobs/api_routes.h"

namespace burnstation::jobs {

void addConfigRoutes(ApiRouter& /*router*/, ApiContext& /*context*/) {}

}  // namespace burnstation::jobs
