// Burn request validation (see job_request.h).
#include "burnstation/station/job_request.h"

#include <stdexcept>

#include "burnstation/station/drive_choice.h"
#include "burnstation/station/medium_selection.h"
#include "burnstation/station/request_error.h"
#include "burnstation/station/volume_planner.h"
#include "burnstation/store/store_error.h"

namespace burnstation::station {

ValidatedJob validateBurnRequest(const StationConfig& config, const store::Store& store,
                                 const BurnRequest& request) {
  return validateBurnRequest(config, store, request, defaultDiscovery());
}

ValidatedJob validateBurnRequest(const StationConfig& config, const store::Store& store,
                                 const BurnRequest& request, DriveDiscovery& discovery) {
  if (request.patient.empty()) {
    throw RequestError("a patient is required (a Patient ID or a key from the patient list)");
  }
  if (request.profile.empty()) throw RequestError("a profile is required");
  if (request.copies < 1 || request.copies > kMaxCopies) {
    throw RequestError("copies must be 1 to " + std::to_string(kMaxCopies) + ", not " +
                       std::to_string(request.copies));
  }
  MediumSelection medium;
  try {
    medium =
        resolveMediumSelection(config, store, request.patient, request.studies, request.profile);
  } catch (const store::StoreError& e) {
    // An unknown or ambiguous patient, or a study that is not the patient's.
    if (e.code() != store::StoreError::Code::NotFound &&
        e.code() != store::StoreError::Code::Ambiguous) {
      throw;
    }
    throw RequestError(e.what(), e.code() == store::StoreError::Code::NotFound
                                     ? RequestError::Kind::NotFound
                                     : RequestError::Kind::Ambiguous);
  }
  if (const std::string unwritable = unwritableSummary(medium); !unwritable.empty()) {
    throw RequestError(unwritable);
  }
  ValidatedJob job;
  job.request.patientKey = medium.selection.collectionKey;
  job.request.studies = request.studies;
  job.request.profile = request.profile;
  try {
    job.request.drive =
        recordedDrive(chooseDrive(config, request.drive, medium.setting, discovery));
  } catch (const UnknownDriveError& e) {
    throw RequestError(e.what(), RequestError::Kind::NotFound);
  } catch (const std::invalid_argument& e) {
    throw RequestError(e.what());
  }
  job.request.copies = request.copies;
  job.request.requestedBy = request.requestedBy;
  if (request.capacity) {
    const MediumCapacity capacity = mediumCapacity(medium, {request.capacity, {}, {}});
    // Refused now rather than by the job: a medium that cannot hold a volume's fixed content.
    try {
      (void)dicomdir::planVolumes({}, *capacity.bytes, sizeModelFor(medium));
    } catch (const std::invalid_argument& e) {
      throw RequestError(e.what());
    }
    job.request.capacity = *capacity.bytes;
  }
  for (const auto& in : medium.selection.instances) job.instances.push_back(in.sopInstanceUid);
  return job;
}

}  // namespace burnstation::station
