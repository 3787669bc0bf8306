// The receiver: a request gate reads every new connection's association request without
// blocking the others; each complete request gets a worker thread that DCMTK parses it on,
// decides acceptance and serves the association.
#include "burnstation/receiver/receiver.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <dcmtk/oflog/oflog.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <thread>

#include "association_request_check.h"
#include "burnstation/receiver/acceptance_policy.h"
#include "burnstation/receiver/receiver_error.h"
#include "burnstation/store/implementation_identity.h"
#include "burnstation/store/store.h"
#include "dicom_handles.h"
#include "event_throttle.h"
#include "presentation_contexts.h"
#include "prompt_ack_transport.h"
#include "request_gate.h"
#include "socket_handle.h"
#include "store_scp_session.h"

namespace burnstation::receiver {

namespace {

OFLogger logger = OFLog::getLogger("burnstation.receiver");

T_ASC_RejectParameters toDcmtk(const Rejection& r) {
  T_ASC_RejectParameters p{};
  p.result = r.result == 1 ? ASC_RESULT_REJECTEDPERMANENT : ASC_RESULT_REJECTEDTRANSIENT;
  switch (r.source) {
    case 1:
      p.source = ASC_SOURCE_SERVICEUSER;
      break;
    case 2:
      p.source = ASC_SOURCE_SERVICEPROVIDER_ACSE_RELATED;
      break;
    default:
      p.source = ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED;
      break;
  }
  // Only the low byte goes on the wire; the high byte is DCMTK's record of the source.
  p.reason = static_cast<T_ASC_RejectParametersReason>((r.source == 1   ? 0x0100
                                                        : r.source == 2 ? 0x0200
                                                                        : 0x0300) |
                                                       r.reason);
  return p;
}

// How often a repeated association event from one host is written (event_throttle.h).
constexpr auto kEventInterval = std::chrono::seconds(10);

struct Worker {
  std::atomic<bool> done{false};  // first: the thread, which sets it, is joined before it goes
  std::jthread thread;
};

// DCMTK reads whether to accept() itself from one process-wide setting,
// dcmExternalSocketHandle; whoever sets it holds this lock until DCMTK has read it.
std::mutex& externalSocketLock() {
  static std::mutex lock;
  return lock;
}

SocketHandle listenOn(int port) {
  SocketHandle socket(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  const int on = 1;
  (void)::setsockopt(socket.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(socket.get(), SOMAXCONN) != 0) {
    throw std::runtime_error(std::strerror(errno));
  }
  return socket;
}

}  // namespace

class Receiver::Impl {
 public:
  Impl(ReceiverSettings settings, store::Store& store)
      : settings_(std::make_shared<const ReceiverSettings>(std::move(settings))), store_(store) {}

  ~Impl() { stop(); }

  int start() {
    static std::once_flag globals;
    std::call_once(globals, [] {
      // The allow-list compares addresses; reverse DNS would give names (and be slow).
      dcmDisableGethostbyaddr.set(OFTrue);
    });
    const auto settings = snapshot();
    SocketHandle listening;
    try {
      listening = listenOn(settings->port);
    } catch (const std::exception& e) {
      throw ReceiverError(
          ReceiverError::Code::Network,
          "cannot listen on port " + std::to_string(settings->port) + ": " + e.what());
    }
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    if (getsockname(listening.get(), reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
      throw ReceiverError(ReceiverError::Code::Network, "cannot read the listening port");
    }
    port_ = ntohs(bound.sin_port);

    // The gate owns the listening socket; DCMTK must not open one of its own, which it
    // skips while an external socket is set.
    T_ASC_Network* raw = nullptr;
    OFCondition cond;
    {
      std::lock_guard lock(externalSocketLock());
      dcmExternalSocketHandle.set(listening.get());
      cond = ASC_initializeNetwork(NET_ACCEPTOR, port_, settings->artimSeconds, &raw);
      dcmExternalSocketHandle.set(DCMNET_INVALID_SOCKET);
    }
    if (cond.bad()) {
      throw ReceiverError(ReceiverError::Code::Network,
                          std::string("cannot set up DICOM networking: ") + cond.text());
    }
    network_.reset(raw);
    transport_.onStreamProblem([this](const std::string& peer, const std::string& problem) {
      OFLOG_WARN(logger, "association from " << peer << " dropped: " << problem);
      logThrottled("association-failed", "stream", "dropped before DCMTK parsed it: " + problem,
                   store::IngestSource{"", "", peer, ""});
    });
    ASC_setTransportLayer(network_.get(), &transport_, 0);
    gate_ = std::make_unique<RequestGate>(
        std::move(listening),
        [this] {
          const auto s = snapshot();
          return GateLimits{s->artimSeconds, s->maxPendingRequests, s->maxPendingRequestsPerHost};
        },
        [this](ReadyRequest request) { startWorker(std::move(request)); },
        [this](const std::string& kind, const std::string& detail, const std::string& peer) {
          OFLOG_WARN(logger, kind << " " << peer << ": " << detail);
          logEvent(kind, detail, store::IngestSource{"", "", peer, ""});
        });
    return port_;
  }

  void stop() {
    gate_.reset();  // no new connections, none handed on
    std::list<Worker> workers;
    {
      std::lock_guard lock(workersMutex_);
      workers.swap(workers_);
    }
    for (Worker& w : workers) w.thread.request_stop();
    workers.clear();  // joins
    network_.reset();
    std::lock_guard lock(eventsMutex_);
    events_.flush(EventThrottle::Clock::now() + kEventInterval);  // every summary still owed
  }

  void updateSettings(const ReceiverSettings& settings) {
    std::lock_guard lock(settingsMutex_);
    settings_ = std::make_shared<const ReceiverSettings>(settings);
  }

  int active() const { return active_.load(); }

 private:
  std::shared_ptr<const ReceiverSettings> snapshot() const {
    std::lock_guard lock(settingsMutex_);
    return settings_;
  }

  // An event that cannot be written (disk full, index busy) must not end a thread.
  void logEvent(const std::string& kind, const std::string& detail,
                const store::IngestSource& source) {
    try {
      store_.logEvent(kind, detail, source);
    } catch (const std::exception& e) {
      OFLOG_ERROR(logger, "cannot record event " << kind << ": " << e.what());
    }
  }

  // Events of the association threads, throttled like the gate's (event_throttle.h). The
  // summaries are written with the next such event, or at stop().
  void logThrottled(const std::string& kind, const std::string& category, const std::string& detail,
                    const store::IngestSource& source) {
    std::lock_guard lock(eventsMutex_);
    const auto now = EventThrottle::Clock::now();
    events_.flush(now);
    if (auto text = events_.pass(kind, category, detail, source.peerAddress, now)) {
      logEvent(kind, *text, source);
    }
  }

  // Runs on the gate's thread: must not block, and must not throw (the gate would lose
  // track of the connection).
  void startWorker(ReadyRequest request) {
    const auto settings = snapshot();
    std::lock_guard lock(workersMutex_);
    workers_.remove_if([](const Worker& w) { return w.done.load(); });
    // Requests still being decided count too, so a burst of valid requests cannot make
    // threads without bound; over it the peer hears 2/3/2 at once.
    const std::size_t bound =
        static_cast<std::size_t>(settings->maxAssociations + settings->maxPendingRequests);
    if (workers_.size() >= bound) {
      const std::string rj = associateRejectPdu(rejection::kLocalLimitExceeded);
      (void)::send(request.socket.get(), rj.data(), rj.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      OFLOG_WARN(logger, "association from " << request.peerAddress
                                             << " rejected: too many requests in progress");
      return;
    }
    Worker& worker = workers_.emplace_back();
    try {
      worker.thread = std::jthread(
          [this, &worker](std::stop_token stop, ReadyRequest ready) {
            try {
              serve(std::move(ready), stop);
            } catch (const std::exception& e) {
              OFLOG_ERROR(logger, "association worker failed: " << e.what());
            } catch (...) {
              OFLOG_ERROR(logger, "association worker failed");
            }
            worker.done = true;
          },
          std::move(request));
    } catch (const std::exception& e) {
      // No thread (EAGAIN): an entry never done would hold a slot of the bound for good.
      // The request went with the failed attempt, and its socket with it.
      workers_.pop_back();
      OFLOG_ERROR(logger, "cannot start an association worker: " << e.what());
    }
  }

  // DCMTK parses the request the gate has already read and checked, from memory.
  AssociationHandle receiveFromDcmtk(ReadyRequest& request, const ReceiverSettings& settings) {
    // DCMTK closes its descriptor when the association goes; ours is closed once DCMTK
    // has taken the connection, so only one owner keeps the socket open.
    const int dcmtkSocket = ::fcntl(request.socket.get(), F_DUPFD_CLOEXEC, 3);
    if (dcmtkSocket < 0) return nullptr;
    T_ASC_Association* raw = nullptr;
    OFCondition cond;
    bool taken = false;
    {
      std::lock_guard lock(externalSocketLock());
      transport_.prime(dcmtkSocket, request.pdu);
      dcmExternalSocketHandle.set(dcmtkSocket);
      cond = ASC_receiveAssociation(network_.get(), &raw, settings.maxPduBytes, nullptr, nullptr,
                                    OFFalse, DUL_NOBLOCK, settings.artimSeconds);
      dcmExternalSocketHandle.set(DCMNET_INVALID_SOCKET);
      taken = !transport_.unprime(dcmtkSocket);
    }
    if (!taken) ::close(dcmtkSocket);
    AssociationHandle association(raw);
    if (cond.bad()) {
      // The gate checked the request, so this is DCMTK refusing something we let through.
      const std::string abort = abortPdu(abort_reason::kInvalidParameterValue);
      (void)::send(request.socket.get(), abort.data(), abort.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      logThrottled("association-failed", "not understood",
                   std::string("request not understood: ") + cond.text(),
                   store::IngestSource{request.check.callingAe, request.check.calledAe,
                                       request.peerAddress, ""});
      return nullptr;
    }
    request.socket.reset();
    return association;
  }

  void serve(ReadyRequest request, std::stop_token stop) {
    const auto settings = snapshot();
    AssociationHandle association = receiveFromDcmtk(request, *settings);
    if (!association) return;
    T_ASC_Parameters* params = association->params;
    // Our identity on the wire, not DCMTK's defaults.
    OFStandard::strlcpy(params->ourImplementationClassUID, kImplementationClassUid,
                        sizeof params->ourImplementationClassUID);
    OFStandard::strlcpy(params->ourImplementationVersionName, kImplementationVersionName,
                        sizeof params->ourImplementationVersionName);

    char calling[64] = {}, called[64] = {}, context[128] = {};
    ASC_getAPTitles(params, calling, sizeof calling, called, sizeof called, nullptr, 0);
    ASC_getApplicationContextName(params, context, sizeof context);
    const std::string peer = request.peerAddress;

    AssociationRequest asked{calling, called, peer, context, 0, 0};
    // The policy may resolve a configured host name (DNS, seconds when a server is
    // away): decided outside the admission lock, so that no other association waits on it.
    AcceptanceDecision decision = decideAcceptance(*settings, asked);
    // Counted from here until the association ends; released on every path out.
    struct Admission {
      Impl& impl;
      std::string peer;
      bool counted = false;
      ~Admission() {
        if (!counted) return;
        std::lock_guard lock(impl.admissionMutex_);
        --impl.active_;
        const auto it = impl.activeByPeer_.find(peer);
        if (it != impl.activeByPeer_.end() && --it->second <= 0) impl.activeByPeer_.erase(it);
      }
    } admission{*this, peer};
    if (!decision.rejection) {
      // Decided and counted in one step, so two requests cannot both take the last slot.
      std::lock_guard lock(admissionMutex_);
      asked.activeAssociations = active_.load();
      const auto fromPeer = activeByPeer_.find(peer);  // no entry for a caller refused
      asked.activeFromPeer = fromPeer == activeByPeer_.end() ? 0 : fromPeer->second;
      const AcceptanceDecision capacity = decideCapacity(*settings, asked);
      if (capacity.rejection) {
        decision.rejection = capacity.rejection;
        decision.explanation = capacity.explanation;
      } else {
        ++active_;
        ++activeByPeer_[peer];
        admission.counted = true;
      }
    }
    store::IngestSource source{asked.callingAe, asked.calledAe, peer, ""};
    if (decision.rejection) {
      T_ASC_RejectParameters reject = toDcmtk(*decision.rejection);
      ASC_rejectAssociation(association.get(), &reject);
      OFLOG_WARN(logger, "association rejected (" << decision.rejection->meaning
                                                  << "): " << decision.explanation);
      // Per reason and calling AE: a misconfigured device is told apart from another, a
      // flood of refused requests does not become a flood of index commits.
      logThrottled("association-rejected",
                   std::string(decision.rejection->meaning) + " " + asked.callingAe,
                   std::string(decision.rejection->meaning) + ": " + decision.explanation, source);
      return;
    }

    negotiatePresentationContexts(params);
    const OFCondition ack = ASC_acknowledgeAssociation(association.get());
    if (ack.bad()) {
      OFLOG_WARN(logger, "cannot acknowledge association from " << calling << ": " << ack.text());
      return;
    }
    SessionPeer sessionPeer{source.callingAe, source.calledAe, source.peerAddress,
                            decision.remote ? decision.remote->assumeCharset : std::string()};
    StoreScpSession session(std::move(association), store_, settings, std::move(sessionPeer));
    session.run(stop);
  }

  mutable std::mutex settingsMutex_;
  std::shared_ptr<const ReceiverSettings> settings_;
  store::Store& store_;
  PromptAckTransportLayer transport_;  // must outlive network_
  NetworkHandle network_;
  int port_ = 0;
  std::mutex admissionMutex_;
  std::atomic<int> active_{0};
  std::map<std::string, int> activeByPeer_;  // admissionMutex_
  std::mutex eventsMutex_;
  EventThrottle events_{
      [this](const std::string& kind, const std::string& detail, const std::string& peer) {
        logEvent(kind, detail, store::IngestSource{"", "", peer, ""});
      },
      kEventInterval};  // eventsMutex_
  std::mutex workersMutex_;
  std::list<Worker> workers_;
  std::unique_ptr<RequestGate> gate_;  // hands requests to workers: stopped first
};

Receiver::Receiver(ReceiverSettings settings, store::Store& store)
    : impl_(std::make_unique<Impl>(std::move(settings), store)) {}
Receiver::~Receiver() = default;
int Receiver::start() {
  return impl_->start();
}
void Receiver::stop() {
  impl_->stop();
}
void Receiver::updateSettings(const ReceiverSettings& settings) {
  impl_->updateSettings(settings);
}
int Receiver::activeAssociations() const {
  return impl_->active();
}

}  // namespace burnstation::receiver
