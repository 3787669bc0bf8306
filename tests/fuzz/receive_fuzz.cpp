// libFuzzer target for the receive path: the scan of a Part-10 file (our File Meta in front
// of a received data set), then, only when the scan accepts it, the header parse the
// receiver runs next (DCMTK's). Neither may crash, hang or overflow on any input.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/oflog/oflog.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "burnstation/store/dataset_scan.h"
#include "burnstation/store/instance_header.h"
#include "burnstation/store/store_error.h"

namespace {

const std::string& scratchFile() {
  static const std::string file = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir ? dir : "/tmp") + "/burnstation-fuzz-receive-" +
           std::to_string(::getpid()) + ".dcm";
  }();
  return file;
}

}  // namespace

// DCMTK's warnings about odd inputs would cost more time than the parse itself.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  // DCMTK loads its data dictionary on first use: load it here, so that the first input is
  // not charged with it against -timeout on a busy machine.
  (void)dcmDataDict.isDictionaryLoaded();
  // libFuzzer ends a time-bounded run with exit(): leave nothing behind in TMPDIR. The name
  // is made first, so it outlives the handler.
  (void)scratchFile();
  std::atexit([] { std::remove(scratchFile().c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto scan = burnstation::store::scanPart10({data, size});
  if (!scan.ok()) {
    (void)scan.problem->describe();
    return 0;
  }
  const std::string& file = scratchFile();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    (void)burnstation::store::readInstanceHeader(file);
  } catch (const burnstation::store::StoreError&) {
  }
  // The file on disk must give the scan's own answer.
  if (!burnstation::store::scanPart10File(file).ok()) __builtin_trap();
  return 0;
}
