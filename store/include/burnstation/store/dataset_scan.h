// A structural check of a DICOM element stream before any parser builds objects from it:
// every defined length fits in the bytes there are, every undefined-length sequence and item
// is closed by its delimiter, item tags are where they must be, and sequences do not nest
// deeper than a limit. DCMTK's parser recurses once per nesting level and trusts declared
// lengths, so a received data set, a stored file or a DICOMDIR on someone's stick goes
// through this first. The walk is iterative (an explicit stack) and skips values without
// reading them, so it costs next to nothing beside receiving or copying the bytes. One value
// is checked too: a Directory Record Type longer than CS allows makes DCMTK 3.6.7 throw.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace burnstation::store {

// How the elements of a data set are encoded (PS3.5 10). Encapsulated syntaxes are Explicit
// VR Little Endian with Pixel Data as an undefined-length sequence of fragments.
enum class DatasetEncoding { ImplicitLittle, ExplicitLittle, ExplicitBig, DeflatedExplicitLittle };

// Every transfer syntax not known to be otherwise is Explicit VR Little Endian (PS3.5 A.4).
DatasetEncoding datasetEncodingOf(std::string_view transferSyntaxUid);

struct ScanLimits {
  int maxNestingDepth = 64;  // sequences inside sequences; real objects stay under 20-30
  // A deflated data set may not inflate beyond this (a deflate bomb costs bounded time).
  std::uint64_t maxInflatedBytes = std::uint64_t{1} << 30;
};

struct ScanProblem {
  std::string what;          // short enough for an Error Comment (LO, 64 characters)
  std::uint64_t offset = 0;  // where it was found
  bool inflated = false;     // offset counts inflated bytes of a deflated data set
  // what, with where it was found, for logs and reports.
  std::string describe() const;
};

struct DatasetScan {
  std::optional<ScanProblem> problem;
  std::string transferSyntaxUid;    // from the File Meta (Part-10 scans only)
  std::uint64_t datasetOffset = 0;  // first byte after the File Meta (Part-10 scans only)
  bool ok() const { return !problem; }
};

// The bytes of a data set alone (as received over the network).
DatasetScan scanDataset(std::span<const std::uint8_t> bytes, DatasetEncoding encoding,
                        const ScanLimits& limits = {});

// A Part-10 file in memory: preamble, "DICM", the File Meta (Explicit VR Little Endian, checked
// the same way) and the data set in the transfer syntax the File Meta names.
DatasetScan scanPart10(std::span<const std::uint8_t> bytes, const ScanLimits& limits = {});

// The same for a file on disk; values are skipped with the file offset, not read.
// Throws StoreError(Code::Io) when the file cannot be opened or read.
DatasetScan scanPart10File(const std::filesystem::path& file, const ScanLimits& limits = {});

}  // namespace burnstation::store
