// POST /remotes/{ae_title}/echo (read_routes.h): the admin's test of a configured remote.
// An echo takes at most about ten seconds (receiver::EchoTimeouts); a few may run at once so
// that a row of presses on an unreachable remote cannot hold every request thread.
#include <atomic>

#include "burnstation/receiver/echo_scu.h"
#include "read_routes.h"

namespace burnstation::jobs {

namespace {

constexpr int kEchoesAtOnce = 3;

// One echo slot, held while the echo runs.
class EchoSlot {
 public:
  explicit EchoSlot(std::atomic<int>& running) : running_(running) {
    if (running_.fetch_add(1) >= kEchoesAtOnce) {
      running_.fetch_sub(1);
      throw ApiError(http::kTooManyRequests,
                     "other echoes are still running; try again in a few seconds");
    }
  }
  ~EchoSlot() { running_.fetch_sub(1); }
  EchoSlot(const EchoSlot&) = delete;
  EchoSlot& operator=(const EchoSlot&) = delete;

 private:
  std::atomic<int>& running_;
};

}  // namespace

void addEchoRoutes(ApiRouter& router, ApiContext& context) {
  auto running = std::make_shared<std::atomic<int>>(0);
  router.add("POST", "/remotes/{ae_title}/echo", [&context, running](const ApiRequest& request) {
    const std::string& aeTitle = request.params.at("ae_title");
    const station::StationConfig config = context.config();
    const receiver::RemoteAe* remote = nullptr;
    for (const auto& r : config.receiver.remotes) {
      if (r.aeTitle == aeTitle) remote = &r;
    }
    if (!remote) {
      throw ApiError(http::kNotFound,
                     "no remote with the AE title \"" + aeTitle + "\" is configured");
    }
    if (remote->host.empty() || remote->port <= 0) {
      throw ApiError(http::kUnprocessable,
                     "the remote \"" + aeTitle + "\" has no " +
                         (remote->host.empty() ? std::string("host") : std::string("port")) +
                         " configured, so the station cannot call it");
    }
    const EchoSlot slot(*running);
    const receiver::EchoResult result =
        receiver::echo({config.receiver.aeTitle, remote->aeTitle, remote->host, remote->port});
    return ApiResponse::json(
        {{"ae_title", aeTitle},
         {"host", remote->host},
         {"port", remote->port},
         {"ok", result.ok},
         {"status", result.status ? nlohmann::json(*result.status) : nlohmann::json(nullptr)},
         {"detail", result.detail},
         {"milliseconds", result.elapsed.count()}});
  });
}

}  // namespace burnstation::jobs
