// The local API's routes: a method and a path pattern ("/jobs/{id}/cancel") per handler.
// Dispatch fills the request's params, answers 404 for an unknown path and 405 for a known
// path with another method, and turns every exception into an error document, so no handler
// can take the server down.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "burnstation/jobs/api_exchange.h"

namespace burnstation::jobs {

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

class ApiRouter {
 public:
  // pattern: literal segments and {name} segments, e.g. "/patients/{key}".
  void add(const std::string& method, const std::string& pattern, ApiHandler handler);
  // request.params is filled from the matching route.
  ApiResponse dispatch(ApiRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    ApiHandler handler;
  };
  std::vector<Route> routes_;
};

// Splits "/a/b%20c/" into {"a", "b c"}; nullopt-like empty result with ok=false for a path
// whose percent escapes are malformed or decode to '/', NUL or "..".
bool splitPath(const std::string& path, std::vector<std::string>& segments);
// "%41+b" -> "A b" (form decoding for the query); false for a malformed escape.
bool percentDecode(const std::string& text, std::string& decoded, bool plusIsSpace);

}  // namespace burnstation::jobs
