// libFuzzer target for reading a DICOMDIR back (FSR): the bytes become root/DICOMDIR of a
// file-set folder and go through checkFileSet and referencedFileIds, which scan the file
// before DCMTK parses it. A stick someone brings may hold any bytes.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/oflog/oflog.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "burnstation/dicomdir/file_set.h"

namespace {

const std::filesystem::path& scratchRoot() {
  static const std::filesystem::path root = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::filesystem::path(dir ? dir : "/tmp") /
           ("burnstation-fuzz-dicomdir-" + std::to_string(::getpid()));
  }();
  return root;
}

}  // namespace

// DCMTK's warnings about odd inputs would cost more time than the parse itself.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  // DCMTK loads its data dictionary on first use: load it here, so that the first input is
  // not charged with it against -timeout on a busy machine.
  (void)dcmDataDict.isDictionaryLoaded();
  std::filesystem::create_directories(scratchRoot() / "DICOM");
  // libFuzzer ends a time-bounded run with exit(): leave nothing behind in TMPDIR.
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(scratchRoot(), ignored);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& root = scratchRoot();
  {
    std::ofstream out(root / "DICOMDIR", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const auto check = burnstation::dicomdir::checkFileSet(root);
  (void)check.ok();
  try {
    (void)burnstation::dicomdir::referencedFileIds(root / "DICOMDIR");
  } catch (const burnstation::dicomdir::FileSetError&) {
  }
  return 0;
}
