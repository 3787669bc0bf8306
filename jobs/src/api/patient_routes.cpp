// The local API's patient resources (api_routes.h).
#include "burnstation/jobs/api_routes.h"

namespace burnstation::jobs {

void addPatientRoutes(ApiRouter& /*router*/, ApiContext& /*context*/) {}

}  // namespace burnstation::jobs
