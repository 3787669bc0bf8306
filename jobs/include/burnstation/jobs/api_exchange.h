// One request to the local API and its answer, independent of the HTTP library, so that the
// resources can be tested through the real server and each handler reasons only about
// documents. ApiError is the module boundary's error: a status and a sentence for a person.
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace burnstation::jobs {

// HTTP statuses the API answers with, by name.
namespace http {
inline constexpr int kOk = 200;
inline constexpr int kCreated = 201;
inline constexpr int kAccepted = 202;  // started; the outcome comes on the event stream
inline constexpr int kNoContent = 204;
inline constexpr int kBadRequest = 400;
inline constexpr int kUnauthorized = 401;  // admin call without a valid session
inline constexpr int kForbidden = 403;     // peer not allowed, or admin not open
inline constexpr int kNotFound = 404;
inline constexpr int kMethodNotAllowed = 405;
inline constexpr int kConflict = 409;
inline constexpr int kPayloadTooLarge = 413;
inline constexpr int kUnprocessable = 422;  // a configuration change that does not validate
inline constexpr int kLocked = 423;         // admin locked after too many wrong PINs
inline constexpr int kTooManyRequests = 429;
inline constexpr int kInternalError = 500;
inline constexpr int kServiceUnavailable = 503;
}  // namespace http

// Who is on the other end of the socket (SO_PEERCRED), with the names looked up once.
struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string userName;  // "uid 1234" when the user has no name
};

struct ApiRequest {
  std::string method;                          // "GET", "POST", "PUT", "DELETE"
  std::string path;                            // as sent, without the query: "/jobs/12/cancel"
  std::map<std::string, std::string> params;   // from the route's {name} segments, decoded
  std::map<std::string, std::string> query;    // ?q=... decoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  PeerCredentials peer;

  // The body as a JSON object; throws ApiError(400) with the reason otherwise.
  nlohmann::json jsonBody() const;
  // The "Authorization: Bearer TOKEN" token, empty when there is none.
  std::string bearerToken() const;
};

struct ApiResponse {
  int status = http::kOk;
  std::string contentType = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;

  static ApiResponse json(const nlohmann::json& document, int status = http::kOk);
  // {"error": message}
  static ApiResponse error(int status, const std::string& message);
  static ApiResponse bytes(std::string data, std::string contentType);
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

}  // namespace burnstation::jobs
