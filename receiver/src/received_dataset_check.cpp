// See received_dataset_check.h.
#include "received_dataset_check.h"

#include "burnstation/receiver/dicom_status.h"
#include "burnstation/store/dataset_scan.h"
#include "burnstation/store/store_error.h"

namespace burnstation::receiver {

std::optional<RefusedDataSet> checkReceivedDataSet(const std::filesystem::path& file,
                                                   int maxNestingDepth) {
  store::ScanLimits limits;
  limits.maxNestingDepth = maxNestingDepth;
  store::DatasetScan scan;
  try {
    scan = store::scanPart10File(file, limits);
  } catch (const store::StoreError& e) {
    return RefusedDataSet{status::kProcessingFailure, "cannot read the received data set back",
                          e.what()};
  }
  if (scan.ok()) return std::nullopt;
  // The file starts with our File Meta, so offsets are told relative to the data set the
  // sender sent (inflated offsets already are).
  store::ScanProblem problem = *scan.problem;
  if (!problem.inflated && problem.offset >= scan.datasetOffset) {
    problem.offset -= scan.datasetOffset;
  }
  return RefusedDataSet{status::kCannotUnderstand, problem.what.substr(0, 64),
                        "malformed data set refused: " + problem.describe()};
}

}  // namespace burnstation::receiver
