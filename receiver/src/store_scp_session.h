// One accepted association: answers C-ECHO and C-STORE until release, abort, timeout or
// stop, writing each instance straight to a file with our File Meta.
#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "burnstation/receiver/receiver_settings.h"
#include "burnstation/store/store.h"
#include "dicom_handles.h"

#include <dcmtk/dcmnet/dimse.h>

namespace burnstation::receiver {

struct SessionPeer {
  std::string callingAe;
  std::string calledAe;
  std::string address;
  std::string assumeCharset;
};

class StoreScpSession {
 public:
  StoreScpSession(AssociationHandle association, store::Store& store,
                  std::shared_ptr<const ReceiverSettings> settings, SessionPeer peer);
  void run(std::stop_token stop);

 private:
  struct Outcome {
    unsigned short status;
    std::string comment;  // why, for the sender's log (Error Comment) and ours
  };
  // command: the request's command set as received (request_uids.h).
  void handleStore(T_ASC_PresentationContextID id, const T_DIMSE_C_StoreRQ& request,
                   DcmDataset* command);
  Outcome receiveAndStore(T_ASC_PresentationContextID id, const T_DIMSE_C_StoreRQ& request,
                          DcmDataset* command);
  // Reads the rest of a data set we will not keep, so a failure status can still be sent.
  bool drainDataSet();
  std::string acceptedTransferSyntax(T_ASC_PresentationContextID id) const;

  AssociationHandle association_;
  store::Store& store_;
  std::shared_ptr<const ReceiverSettings> settings_;
  SessionPeer peer_;
  store::IngestSource source_;
  bool broken_ = false;  // the association can no longer carry a response
  int stored_ = 0;
  int failed_ = 0;
};

}  // namespace burnstation::receiver
