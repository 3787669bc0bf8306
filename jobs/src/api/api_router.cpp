// Route matching and the exchange helpers (api_router.h, api_exchange.h).
#include "burnstation/jobs/api_router.h"

#include "burnstation/station/documents.h"

namespace burnstation::jobs {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> patternSegments(const std::string& pattern) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= pattern.size()) {
    const std::size_t end = pattern.find('/', start);
    const std::string s = pattern.substr(start, end == std::string::npos ? end : end - start);
    if (!s.empty()) segments.push_back(s);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return segments;
}

bool isParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

bool percentDecode(const std::string& text, std::string& decoded, bool plusIsSpace) {
  decoded.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return false;
      decoded.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  return true;
}

bool splitPath(const std::string& path, std::vector<std::string>& segments) {
  segments.clear();
  if (path.empty() || path.front() != '/') return false;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    const std::string raw = path.substr(start, end == std::string::npos ? end : end - start);
    if (!raw.empty()) {
      std::string decoded;
      if (!percentDecode(raw, decoded, false)) return false;
      // A decoded segment is a key or a name, never a path of its own.
      if (decoded.find('/') != std::string::npos || decoded.find('\0') != std::string::npos ||
          decoded == "." || decoded == "..") {
        return false;
      }
      segments.push_back(std::move(decoded));
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return true;
}

void ApiRouter::add(const std::string& method, const std::string& pattern, ApiHandler handler) {
  routes_.push_back({method, patternSegments(pattern), std::move(handler)});
}

ApiResponse ApiRouter::dispatch(ApiRequest& request) const {
  std::vector<std::string> segments;
  if (!splitPath(request.path, segments)) {
    return ApiResponse::error(http::kBadRequest, "the path \"" + request.path + "\" is malformed");
  }
  bool pathKnown = false;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = route.segments[i];
      if (isParam(want)) {
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        match = want == segments[i];
      }
    }
    if (!match) continue;
    pathKnown = true;
    if (route.method != request.method) continue;
    request.params = std::move(params);
    try {
      return route.handler(request);
    } catch (const ApiError& e) {
      return ApiResponse::error(e.status(), e.what());
    } catch (const std::exception& e) {
      return ApiResponse::error(http::kInternalError, e.what());
    } catch (...) {
      return ApiResponse::error(http::kInternalError, "unexpected failure");
    }
  }
  if (pathKnown) {
    return ApiResponse::error(http::kMethodNotAllowed,
                              request.method + " is not allowed on " + request.path);
  }
  return ApiResponse::error(http::kNotFound, "no such resource: " + request.path);
}

nlohmann::json ApiRequest::jsonBody() const {
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw ApiError(http::kBadRequest, std::string("the request body is not JSON: ") + e.what());
  }
  if (!parsed.is_object()) throw ApiError(http::kBadRequest, "the request body must be an object");
  return parsed;
}

std::string ApiRequest::bearerToken() const {
  const auto it = headers.find("authorization");
  if (it == headers.end()) return {};
  static const std::string prefix = "Bearer ";
  if (it->second.compare(0, prefix.size(), prefix) != 0) return {};
  return it->second.substr(prefix.size());
}

ApiResponse ApiResponse::json(const nlohmann::json& document, int status) {
  ApiResponse r;
  r.status = status;
  r.body = station::documentText(document, -1);
  return r;
}

ApiResponse ApiResponse::error(int status, const std::string& message) {
  return json(station::errorDocument(message), status);
}

ApiResponse ApiResponse::bytes(std::string data, std::string contentType) {
  ApiResponse r;
  r.body = std::move(data);
  r.contentType = std::move(contentType);
  return r;
}

}  // namespace burnstation::jobs
