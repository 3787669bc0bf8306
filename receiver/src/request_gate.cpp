// The pre-association gate (see request_gate.h): poll(2) over the listening socket and
// every unfinished connection, each with its own ARTIM deadline.
#include "request_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <stdexcept>
#include <thread>
#include <vector>

#include "event_throttle.h"

namespace burnstation::receiver {
namespace {

using Clock = std::chrono::steady_clock;

// At most this many accepts per wake-up, so unfinished connections are read in between.
constexpr int kAcceptBatch = 64;
// Events about a flood are summarised per peer at most this often.
constexpr auto kReportInterval = std::chrono::seconds(10);

std::string addressOf(const sockaddr_storage& peer) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (peer.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(peer).sin_addr, text, sizeof text);
  } else if (peer.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr, text, sizeof text);
  }
  return text;
}

void sendBestEffort(int fd, const std::string& bytes) {
  // Ten bytes into an empty send buffer; a peer that cannot take them loses the courtesy.
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

class RequestGate::Loop {
 public:
  Loop(SocketHandle listening, Limits limits, Handoff handoff, Report report)
      : listening_(std::move(listening)),
        limits_(std::move(limits)),
        handoff_(std::move(handoff)),
        report_(std::move(report)),
        throttle_([this](const std::string& kind, const std::string& detail,
                         const std::string& peer) { report_(kind, detail, peer); },
                  kReportInterval),
        wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!wake_)
      throw std::runtime_error(std::string("cannot create eventfd: ") + std::strerror(errno));
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }

  ~Loop() {
    thread_.request_stop();
    const std::uint64_t one = 1;
    // An eventfd write fails only when the counter would overflow: the loop is awake anyway.
    if (::write(wake_.get(), &one, sizeof one) < 0) {
    }
    thread_.join();
  }

 private:
  struct Pending {
    SocketHandle socket;
    std::string peer;
    std::string bytes;
    Clock::time_point deadline;
    int artimSeconds;
  };

  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      try {
        step();
      } catch (const std::exception& e) {
        report_("association-failed", std::string("connection gate: ") + e.what(), "");
      } catch (...) {
        report_("association-failed", "connection gate: unknown error", "");
      }
    }
  }

  void step() {
    const GateLimits limits = limits_();
    auto now = Clock::now();
    auto wakeAt = now + std::chrono::seconds(1);
    std::vector<pollfd> fds;
    fds.push_back({wake_.get(), POLLIN, 0});
    const bool accepting = now >= acceptPausedUntil_;
    fds.push_back({accepting ? listening_.get() : -1, POLLIN, 0});
    for (const Pending& p : pending_) {
      fds.push_back({p.socket.get(), POLLIN, 0});
      wakeAt = std::min(wakeAt, p.deadline);
    }
    if (!accepting) wakeAt = std::min(wakeAt, acceptPausedUntil_);
    const auto waitMs = std::chrono::duration_cast<std::chrono::milliseconds>(wakeAt - now).count();
    const int ready =
        ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(waitMs, 0)) + 1);
    if (ready < 0) {
      if (errno == EINTR) return;
      throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
    }
    if (fds[0].revents != 0) {
      std::uint64_t drained = 0;
      // Nothing to read means another wake-up already drained it.
      if (::read(wake_.get(), &drained, sizeof drained) < 0) {
      }
    }
    now = Clock::now();
    std::size_t index = 2;
    for (auto it = pending_.begin(); it != pending_.end(); ++index) {
      const bool readable = fds[index].revents != 0;
      if ((readable && readFrom(*it)) || (!readable && expired(*it, now))) {
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    if (accepting && (fds[1].revents & POLLIN) != 0) acceptNew(limits);
    throttle_.flush(now);
  }

  bool expired(const Pending& p, Clock::time_point now) {
    if (now < p.deadline) return false;
    const std::string what = p.bytes.empty() ? "connected but sent no association request"
                                             : "sent only " + std::to_string(p.bytes.size()) +
                                                   " bytes of an association request";
    throttle_.report("association-timeout", "ARTIM",
                     what + " within " + std::to_string(p.artimSeconds) + " s (ARTIM): closed",
                     p.peer);
    return true;
  }

  void acceptNew(const GateLimits& limits) {
    for (int i = 0; i < kAcceptBatch; ++i) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      const int fd = ::accept4(listening_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: free one by dropping the oldest unfinished connection, and
          // do not spin on a listening socket that stays readable.
          if (!pending_.empty()) {
            dropOldest([](const Pending&) { return true; },
                       "the station is out of file descriptors");
          }
          acceptPausedUntil_ = Clock::now() + std::chrono::milliseconds(100);
        }
        return;  // EAGAIN: none left
      }
      Pending p{SocketHandle(fd), addressOf(peer), {}, {}, limits.artimSeconds};
      p.deadline = Clock::now() + std::chrono::seconds(limits.artimSeconds);
      admit(std::move(p), limits);
    }
  }

  void admit(Pending p, const GateLimits& limits) {
    const std::string peer = p.peer;
    auto fromPeer = [&peer](const Pending& q) { return q.peer == peer; };
    while (std::count_if(pending_.begin(), pending_.end(), fromPeer) >=
           std::max(limits.maxPendingPerHost, 1)) {
      dropOldest(fromPeer, std::to_string(limits.maxPendingPerHost) + " connections from " + peer +
                               " had not completed their association request");
    }
    while (pending_.size() >= static_cast<std::size_t>(std::max(limits.maxPending, 1))) {
      dropOldest([](const Pending&) { return true; },
                 std::to_string(limits.maxPending) +
                     " connections had not completed their association request");
    }
    pending_.push_back(std::move(p));
  }

  template <typename Predicate>
  void dropOldest(Predicate which, const std::string& why) {
    const auto oldest = std::find_if(pending_.begin(), pending_.end(), which);
    if (oldest == pending_.end()) return;
    throttle_.report("association-dropped", "bound", why + ": the oldest was closed", oldest->peer);
    pending_.erase(oldest);
  }

  // Reads what has arrived; true when the connection leaves the gate (handed on, answered
  // or gone). Never reads past the first PDU: what follows belongs to DCMTK.
  bool readFrom(Pending& p) {
    for (;;) {
      RequestCheck check = checkAssociationRequest(p.bytes);
      const std::size_t wanted = check.pduBytes != 0 ? check.pduBytes : kPduHeaderBytes;
      if (check.verdict == RequestCheck::Verdict::NeedMore && p.bytes.size() < wanted) {
        char buffer[16 * 1024];
        const std::size_t room = std::min(sizeof buffer, wanted - p.bytes.size());
        const ssize_t n = ::recv(p.socket.get(), buffer, room, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return false;
        if (n <= 0) return true;  // closed or reset before asking anything: nothing to answer
        p.bytes.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      return finish(p, std::move(check));
    }
  }

  bool finish(Pending& p, RequestCheck check) {
    switch (check.verdict) {
      case RequestCheck::Verdict::NeedMore:
        return false;
      case RequestCheck::Verdict::Close:
        return true;
      case RequestCheck::Verdict::Reject:
        sendBestEffort(p.socket.get(), associateRejectPdu(*check.rejection));
        throttle_.report("association-rejected", check.rejection->meaning,
                         std::string(check.rejection->meaning) + ": " + check.explanation, p.peer);
        return true;
      case RequestCheck::Verdict::Abort:
        sendBestEffort(p.socket.get(), abortPdu(*check.abort));
        throttle_.report(
            "association-failed", check.abort->meaning,
            std::string("aborted (") + check.abort->meaning + "): " + check.explanation, p.peer);
        return true;
      case RequestCheck::Verdict::Valid:
        break;
    }
    // DCMTK reads the rest with blocking calls and its own timeouts.
    const int flags = ::fcntl(p.socket.get(), F_GETFL);
    if (flags < 0 || ::fcntl(p.socket.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) return true;
    try {
      handoff_(ReadyRequest{std::move(p.socket), p.peer, p.bytes.substr(0, check.pduBytes),
                            std::move(check)});
    } catch (const std::exception& e) {
      // The socket went with the request; the connection leaves the gate either way.
      throttle_.report("association-failed", "handoff",
                       std::string("cannot hand the association on: ") + e.what(), p.peer);
    }
    return true;
  }

  SocketHandle listening_;
  Limits limits_;
  Handoff handoff_;
  Report report_;
  EventThrottle throttle_;
  SocketHandle wake_;
  std::list<Pending> pending_;  // oldest first
  Clock::time_point acceptPausedUntil_{};
  std::jthread thread_;  // last: stops before the members it uses go
};

RequestGate::RequestGate(SocketHandle listening, Limits limits, Handoff handoff, Report report)
    : loop_(std::make_unique<Loop>(std::move(listening), std::move(limits), std::move(handoff),
                                   std::move(report))) {}

RequestGate::~RequestGate() = default;

}  // namespace burnstation::receiver
