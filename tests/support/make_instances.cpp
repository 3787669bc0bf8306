// bs_make_instances: writes many test instances for benchmarks and scripts.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dicom_factory.h"

int main(int argc, char** argv) {
  using namespace burnstation::testdata;
  InstanceSpec spec;
  std::string out;
  int count = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--out")
      out = v;
    else if (a == "--count")
      count = std::atoi(v.c_str());
    else if (a == "--rows")
      spec.rows = std::atoi(v.c_str());
    else if (a == "--columns")
      spec.columns = std::atoi(v.c_str());
    else if (a == "--bits")
      spec.bitsAllocated = std::atoi(v.c_str());
    else if (a == "--frames")
      spec.frames = std::atoi(v.c_str());
    else if (a == "--signed")
      spec.signedPixels = v == "1";
    else if (a == "--transfer-syntax")
      spec.transferSyntax = v;
    else if (a == "--patient-id")
      spec.patientIdBytes = v;
    else if (a == "--patient-name")
      spec.patientNameBytes = v;
    else if (a == "--kind" && v == "CT")
      spec.kind = Kind::CT;
    else if (a == "--kind" && v == "MR")
      spec.kind = Kind::MR;
    else {
      std::fprintf(stderr,
                   "usage: bs_make_instances --out DIR [--count N] [--kind CT|MR] [--rows R] "
                   "[--columns C] [--bits 8|16] [--frames N] [--signed 0|1] [--transfer-syntax "
                   "UID] [--patient-id ID] "
                   "[--patient-name NAME]\n");
      return 2;
    }
  }
  if (out.empty() || count < 1) return 2;
  spec.studyInstanceUid = newUid();
  for (int i = 0; i < count; ++i) {
    if (i % 500 == 0) spec.seriesInstanceUid = newUid();  // a series per 500 instances
    spec.seriesNumber = std::to_string(i / 500 + 1);
    spec.sopInstanceUid.clear();
    spec.instanceNumber = std::to_string(i % 500 + 1);
    spec.seed = static_cast<unsigned>(i);
    writeInstance(spec, out);
  }
  std::printf("%d\n", count);
  return 0;
}
