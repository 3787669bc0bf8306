// C-ECHO as a service user (see echo_scu.h), with DCMTK's association layer.
#include "burnstation/receiver/echo_scu.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dcmlayer.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/dul.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "dicom_handles.h"

namespace burnstation::receiver {

namespace {

using Clock = std::chrono::steady_clock;

// Unlike AssociationDeleter (the SCP's), an association we requested is only dropped.
struct RequestedAssociationDeleter {
  void operator()(T_ASC_Association* association) const {
    ASC_dropAssociation(association);
    ASC_destroyAssociation(&association);
  }
};
using RequestedAssociation = std::unique_ptr<T_ASC_Association, RequestedAssociationDeleter>;

struct ParametersDeleter {
  void operator()(T_ASC_Parameters* params) const { ASC_destroyAssociationParameters(&params); }
};
using ParametersHandle = std::unique_ptr<T_ASC_Parameters, ParametersDeleter>;

std::string rejectionInWords(const T_ASC_RejectParameters& rejection) {
  std::string reason;
  switch (rejection.reason) {
    case ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED:
      reason = "it does not know the AE title we called it by";
      break;
    case ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED:
      reason = "it does not know our AE title";
      break;
    case ASC_REASON_SU_APPCONTEXTNAMENOTSUPPORTED:
      reason = "it does not support the DICOM application context";
      break;
    case ASC_REASON_SP_ACSE_PROTOCOLVERSIONNOTSUPPORTED:
      reason = "it does not support our protocol version";
      break;
    case ASC_REASON_SP_PRES_TEMPORARYCONGESTION:
      reason = "it is congested";
      break;
    case ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED:
      reason = "it has reached its limit of associations";
      break;
    default:
      reason = "it gave no reason";
      break;
  }
  return "the remote rejected the association" +
         std::string(rejection.result == ASC_RESULT_REJECTEDTRANSIENT ? " for now" : "") + ": " +
         reason;
}

// The last line of a DCMTK condition's text ("... TCP Initialization Error: Connection
// refused") says what happened; the lines before it only repeat that it failed.
std::string connectFailureInWords(const OFCondition& condition, const EchoTarget& target,
                                  const EchoTimeouts& timeouts) {
  std::string text = condition.text();
  const std::size_t newline = text.find_last_of('\n');
  if (newline != std::string::npos) text = text.substr(newline + 1);
  const std::string where = target.host + ":" + std::to_string(target.port);
  if (text.find("refused") != std::string::npos) {
    return "the connection to " + where + " was refused (nothing listens there)";
  }
  if (text.find("imed out") != std::string::npos || text.find("imeout") != std::string::npos) {
    return "no answer from " + where + " within " + std::to_string(timeouts.connectSeconds) + " s";
  }
  if (text.find("unknown host") != std::string::npos) {
    return "the host name " + target.host + " is not known";
  }
  return "cannot associate with " + where + ": " + text;
}

// Bounds every read and write on the association's socket (the association's answer, the
// C-ECHO response, the release), which DCMTK would otherwise wait for up to its process-wide
// socket timeout (60 s), shared with the receiver.
class BoundedTransportLayer : public DcmTransportLayer {
 public:
  explicit BoundedTransportLayer(int seconds) : seconds_(seconds) {}
  DcmTransportConnection* createConnection(DcmNativeSocketType openSocket,
                                           OFBool /*useSecureLayer*/) override {
    timeval limit{};
    limit.tv_sec = seconds_;
    ::setsockopt(openSocket, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(openSocket, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    return new DcmTCPConnection(openSocket);
  }

 private:
  int seconds_;
};

EchoResult attempt(const EchoTarget& target, const EchoTimeouts& timeouts) {
  EchoResult result;
  // DCMTK's connect timeout is process-wide; the station opens no other DICOM connection
  // (the receiver only accepts), so echo's bound is the one in force.
  dcmConnectionTimeout.set(timeouts.connectSeconds);
  T_ASC_Network* rawNetwork = nullptr;
  OFCondition cond =
      ASC_initializeNetwork(NET_REQUESTOR, 0, timeouts.associationSeconds, &rawNetwork);
  if (cond.bad()) {
    result.detail = std::string("cannot set up DICOM networking: ") + cond.text();
    return result;
  }
  // Declared before the network, which uses it until it is dropped.
  BoundedTransportLayer transport(std::max(timeouts.associationSeconds, timeouts.responseSeconds));
  NetworkHandle network(rawNetwork);
  ASC_setTransportLayer(network.get(), &transport, 0);
  T_ASC_Parameters* rawParams = nullptr;
  cond = ASC_createAssociationParameters(&rawParams, ASC_DEFAULTMAXPDU);
  if (cond.bad()) {
    result.detail = std::string("cannot set up the association: ") + cond.text();
    return result;
  }
  ParametersHandle params(rawParams);
  ASC_setAPTitles(params.get(), target.callingAe.c_str(), target.calledAe.c_str(), nullptr);
  const std::string peer = target.host + ":" + std::to_string(target.port);
  ASC_setPresentationAddresses(params.get(), "localhost", peer.c_str());
  const char* syntaxes[] = {UID_LittleEndianExplicitTransferSyntax,
                            UID_LittleEndianImplicitTransferSyntax};
  ASC_addPresentationContext(params.get(), 1, UID_VerificationSOPClass, syntaxes, 2);

  T_ASC_Association* rawAssociation = nullptr;
  cond = ASC_requestAssociation(network.get(), params.get(), &rawAssociation, nullptr, nullptr,
                                DUL_NOBLOCK, timeouts.associationSeconds);
  RequestedAssociation association(rawAssociation);
  if (rawAssociation) params.release();  // the association owns them now
  if (cond.bad()) {
    if (cond == DUL_ASSOCIATIONREJECTED) {
      T_ASC_RejectParameters rejection{};
      ASC_getRejectParameters(rawAssociation->params, &rejection);
      result.detail = rejectionInWords(rejection);
    } else if (cond == DUL_READTIMEOUT) {
      result.detail = "connected to " + peer +
                      ", but no answer to the association request within " +
                      std::to_string(timeouts.associationSeconds) + " s";
    } else {
      result.detail = connectFailureInWords(cond, target, timeouts);
    }
    return result;
  }
  if (ASC_countAcceptedPresentationContexts(association->params) == 0) {
    result.detail = "the remote accepted the association but not Verification (C-ECHO)";
    ASC_releaseAssociation(association.get());
    return result;
  }
  DIC_US status = 0;
  DcmDataset* statusDetail = nullptr;
  cond = DIMSE_echoUser(association.get(), 1, DIMSE_NONBLOCKING, timeouts.responseSeconds, &status,
                        &statusDetail);
  delete statusDetail;
  if (cond.bad()) {
    result.detail =
        cond == DIMSE_NODATAAVAILABLE
            ? "no C-ECHO response within " + std::to_string(timeouts.responseSeconds) + " s"
            : std::string("the C-ECHO failed: ") + cond.text();
    ASC_abortAssociation(association.get());
    return result;
  }
  result.status = status;
  result.ok = status == STATUS_Success;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%04X", status);
  result.detail = result.ok ? "the remote answered C-ECHO with success"
                            : std::string("the remote answered C-ECHO with status ") + hex;
  ASC_releaseAssociation(association.get());
  return result;
}

}  // namespace

EchoResult echo(const EchoTarget& target, const EchoTimeouts& timeouts) {
  const auto start = Clock::now();
  EchoResult result;
  try {
    result = attempt(target, timeouts);
  } catch (const std::exception& e) {
    result = {};
    result.detail = std::string("the echo failed: ") + e.what();
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace burnstation::receiver
