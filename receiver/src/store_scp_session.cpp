// C-ECHO and C-STORE handling for one association (see store_scp_session.h). No exception
// leaves a DCMTK call site: every failure becomes the DIMSE status it stands for.
#include "store_scp_session.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmf.h>
#include <dcmtk/dcmdata/dcvrlo.h>
#include <dcmtk/oflog/oflog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "burnstation/receiver/dicom_status.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/implementation_identity.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/uid.h"
#include "received_dataset_check.h"
#include "request_uids.h"
#include "streamed_file.h"

namespace burnstation::receiver {

namespace fs = std::filesystem;

namespace {

OFLogger logger = OFLog::getLogger("burnstation.receiver");

// Our File Meta: the stored file is the file that goes on the medium (ARCHITECTURE.md).
OFCondition writeMetaHeader(DcmOutputStream& out, const T_DIMSE_C_StoreRQ& rq,
                            const std::string& transferSyntax, const std::string& stationAe,
                            const SessionPeer& peer) {
  DcmMetaInfo meta;
  const Uint8 version[] = {0, 1};
  OFCondition c = meta.putAndInsertUint8Array(DCM_FileMetaInformationVersion, version, 2);
  if (c.good()) c = meta.putAndInsertString(DCM_MediaStorageSOPClassUID, rq.AffectedSOPClassUID);
  if (c.good()) {
    c = meta.putAndInsertString(DCM_MediaStorageSOPInstanceUID, rq.AffectedSOPInstanceUID);
  }
  if (c.good()) c = meta.putAndInsertString(DCM_TransferSyntaxUID, transferSyntax.c_str());
  if (c.good()) c = meta.putAndInsertString(DCM_ImplementationClassUID, kImplementationClassUid);
  if (c.good()) {
    c = meta.putAndInsertString(DCM_ImplementationVersionName, kImplementationVersionName);
  }
  if (c.good()) c = meta.putAndInsertString(DCM_SourceApplicationEntityTitle, stationAe.c_str());
  if (c.good())
    c = meta.putAndInsertString(DCM_SendingApplicationEntityTitle, peer.callingAe.c_str());
  if (c.good()) {
    c = meta.putAndInsertString(DCM_ReceivingApplicationEntityTitle, peer.calledAe.c_str());
  }
  if (c.bad()) return c;
  c = meta.computeGroupLengthAndPadding(EGL_withGL, EPD_noChange,
                                        META_HEADER_DEFAULT_TRANSFERSYNTAX, EET_UndefinedLength);
  if (c.bad()) return c;
  // DcmMetaInfo::write emits the preamble and "DICM" itself.
  meta.transferInit();
  c = meta.write(out, META_HEADER_DEFAULT_TRANSFERSYNTAX, EET_ExplicitLength, nullptr);
  meta.transferEnd();
  return c;
}

// The reader's reason without the name of our temporary file, which tells a sender nothing.
std::string parseReason(const std::string& message, const fs::path& file) {
  const std::string prefix = file.string() + ": ";
  const auto at = message.find(prefix);
  return at == std::string::npos ? message : message.substr(at + prefix.size());
}

// Error Comment (0000,0902) is LO: at most 64 characters.
DcmDataset* errorComment(const std::string& text) {
  auto* detail = new DcmDataset;
  detail->putAndInsertString(DCM_ErrorComment, text.substr(0, 64).c_str());
  return detail;
}

}  // namespace

StoreScpSession::StoreScpSession(AssociationHandle association, store::Store& store,
                                 std::shared_ptr<const ReceiverSettings> settings, SessionPeer peer)
    : association_(std::move(association)),
      store_(store),
      settings_(std::move(settings)),
      peer_(std::move(peer)),
      source_{peer_.callingAe, peer_.calledAe, peer_.address, peer_.assumeCharset} {}

std::string StoreScpSession::acceptedTransferSyntax(T_ASC_PresentationContextID id) const {
  T_ASC_PresentationContext pc;
  if (ASC_findAcceptedPresentationContext(association_->params, id, &pc).bad()) return {};
  return pc.acceptedTransferSyntax;
}

void StoreScpSession::run(std::stop_token stop) {
  int idleSeconds = 0;
  while (!broken_) {
    if (stop.stop_requested()) {
      ASC_abortAssociation(association_.get());
      break;
    }
    T_ASC_PresentationContextID id = 0;
    T_DIMSE_Message message{};
    DcmDataset* received = nullptr;  // the command set as sent: the UID check needs its bytes
    const OFCondition cond = DIMSE_receiveCommand(association_.get(), DIMSE_NONBLOCKING, 1, &id,
                                                  &message, nullptr, &received);
    const std::unique_ptr<DcmDataset> command(received);
    if (cond == DIMSE_NODATAAVAILABLE) {
      if (++idleSeconds >= settings_->idleSeconds) {
        OFLOG_WARN(logger, "association from " << peer_.callingAe << " idle for " << idleSeconds
                                               << " s: aborted");
        store_.logEvent("association-timeout",
                        "idle for " + std::to_string(idleSeconds) + " s, aborted", source_);
        ASC_abortAssociation(association_.get());
        break;
      }
      continue;
    }
    idleSeconds = 0;
    if (cond == DUL_PEERREQUESTEDRELEASE) {
      ASC_acknowledgeRelease(association_.get());
      break;
    }
    if (cond == DUL_PEERABORTEDASSOCIATION) {
      if (stored_ + failed_ > 0)
        store_.logEvent("association-aborted", "aborted by the sender", source_);
      break;
    }
    if (cond.bad()) {
      OFLOG_WARN(logger, "association from " << peer_.callingAe << " failed: " << cond.text());
      store_.logEvent("association-failed", cond.text(), source_);
      ASC_abortAssociation(association_.get());
      break;
    }
    switch (message.CommandField) {
      case DIMSE_C_ECHO_RQ:
        DIMSE_sendEchoResponse(association_.get(), id, &message.msg.CEchoRQ, STATUS_Success,
                               nullptr);
        break;
      case DIMSE_C_STORE_RQ:
        handleStore(id, message.msg.CStoreRQ, command.get());
        break;
      default:
        OFLOG_WARN(logger, "unsupported DIMSE command 0x" << std::hex << message.CommandField
                                                          << " from " << peer_.callingAe);
        store_.logEvent("association-failed", "unsupported DIMSE command", source_);
        ASC_abortAssociation(association_.get());
        broken_ = true;
        break;
    }
  }
  if (stored_ + failed_ > 0) {
    store_.logEvent(
        "association-ended",
        store::counted(stored_, "instance") + " stored, " + std::to_string(failed_) + " refused",
        source_);
  }
}

bool StoreScpSession::drainDataSet() {
  DcmOutputFileStream sink("/dev/null");
  T_ASC_PresentationContextID dataId = 0;
  const OFCondition cond =
      DIMSE_receiveDataSetInFile(association_.get(), DIMSE_NONBLOCKING, settings_->dimseSeconds,
                                 &dataId, &sink, nullptr, nullptr);
  return cond.good();
}

void StoreScpSession::handleStore(T_ASC_PresentationContextID id, const T_DIMSE_C_StoreRQ& rq,
                                  DcmDataset* command) {
  Outcome outcome{status::kProcessingFailure, "internal error"};
  try {
    outcome = receiveAndStore(id, rq, command);
  } catch (const std::exception& e) {
    outcome = {status::kProcessingFailure, e.what()};
  }
  if (broken_) return;

  T_DIMSE_C_StoreRSP response{};
  response.MessageIDBeingRespondedTo = rq.MessageID;
  OFStandard::strlcpy(response.AffectedSOPClassUID, rq.AffectedSOPClassUID,
                      sizeof response.AffectedSOPClassUID);
  OFStandard::strlcpy(response.AffectedSOPInstanceUID, rq.AffectedSOPInstanceUID,
                      sizeof response.AffectedSOPInstanceUID);
  response.DataSetType = DIMSE_DATASET_NULL;
  response.opts = O_STORE_AFFECTEDSOPCLASSUID | O_STORE_AFFECTEDSOPINSTANCEUID;
  response.DimseStatus = outcome.status;
  DcmDataset* detail = nullptr;
  if (outcome.status != status::kSuccess) {
    ++failed_;
    detail = errorComment(outcome.comment);
    OFLOG_WARN(logger, "C-STORE of " << store::printableUid(rq.AffectedSOPInstanceUID) << " from "
                                     << peer_.callingAe << " answered " << std::hex
                                     << outcome.status << ": " << outcome.comment);
    store_.logEvent("store-refused",
                    store::printableUid(rq.AffectedSOPInstanceUID) + ": " + outcome.comment,
                    source_);
  } else {
    ++stored_;
  }
  const OFCondition sent = DIMSE_sendStoreResponse(association_.get(), id, &rq, &response, detail);
  delete detail;
  if (sent.bad()) {
    OFLOG_WARN(logger,
               "cannot send C-STORE response to " << peer_.callingAe << ": " << sent.text());
    broken_ = true;
  }
}

StoreScpSession::Outcome StoreScpSession::receiveAndStore(T_ASC_PresentationContextID id,
                                                          const T_DIMSE_C_StoreRQ& rq,
                                                          DcmDataset* command) {
  const std::string transferSyntax = acceptedTransferSyntax(id);
  if (const std::string bad = requestUidRefusal(rq, command, transferSyntax); !bad.empty()) {
    if (!drainDataSet()) broken_ = true;
    return {status::kCannotUnderstand, bad};
  }
  if (store_.wouldCrossReserve(0)) {
    if (!drainDataSet()) broken_ = true;
    return {status::kOutOfResources, "storage full: free space below the station's reserve"};
  }

  const fs::path temp = store_.temporaryPath();
  OFCondition metaWritten;
  OFCondition received;
  {
    StreamedFile out(temp);
    if (!out.good()) {
      const std::string why = out.status().text();
      if (!drainDataSet()) broken_ = true;
      return {status::kOutOfResources, "cannot create file: " + why};
    }
    metaWritten = writeMetaHeader(out, rq, transferSyntax, settings_->aeTitle, peer_);
    if (metaWritten.good()) {
      T_ASC_PresentationContextID dataId = 0;
      received =
          DIMSE_receiveDataSetInFile(association_.get(), DIMSE_NONBLOCKING, settings_->dimseSeconds,
                                     &dataId, &out, nullptr, nullptr);
      if (received.good() && dataId != id) {
        received =
            makeOFCondition(0, 1, OF_error, "data set arrived on another presentation context");
      }
    }
  }
  if (metaWritten.bad()) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    if (!drainDataSet()) broken_ = true;
    return {status::kOutOfResources, std::string("cannot write file: ") + metaWritten.text()};
  }
  std::error_code ignored;
  if (received.bad()) {
    fs::remove(temp, ignored);
    if (received == DIMSE_OUTOFRESOURCES) {
      // DCMTK drained the rest of the data set, so the association can still answer.
      return {status::kOutOfResources, "cannot write the instance: storage full or failing"};
    }
    OFLOG_WARN(logger,
               "receiving data set from " << peer_.callingAe << " failed: " << received.text());
    store_.logEvent("association-failed", std::string("data set not received: ") + received.text(),
                    source_);
    ASC_abortAssociation(association_.get());
    broken_ = true;
    return {status::kProcessingFailure, received.text()};
  }

  // DCMTK's parser recurses per sequence level and trusts lengths: scan the bytes first.
  if (auto refused = checkReceivedDataSet(temp, settings_->maxNestingDepth)) {
    fs::remove(temp, ignored);
    store_.logEvent("malformed-data-set",
                    std::string(rq.AffectedSOPInstanceUID) + ": " + refused->detail, source_);
    return {refused->status, refused->comment};
  }
  store::InstanceHeader header;
  try {
    header = store::readInstanceHeader(temp);
  } catch (const store::StoreError& e) {
    fs::remove(temp, ignored);
    return {status::kCannotUnderstand, "data set cannot be parsed: " + parseReason(e.what(), temp)};
  }
  if (const auto uids = store::screenInstanceUids(header, 64); uids.refused()) {
    fs::remove(temp, ignored);
    return {status::kCannotUnderstand, uids.refusal};
  }
  if (header.sopClassUid != rq.AffectedSOPClassUID) {
    fs::remove(temp, ignored);
    return {status::kDataSetDoesNotMatchSopClass,
            "data set SOP Class " + header.sopClassUid + " differs from the request"};
  }
  if (header.sopInstanceUid != rq.AffectedSOPInstanceUID) {
    fs::remove(temp, ignored);
    return {status::kCannotUnderstand, "data set SOP Instance UID differs from the request"};
  }
  if (store_.wouldCrossReserve(0)) {
    fs::remove(temp, ignored);
    return {status::kOutOfResources, "storage full: free space below the station's reserve"};
  }
  try {
    store_.ingest(temp, header, source_);
  } catch (const store::StoreError& e) {
    OFLOG_ERROR(logger, "cannot store " << header.sopInstanceUid << ": " << e.what());
    if (e.code() == store::StoreError::Code::Io || e.code() == store::StoreError::Code::NoSpace) {
      return {status::kOutOfResources, e.what()};
    }
    return {status::kProcessingFailure, e.what()};
  }
  return {status::kSuccess, {}};
}

}  // namespace burnstation::receiver
