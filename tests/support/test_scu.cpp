// bs_test_scu: a Storage SCU for what storescu cannot send — a data set whose SOP Class
// differs from the request's, or bytes that are not a parseable data set. Data set bytes
// go out as they are on disk (DIMSE streams the file after its meta header).
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/dul.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "dicom_factory.h"

namespace {

struct NetworkDeleter {
  void operator()(T_ASC_Network* n) const { ASC_dropNetwork(&n); }
};
struct AssociationDeleter {
  void operator()(T_ASC_Association* a) const { ASC_destroyAssociation(&a); }
};

struct FileInfo {
  std::string path, sopClass, sopInstance, transferSyntax;
};

FileInfo readMeta(const std::string& path) {
  DcmFileFormat format;
  FileInfo info{path, {}, {}, {}};
  if (format.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_metaOnly)
          .bad()) {
    return info;
  }
  OFString v;
  format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, v);
  info.sopClass = v.c_str();
  format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPInstanceUID, v);
  info.sopInstance = v.c_str();
  format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, v);
  info.transferSyntax = v.c_str();
  return info;
}

// C-STORE with the data set sent as raw PDVs, never parsed on our side: the only way to
// deliver bytes a receiver must refuse as unparseable, or a deflated stream bit for bit.
OFCondition storeRaw(T_ASC_Association* assoc, T_ASC_PresentationContextID id,
                     const T_DIMSE_C_StoreRQ& rq, const std::string& data, DIC_US& status,
                     std::string& errorComment) {
  DcmDataset command;
  command.putAndInsertString(DCM_AffectedSOPClassUID, rq.AffectedSOPClassUID);
  command.putAndInsertUint16(DCM_CommandField, DIMSE_C_STORE_RQ);
  command.putAndInsertUint16(DCM_MessageID, rq.MessageID);
  command.putAndInsertUint16(DCM_Priority, 0);
  command.putAndInsertUint16(DCM_CommandDataSetType, 0x0000);
  command.putAndInsertString(DCM_AffectedSOPInstanceUID, rq.AffectedSOPInstanceUID);
  command.computeGroupLengthAndPadding(EGL_withGL, EPD_noChange, EXS_LittleEndianImplicit);
  std::vector<char> buffer(8192);
  DcmOutputBufferStream out(buffer.data(), buffer.size());
  command.transferInit();
  OFCondition c = command.write(out, EXS_LittleEndianImplicit, EET_ExplicitLength, nullptr);
  command.transferEnd();
  if (c.bad()) return c;
  void* encoded = nullptr;
  offile_off_t encodedLength = 0;
  out.flushBuffer(encoded, encodedLength);
  std::vector<char> scratch(2 * assoc->sendPDVLength + 64);
  auto send = [&](void* bytes, unsigned long length, DUL_DATAPDV type, bool last) {
    DUL_PDV pdv{length, id, type, last ? OFTrue : OFFalse, bytes};
    DUL_PDVLIST list{1, scratch.data(), scratch.size(), {}, &pdv};
    return DUL_WritePDVs(&assoc->DULassociation, &list);
  };
  c = send(encoded, static_cast<unsigned long>(encodedLength), DUL_COMMANDPDV, true);
  const std::size_t chunk = assoc->sendPDVLength;
  for (std::size_t at = 0; c.good() && at < data.size(); at += chunk) {
    const std::size_t n = std::min(chunk, data.size() - at);
    c = send(const_cast<char*>(data.data() + at), static_cast<unsigned long>(n), DUL_DATASETPDV,
             at + n == data.size());
  }
  if (c.bad()) return c;
  T_ASC_PresentationContextID responseId = 0;
  T_DIMSE_Message response{};
  DcmDataset* detail = nullptr;
  c = DIMSE_receiveCommand(assoc, DIMSE_BLOCKING, 0, &responseId, &response, &detail);
  if (c.good()) status = response.msg.CStoreRSP.DimseStatus;
  OFString comment;
  if (detail && detail->findAndGetOFString(DCM_ErrorComment, comment).good()) {
    errorComment = comment.c_str();
  }
  delete detail;
  return c;
}

int usage() {
  std::fprintf(stderr,
               "usage: bs_test_scu --host H --port P [--aet AE] [--aec AE] "
               "[--affected-sop-class UID] [--raw] FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1", port, aet = "BS_TEST_SCU", aec = "BURNSTATION", affected;
  std::vector<FileInfo> files;
  bool raw = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--host")
      host = next();
    else if (a == "--port")
      port = next();
    else if (a == "--aet")
      aet = next();
    else if (a == "--aec")
      aec = next();
    else if (a == "--affected-sop-class")
      affected = next();
    else if (a == "--raw")
      raw = true;
    else if (a.rfind("--", 0) == 0)
      return usage();
    else
      files.push_back(readMeta(a));
  }
  if (port.empty() || files.empty()) return usage();

  T_ASC_Network* rawNet = nullptr;
  if (ASC_initializeNetwork(NET_REQUESTOR, 0, 30, &rawNet).bad()) return 3;
  std::unique_ptr<T_ASC_Network, NetworkDeleter> net(rawNet);
  T_ASC_Parameters* params = nullptr;
  ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU);
  ASC_setAPTitles(params, aet.c_str(), aec.c_str(), nullptr);
  const std::string peer = host + ":" + port;
  ASC_setPresentationAddresses(params, "localhost", peer.c_str());
  T_ASC_PresentationContextID id = 1;
  for (const auto& f : files) {
    if (f.sopClass.empty()) {
      std::fprintf(stderr, "%s: no File Meta\n", f.path.c_str());
      return 4;
    }
    const char* ts[] = {f.transferSyntax.c_str()};
    const std::string abstract = affected.empty() ? f.sopClass : affected;
    ASC_addPresentationContext(params, id, abstract.c_str(), ts, 1);
    id = static_cast<T_ASC_PresentationContextID>(id + 2);
  }
  T_ASC_Association* rawAssoc = nullptr;
  const OFCondition requested = ASC_requestAssociation(net.get(), params, &rawAssoc);
  std::unique_ptr<T_ASC_Association, AssociationDeleter> assoc(rawAssoc);
  if (requested.bad()) {
    if (!rawAssoc) ASC_destroyAssociationParameters(&params);
    std::fprintf(stderr, "association failed: %s\n", requested.text());
    return 5;
  }
  DIC_US messageId = 1;
  id = 1;
  for (const auto& f : files) {
    T_DIMSE_C_StoreRQ rq{};
    rq.MessageID = messageId++;
    OFStandard::strlcpy(rq.AffectedSOPClassUID,
                        affected.empty() ? f.sopClass.c_str() : affected.c_str(),
                        sizeof rq.AffectedSOPClassUID);
    OFStandard::strlcpy(rq.AffectedSOPInstanceUID, f.sopInstance.c_str(),
                        sizeof rq.AffectedSOPInstanceUID);
    rq.DataSetType = DIMSE_DATASET_PRESENT;
    rq.Priority = DIMSE_PRIORITY_MEDIUM;
    T_DIMSE_C_StoreRSP rsp{};
    OFCondition sent;
    std::string errorComment;
    if (raw) {
      std::string bytes = burnstation::testdata::datasetBytesOf(f.path);
      // A deflated stream may have any length; PS3.5 A.5 pads it to even with one NUL.
      if (bytes.size() % 2) bytes.push_back('\0');
      sent = storeRaw(assoc.get(), id, rq, bytes, rsp.DimseStatus, errorComment);
    } else {
      DcmDataset* detail = nullptr;
      sent = DIMSE_storeUser(assoc.get(), id, &rq, f.path.c_str(), nullptr, nullptr, nullptr,
                             DIMSE_BLOCKING, 0, &rsp, &detail);
      OFString comment;
      if (detail && detail->findAndGetOFString(DCM_ErrorComment, comment).good()) {
        errorComment = comment.c_str();
      }
      delete detail;
    }
    id = static_cast<T_ASC_PresentationContextID>(id + 2);
    if (sent.bad()) {
      std::printf("%s status=FAIL (%s)\n", f.path.c_str(), sent.text());
      ASC_abortAssociation(assoc.get());
      return 6;
    }
    std::printf("%s status=%04X\n", f.path.c_str(), rsp.DimseStatus);
    // On a line of its own, so readers of "FILE status=XXXX" lines are unaffected.
    if (!errorComment.empty()) std::printf("%s comment=%s\n", f.path.c_str(), errorComment.c_str());
  }
  ASC_releaseAssociation(assoc.get());
  return 0;
}
