// Request errors as API errors (see request_errors.h).
#include "request_errors.h"

#include "burnstation/station/request_error.h"
#include "burnstation/store/store_error.h"

namespace burnstation::jobs {

ApiResponse answerRequest(const std::function<ApiResponse()>& answer) {
  try {
    return answer();
  } catch (const station::RequestError& e) {
    throw ApiError(http::kBadRequest, e.what());
  } catch (const store::StoreError& e) {
    switch (e.code()) {
      case store::StoreError::Code::NotFound:
        throw ApiError(http::kNotFound, e.what());
      case store::StoreError::Code::Ambiguous:
        throw ApiError(http::kConflict, e.what());
      default:
        throw;
    }
  }
}

}  // namespace burnstation::jobs
