// The listener: accepts or rejects association requests and hands each accepted one to
// its own worker thread.
#include "burnstation/receiver/receiver.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <dcmtk/oflog/oflog.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <list>
#include <mutex>
#include <thread>

#include "burnstation/receiver/acceptance_policy.h"
#include "burnstation/receiver/receiver_error.h"
#include "burnstation/store/implementation_identity.h"
#include "burnstation/store/store.h"
#include "dicom_handles.h"
#include "presentation_contexts.h"
#include "prompt_ack_transport.h"
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

struct Worker {
  std::jthread thread;
  std::atomic<bool> done{false};
};

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
    T_ASC_Network* raw = nullptr;
    const OFCondition cond =
        ASC_initializeNetwork(NET_ACCEPTOR, settings->port, settings->artimSeconds, &raw);
    if (cond.bad()) {
      throw ReceiverError(
          ReceiverError::Code::Network,
          "cannot listen on port " + std::to_string(settings->port) + ": " + cond.text());
    }
    network_.reset(raw);
    ASC_setTransportLayer(network_.get(), &transport_, 0);
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    if (getsockname(DUL_networkSocket(network_->network), reinterpret_cast<sockaddr*>(&bound),
                    &length) != 0) {
      throw ReceiverError(ReceiverError::Code::Network, "cannot read the listening port");
    }
    port_ = ntohs(bound.sin_port);
    listener_ = std::jthread([this](std::stop_token stop) {
      // Nothing may end the service; a loop that failed is entered again.
      while (!stop.stop_requested()) {
        try {
          acceptLoop(stop);
        } catch (const std::exception& e) {
          OFLOG_ERROR(logger, "accept loop failed, continuing: " << e.what());
        } catch (...) {
          OFLOG_ERROR(logger, "accept loop failed, continuing");
        }
      }
    });
    return port_;
  }

  void stop() {
    if (listener_.joinable()) {
      listener_.request_stop();
      listener_.join();
    }
    std::list<Worker> workers;
    {
      std::lock_guard lock(workersMutex_);
      workers.swap(workers_);
    }
    for (Worker& w : workers) w.thread.request_stop();
    workers.clear();  // joins
    network_.reset();
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

  void reapFinished() {
    std::lock_guard lock(workersMutex_);
    workers_.remove_if([](const Worker& w) { return w.done.load(); });
  }

  void acceptLoop(std::stop_token stop) {
    while (!stop.stop_requested()) {
      reapFinished();
      const auto settings = snapshot();
      T_ASC_Association* raw = nullptr;
      const OFCondition cond = ASC_receiveAssociation(network_.get(), &raw, settings->maxPduBytes,
                                                      nullptr, nullptr, OFFalse, DUL_NOBLOCK, 1);
      AssociationHandle association(raw);
      if (cond == DUL_NOASSOCIATIONREQUEST) continue;
      if (cond.bad()) {
        // ARTIM expiry or a broken request: drop it and keep serving (Philips Table 11).
        OFLOG_WARN(logger, "association request failed: " << cond.text());
        store_.logEvent("association-failed", std::string("request failed: ") + cond.text(), {});
        continue;
      }
      handleRequest(std::move(association), settings);
    }
  }

  void handleRequest(AssociationHandle association,
                     const std::shared_ptr<const ReceiverSettings>& settings) {
    T_ASC_Parameters* params = association->params;
    // Our identity on the wire, not DCMTK's defaults.
    OFStandard::strlcpy(params->ourImplementationClassUID, kImplementationClassUid,
                        sizeof params->ourImplementationClassUID);
    OFStandard::strlcpy(params->ourImplementationVersionName, kImplementationVersionName,
                        sizeof params->ourImplementationVersionName);

    char calling[64] = {}, called[64] = {}, peer[128] = {}, ours[128] = {}, context[128] = {};
    ASC_getAPTitles(params, calling, sizeof calling, called, sizeof called, nullptr, 0);
    ASC_getPresentationAddresses(params, peer, sizeof peer, ours, sizeof ours);
    ASC_getApplicationContextName(params, context, sizeof context);

    AssociationRequest request{calling, called, peer, context, active_.load()};
    const AcceptanceDecision decision = decideAcceptance(*settings, request);
    store::IngestSource source{request.callingAe, request.calledAe, request.peerAddress, ""};
    if (decision.rejection) {
      T_ASC_RejectParameters reject = toDcmtk(*decision.rejection);
      ASC_rejectAssociation(association.get(), &reject);
      OFLOG_WARN(logger, "association rejected (" << decision.rejection->meaning
                                                  << "): " << decision.explanation);
      store_.logEvent("association-rejected",
                      std::string(decision.rejection->meaning) + ": " + decision.explanation,
                      source);
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
    auto session = std::make_shared<StoreScpSession>(std::move(association), store_, settings,
                                                     std::move(sessionPeer));
    std::lock_guard lock(workersMutex_);
    Worker& worker = workers_.emplace_back();
    ++active_;
    worker.thread = std::jthread([this, session, &worker](std::stop_token stop) {
      try {
        session->run(stop);
      } catch (const std::exception& e) {
        OFLOG_ERROR(logger, "association ended by an error: " << e.what());
      } catch (...) {
        OFLOG_ERROR(logger, "association ended by an unknown error");
      }
      --active_;
      worker.done = true;
    });
  }

  mutable std::mutex settingsMutex_;
  std::shared_ptr<const ReceiverSettings> settings_;
  store::Store& store_;
  PromptAckTransportLayer transport_;  // must outlive network_
  NetworkHandle network_;
  int port_ = 0;
  std::atomic<int> active_{0};
  std::mutex workersMutex_;
  std::list<Worker> workers_;
  std::jthread listener_;
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
