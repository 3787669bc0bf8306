// The local API's HTTP server: HTTP/1.1 on the Unix socket [api] socket, every connection
// authorised by its peer credentials, each request dispatched through an ApiRouter, and
// GET /events as a Server-Sent Events stream of job and drive changes.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "burnstation/jobs/api_context.h"
#include "burnstation/jobs/api_router.h"

namespace burnstation::jobs {

struct LocalApiLimits {
  std::size_t maxBodyBytes = 1 << 20;  // a larger request body answers 413
  unsigned maxConnections = 64;        // one thread each
  unsigned connectionTimeoutSeconds = 30;
  int maxEventStreams = 8;  // more GET /events at once answer 503
  int eventPollMilliseconds = 500;
  int keepAliveSeconds = 15;
};

class LocalApi {
 public:
  using Log = std::function<void(const std::string&)>;

  // Binds context.config().apiSocket() (see api_socket.h for what happens to a file already
  // there) and serves until stopped. context and router must outlive this object. Throws
  // ApiError(503) with a sentence for the admin when the API cannot be offered.
  LocalApi(ApiContext& context, const ApiRouter& router, Log log, LocalApiLimits limits = {});
  ~LocalApi();
  LocalApi(const LocalApi&) = delete;
  LocalApi& operator=(const LocalApi&) = delete;

  const std::filesystem::path& socketPath() const;
  // Ends the event streams, waits for the requests in progress and removes the socket file.
  void stop();

  struct Server;

 private:
  std::unique_ptr<Server> server_;
};

}  // namespace burnstation::jobs
