// The local API from tests as a client nobody here wrote: curl on the service's Unix socket
// (optionally as the unprivileged user nobody), every call bounded by --max-time.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "station_harness.h"

namespace burnstation::harness {

struct HttpAnswer {
  int status = 0;
  std::string body;
  int exitCode = -1;

  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  // The {"error": "..."} sentence, empty when the body is no error document.
  std::string error() const {
    const auto doc = json();
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("error") ||
        !doc["error"].is_string()) {
      return {};
    }
    return doc["error"];
  }
};

// curl with args after the common ones (URL, -X, -d, -H ...); asNobody runs it as nobody.
inline HttpAnswer curl(const std::filesystem::path& socket, std::vector<std::string> args,
                       bool asNobody = false, int maxSeconds = 10) {
  std::vector<std::string> argv;
  if (asNobody) argv = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
  const std::vector<std::string> common = {"curl",
                                           "-q",
                                           "-sS",
                                           "--max-time",
                                           std::to_string(maxSeconds),
                                           "--unix-socket",
                                           socket.string(),
                                           "-w",
                                           "\n%{http_code}"};
  argv.insert(argv.end(), common.begin(), common.end());
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = runCommand(argv, {}, maxSeconds + 10);
  HttpAnswer answer;
  answer.exitCode = r.exitCode;
  const auto newline = r.out.rfind('\n');
  if (newline == std::string::npos) return answer;
  answer.status = std::atoi(r.out.c_str() + newline + 1);
  answer.body = r.out.substr(0, newline);
  return answer;
}

// One call: method, path, an optional JSON body and an optional admin token.
inline HttpAnswer apiCall(const std::filesystem::path& socket, const std::string& method,
                          const std::string& path, const nlohmann::json& body = nullptr,
                          const std::string& token = {}) {
  std::vector<std::string> args = {"-X", method};
  if (!body.is_null()) {
    args.insert(args.end(), {"-H", "Content-Type: application/json", "--data-binary", body.dump()});
  }
  if (!token.empty()) args.insert(args.end(), {"-H", "Authorization: Bearer " + token});
  args.push_back("http://localhost" + path);
  return curl(socket, args);
}

}  // namespace burnstation::harness
