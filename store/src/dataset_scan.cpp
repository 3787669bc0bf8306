// The iterative walk over a DICOM element stream (see dataset_scan.h). Which values DCMTK
// parses as nested items decides what is walked into: SQ; UN, OB and OW of undefined length
// (UN contents in Implicit VR Little Endian, PS3.5 6.2.2); in Implicit VR anything of
// undefined length, and defined-length values the dictionary calls SQ or that begin with an
// item tag. Pixel Data (and Overlay Data) of undefined length is a sequence of fragments.
#include "burnstation/store/dataset_scan.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctag.h>

#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "scan_input.h"

namespace burnstation::store {

namespace {

using scan::ScanFailure;
using scan::ScanInput;

constexpr std::uint32_t kUndefined = 0xFFFFFFFF;
constexpr std::uint32_t kItem = 0xFFFEE000;
constexpr std::uint32_t kItemEnd = 0xFFFEE00D;
constexpr std::uint32_t kSequenceEnd = 0xFFFEE0DD;
constexpr std::uint32_t kPixelData = 0x7FE00010;
constexpr std::uint32_t kTransferSyntaxUid = 0x00020010;
constexpr std::uint32_t kMetaGroupLength = 0x00020000;
// DCMTK 3.6.7 throws std::out_of_range out of its parser for a Directory Record Type of more
// than 32 bytes (found by fuzzing); the value is CS, at most 16 bytes.
constexpr std::uint32_t kDirectoryRecordType = 0x00041430;
constexpr std::uint32_t kMaxDirectoryRecordType = 16;

struct Syntax {
  bool explicitVr = true;
  bool bigEndian = false;
};
constexpr Syntax kImplicitLittle{false, false};

std::string tagText(std::uint32_t tag) {
  char text[16];
  std::snprintf(text, sizeof text, "(%04X,%04X)", tag >> 16, tag & 0xFFFF);
  return text;
}

// Thrown with the offset where the problem was seen.
struct Problem {
  std::string what;
  std::uint64_t offset;
};

// Reads through a ScanInput with room to put back one tag (the meta ends at the first tag
// of another group, and an Implicit VR value is peeked at for an item tag).
class Reader : public ScanInput {
 public:
  explicit Reader(ScanInput& in) : in_(in) {}
  std::size_t read(std::uint8_t* out, std::size_t n) override {
    std::size_t done = 0;
    while (done < n && backLength_ > 0) {
      out[done++] = back_[backStart_++];
      --backLength_;
    }
    return done + (done < n ? in_.read(out + done, n - done) : 0);
  }
  std::uint64_t skip(std::uint64_t n) override {
    std::uint64_t done = 0;
    while (done < n && backLength_ > 0) {
      ++backStart_;
      --backLength_;
      ++done;
    }
    return done + (done < n ? in_.skip(n - done) : 0);
  }
  void unread(const std::uint8_t* bytes, std::size_t n) {
    backStart_ = 0;
    backLength_ = n;
    std::copy(bytes, bytes + n, back_.begin());
  }
  std::uint64_t position() const override { return in_.position() - backLength_; }
  std::optional<std::uint64_t> remaining() const override {
    const auto left = in_.remaining();
    return left ? std::optional<std::uint64_t>(*left + backLength_) : std::nullopt;
  }

 private:
  ScanInput& in_;
  std::array<std::uint8_t, 8> back_{};
  std::size_t backStart_ = 0;
  std::size_t backLength_ = 0;
};

std::uint16_t u16(const std::uint8_t* p, bool big) {
  return big ? static_cast<std::uint16_t>(p[0] << 8 | p[1])
             : static_cast<std::uint16_t>(p[1] << 8 | p[0]);
}
std::uint32_t u32(const std::uint8_t* p, bool big) {
  return big ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
                p[3])
             : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 |
                p[0]);
}
std::uint32_t tagOf(const std::uint8_t* p, bool big) {
  return std::uint32_t{u16(p, big)} << 16 | u16(p + 2, big);
}

enum class VrKind { Unknown, Short, Long };

// PS3.5 7.1.2: which VRs have a 4-byte length after two reserved bytes.
VrKind vrKind(char a, char b) {
  static constexpr const char* kShort[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT",
                                           "FL", "FD", "IS", "LO", "LT", "PN", "SH",
                                           "SL", "SS", "ST", "TM", "UI", "UL", "US"};
  static constexpr const char* kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ",
                                          "SV", "UC", "UN", "UR", "UT", "UV"};
  for (const char* vr : kShort)
    if (vr[0] == a && vr[1] == b) return VrKind::Short;
  for (const char* vr : kLong)
    if (vr[0] == a && vr[1] == b) return VrKind::Long;
  return VrKind::Unknown;
}

bool isPixelSequenceTag(std::uint32_t tag) {
  // Pixel Data, and Overlay Data (60xx,3000), which DCMTK reads the same way.
  return tag == kPixelData || ((tag >> 16 & 0xFFE1) == 0x6000 && (tag & 0xFFFF) == 0x3000);
}

bool dictionarySaysSequence(std::uint32_t tag) {
  const DcmTag known(static_cast<Uint16>(tag >> 16), static_cast<Uint16>(tag & 0xFFFF));
  return known.getEVR() == EVR_SQ;
}

struct Frame {
  enum class Kind { Sequence, Item, Fragments } kind;
  std::uint32_t tag;    // the sequence's tag (an item's: its sequence's)
  bool defined;         // has a defined length ending at end
  std::uint64_t end;    // when defined
  std::uint64_t bound;  // nearest end of this or an enclosing defined-length container
  Syntax syntax;        // of the elements inside
};

constexpr std::uint64_t kNoBound = ~std::uint64_t{0};

class Walk {
 public:
  Walk(Reader& in, Syntax syntax, const ScanLimits& limits, bool metaOnly)
      : in_(in), base_(syntax), limits_(limits), metaOnly_(metaOnly) {}

  // Walks to the end of the input (or, for the File Meta, to its end as DCMTK finds it).
  void run();
  const std::string& transferSyntaxUid() const { return transferSyntax_; }

 private:
  [[noreturn]] void fail(const std::string& what, std::uint64_t at) { throw Problem{what, at}; }
  std::string containerName(const Frame& f) const {
    return f.kind == Frame::Kind::Item ? "item of " + tagText(f.tag) : "sequence " + tagText(f.tag);
  }
  static const char* containerKind(const Frame& f) {
    return f.kind == Frame::Kind::Item ? "item" : "sequence";
  }
  std::uint64_t bound() const { return stack_.empty() ? kNoBound : stack_.back().bound; }
  void readExact(std::uint8_t* out, std::size_t n, std::uint64_t elementStart, std::uint32_t tag);
  void checkFits(std::uint32_t tag, std::uint64_t length, std::uint64_t valueStart,
                 std::uint64_t elementStart, const char* what);
  void push(Frame::Kind kind, std::uint32_t tag, std::uint32_t length, std::uint64_t valueStart,
            Syntax syntax, std::uint64_t elementStart);
  void skipValue(std::uint32_t tag, std::uint32_t length, std::uint64_t elementStart);
  void inSequence(const Frame& top, std::uint32_t tag, std::uint64_t at);
  void inFragments(std::uint32_t tag, std::uint64_t at);
  bool element(std::uint32_t tag, const std::uint8_t* tagBytes, std::uint64_t at);

  Reader& in_;
  Syntax base_;
  const ScanLimits& limits_;
  bool metaOnly_;
  std::vector<Frame> stack_;
  int depth_ = 0;  // sequences open
  std::string transferSyntax_;
  bool transferSyntaxSeen_ = false;
  std::uint64_t metaStart_ = in_.position();
  std::optional<std::uint64_t> metaEnd_;
};

void Walk::readExact(std::uint8_t* out, std::size_t n, std::uint64_t elementStart,
                     std::uint32_t tag) {
  const std::uint64_t at = in_.position();
  if (bound() != kNoBound && at + n > bound()) {
    fail("header of " + tagText(tag) + " overruns its " + containerKind(stack_.back()),
         elementStart);
  }
  if (in_.read(out, n) != n) {
    fail("data set ends inside the header of element " + tagText(tag), elementStart);
  }
}

void Walk::checkFits(std::uint32_t tag, std::uint64_t length, std::uint64_t valueStart,
                     std::uint64_t elementStart, const char* what) {
  if (bound() != kNoBound && valueStart + length > bound()) {
    fail(std::string(what) + " " + tagText(tag) + " of " + std::to_string(length) +
             " bytes overruns its " + containerKind(stack_.back()),
         elementStart);
  }
  const auto left = in_.remaining();
  if (left && length > *left) {
    fail(std::string(what) + " " + tagText(tag) + " declares " + std::to_string(length) +
             " bytes but only " + std::to_string(*left) + " follow",
         elementStart);
  }
}

void Walk::push(Frame::Kind kind, std::uint32_t tag, std::uint32_t length, std::uint64_t valueStart,
                Syntax syntax, std::uint64_t elementStart) {
  if (kind == Frame::Kind::Sequence && ++depth_ > limits_.maxNestingDepth) {
    fail("sequences nested deeper than " + std::to_string(limits_.maxNestingDepth) + " levels at " +
             tagText(tag),
         elementStart);
  }
  Frame f{kind, tag, length != kUndefined, 0, bound(), syntax};
  if (f.defined) {
    checkFits(tag, length, valueStart, elementStart,
              kind == Frame::Kind::Item ? "item of" : "sequence");
    f.end = valueStart + length;
    f.bound = f.end;
  }
  stack_.push_back(f);
}

void Walk::skipValue(std::uint32_t tag, std::uint32_t length, std::uint64_t elementStart) {
  checkFits(tag, length, in_.position(), elementStart, "element");
  const std::uint64_t skipped = in_.skip(length);
  if (skipped != length) {
    fail("element " + tagText(tag) + " declares " + std::to_string(length) + " bytes but only " +
             std::to_string(skipped) + " follow",
         elementStart);
  }
}

// Inside a sequence only items and the sequence delimiter may come.
void Walk::inSequence(const Frame& top, std::uint32_t tag, std::uint64_t at) {
  std::uint8_t lengthBytes[4];
  readExact(lengthBytes, 4, at, tag);
  const std::uint32_t length = u32(lengthBytes, top.syntax.bigEndian);
  if (tag == kItem) {
    push(Frame::Kind::Item, top.tag, length, in_.position(), top.syntax, at);
  } else if (tag == kSequenceEnd) {
    if (top.defined) {
      fail("sequence delimiter inside the defined-length sequence " + tagText(top.tag), at);
    }
    stack_.pop_back();
    --depth_;
  } else {
    fail(tagText(tag) + " found where an item of " + tagText(top.tag) + " must begin", at);
  }
}

// Encapsulated Pixel Data: fragments of defined length, then the sequence delimiter.
void Walk::inFragments(std::uint32_t tag, std::uint64_t at) {
  std::uint8_t lengthBytes[4];
  readExact(lengthBytes, 4, at, tag);
  const std::uint32_t length = u32(lengthBytes, false);
  if (tag == kItem) {
    if (length == kUndefined) fail("Pixel Data fragment without a defined length", at);
    checkFits(tag, length, in_.position(), at, "fragment");
    if (in_.skip(length) != length) fail("Pixel Data fragment is cut short", at);
  } else if (tag == kSequenceEnd) {
    stack_.pop_back();
  } else {
    fail(tagText(tag) + " found inside encapsulated Pixel Data", at);
  }
}

// One element of a data set or item. Returns false when the File Meta has ended.
bool Walk::element(std::uint32_t tag, const std::uint8_t* tagBytes, std::uint64_t at) {
  const Syntax syntax = stack_.empty() ? base_ : stack_.back().syntax;
  if (tag >> 16 == 0xFFFE) {
    std::uint8_t lengthBytes[4];
    readExact(lengthBytes, 4, at, tag);
    if (tag == kItemEnd && !stack_.empty() && !stack_.back().defined) {
      stack_.pop_back();
      return true;
    }
    if (tag == kItemEnd) {
      fail(stack_.empty()
               ? "item delimiter outside any item"
               : "item delimiter inside a defined-length item of " + tagText(stack_.back().tag),
           at);
    }
    if (tag == kSequenceEnd && !stack_.empty()) {
      fail("item of " + tagText(stack_.back().tag) + " is not closed by its delimiter", at);
    }
    fail(tagText(tag) + " found where an element must begin", at);
  }
  // The File Meta ends where DCMTK ends it: after the bytes its group length counts, or, without
  // one, at the first tag of another group. Walking on to the first other tag instead read a
  // peer's group 0002 elements at the start of its data set as ours.
  if (metaOnly_ && stack_.empty() && (metaEnd_ ? at >= *metaEnd_ : tag >> 16 != 0x0002)) {
    in_.unread(tagBytes, 4);
    return false;
  }

  std::uint32_t length = 0;
  bool longLength = true;
  char vr[2] = {0, 0};
  if (syntax.explicitVr) {
    std::uint8_t vrBytes[4];
    readExact(vrBytes, 4, at, tag);
    vr[0] = static_cast<char>(vrBytes[0]);
    vr[1] = static_cast<char>(vrBytes[1]);
    const VrKind kind = vrKind(vr[0], vr[1]);
    if (kind == VrKind::Unknown) {
      fail("element " + tagText(tag) + " has no valid VR", at);
    } else if (kind == VrKind::Short) {
      longLength = false;
      length = u16(vrBytes + 2, syntax.bigEndian);
    } else {
      std::uint8_t lengthBytes[4];
      readExact(lengthBytes, 4, at, tag);
      length = u32(lengthBytes, syntax.bigEndian);
    }
  } else {
    std::uint8_t lengthBytes[4];
    readExact(lengthBytes, 4, at, tag);
    length = u32(lengthBytes, syntax.bigEndian);
  }
  const std::uint64_t valueStart = in_.position();
  const std::string vrText(vr, 2);
  if (tag == kDirectoryRecordType && length > kMaxDirectoryRecordType) {
    fail("Directory Record Type (0004,1430) is longer than 16 bytes", at);
  }

  if (longLength && length == kUndefined) {
    if (!syntax.explicitVr) {
      push(isPixelSequenceTag(tag) ? Frame::Kind::Fragments : Frame::Kind::Sequence, tag, length,
           valueStart, syntax, at);
    } else if (vrText == "SQ") {
      push(Frame::Kind::Sequence, tag, length, valueStart, syntax, at);
    } else if (vrText == "UN") {
      push(Frame::Kind::Sequence, tag, length, valueStart, kImplicitLittle, at);
    } else if ((vrText == "OB" || vrText == "OW") && isPixelSequenceTag(tag)) {
      push(Frame::Kind::Fragments, tag, length, valueStart, syntax, at);
    } else if (vrText == "OB" || vrText == "OW") {
      push(Frame::Kind::Sequence, tag, length, valueStart, syntax, at);
    } else {
      fail("element " + tagText(tag) + " (" + vrText + ") has an undefined length", at);
    }
    return true;
  }

  if (syntax.explicitVr && vrText == "SQ") {
    push(Frame::Kind::Sequence, tag, length, valueStart, syntax, at);
    return true;
  }
  if (!syntax.explicitVr && length >= 8 && !isPixelSequenceTag(tag)) {
    bool sequence = dictionarySaysSequence(tag);
    if (!sequence && (tag & 0x00010000) != 0) {
      // A private element: its VR is not known here, but a value that begins with an item
      // tag is a sequence to DCMTK when its private dictionary says so.
      checkFits(tag, length, valueStart, at, "element");
      std::uint8_t first[4];
      if (in_.read(first, 4) != 4) fail("data set ends inside element " + tagText(tag), at);
      in_.unread(first, 4);
      sequence = tagOf(first, syntax.bigEndian) == kItem;
    }
    if (sequence) {
      push(Frame::Kind::Sequence, tag, length, valueStart, syntax, at);
      return true;
    }
  }
  if (metaOnly_ && tag == kMetaGroupLength && stack_.empty() && at == metaStart_ &&
      vrText == "UL" && length == 4) {
    std::uint8_t value[4];
    readExact(value, 4, at, tag);
    metaEnd_ = valueStart + 4 + u32(value, false);
    return true;
  }
  if (metaOnly_ && tag == kTransferSyntaxUid && stack_.empty()) {
    // DCMTK keeps the first of two and would inflate what this walk read as plain bytes, or the
    // reverse: a deflated value it cannot defer is allocated at whatever length it finds there.
    if (transferSyntaxSeen_) fail("File Meta has a second Transfer Syntax UID", at);
    transferSyntaxSeen_ = true;
  }
  if (metaOnly_ && tag == kTransferSyntaxUid && stack_.empty() && length <= 256) {
    checkFits(tag, length, valueStart, at, "element");
    std::string value(length, '\0');
    if (in_.read(reinterpret_cast<std::uint8_t*>(value.data()), length) != length) {
      fail("element " + tagText(tag) + " is cut short", at);
    }
    while (!value.empty() && (value.back() == '\0' || value.back() == ' ')) value.pop_back();
    transferSyntax_ = value;
    return true;
  }
  skipValue(tag, length, at);
  return true;
}

void Walk::run() {
  for (;;) {
    const std::uint64_t at = in_.position();
    while (!stack_.empty() && stack_.back().defined && at >= stack_.back().end) {
      if (stack_.back().kind == Frame::Kind::Sequence) --depth_;
      stack_.pop_back();
    }
    if (!stack_.empty() && at >= stack_.back().bound) {
      const Frame& top = stack_.back();
      fail(containerName(top) + " is not closed before its container ends", at);
    }
    std::uint8_t tagBytes[4];
    const std::size_t got = in_.read(tagBytes, 4);
    if (got == 0) {
      if (!stack_.empty()) {
        const Frame& top = stack_.back();
        fail(top.kind == Frame::Kind::Fragments
                 ? std::string("Pixel Data fragments are not closed before the end")
                 : containerName(top) + " is not closed before the data set ends",
             at);
      }
      return;
    }
    if (got < 4) fail("data set ends inside an element header", at);
    const bool big = stack_.empty() ? base_.bigEndian : stack_.back().syntax.bigEndian;
    const std::uint32_t tag = tagOf(tagBytes, big);
    if (!stack_.empty() && stack_.back().kind == Frame::Kind::Sequence) {
      inSequence(stack_.back(), tag, at);
    } else if (!stack_.empty() && stack_.back().kind == Frame::Kind::Fragments) {
      inFragments(tag, at);
    } else if (!element(tag, tagBytes, at)) {
      return;
    }
  }
}

Syntax syntaxOf(DatasetEncoding encoding) {
  switch (encoding) {
    case DatasetEncoding::ImplicitLittle:
      return {false, false};
    case DatasetEncoding::ExplicitBig:
      return {true, true};
    default:
      return {true, false};
  }
}

DatasetScan problemAt(const std::string& what, std::uint64_t offset, bool inflated,
                      DatasetScan scan) {
  scan.problem = ScanProblem{what, offset, inflated};
  return scan;
}

// The data set from where `in` stands to its end. Offsets are those of `in`, or of the
// inflated stream for a deflated data set.
DatasetScan walkDataset(ScanInput& in, DatasetEncoding encoding, const ScanLimits& limits,
                        DatasetScan scan) {
  if (encoding == DatasetEncoding::DeflatedExplicitLittle) {
    std::optional<scan::InflatingInput> inflating;
    try {
      inflating.emplace(in, limits.maxInflatedBytes);
      Reader reader(*inflating);
      Walk(reader, syntaxOf(encoding), limits, false).run();
    } catch (const Problem& p) {
      return problemAt(p.what, p.offset, true, scan);
    } catch (const ScanFailure& e) {
      return problemAt(e.what(), inflating ? inflating->position() : 0, true, scan);
    }
    return scan;
  }
  try {
    Reader reader(in);
    Walk(reader, syntaxOf(encoding), limits, false).run();
  } catch (const Problem& p) {
    return problemAt(p.what, p.offset, false, scan);
  }
  return scan;
}

DatasetScan walkPart10(ScanInput& in, const ScanLimits& limits) {
  DatasetScan scan;
  std::uint8_t preamble[132];
  if (in.read(preamble, sizeof preamble) != sizeof preamble ||
      std::string_view(reinterpret_cast<const char*>(preamble + 128), 4) != "DICM") {
    return problemAt("not a DICOM file: no \"DICM\" after the 128-byte preamble", 128, false, scan);
  }
  // The meta walk puts the first tag of the data set back into this reader, where the data
  // set walk picks it up.
  Reader reader(in);
  Walk meta(reader, syntaxOf(DatasetEncoding::ExplicitLittle), limits, true);
  try {
    meta.run();
  } catch (const Problem& p) {
    return problemAt("File Meta: " + p.what, p.offset, false, scan);
  }
  scan.transferSyntaxUid = meta.transferSyntaxUid();
  scan.datasetOffset = reader.position();
  if (scan.transferSyntaxUid.empty()) {
    return problemAt("File Meta has no Transfer Syntax UID", scan.datasetOffset, false, scan);
  }
  return walkDataset(reader, datasetEncodingOf(scan.transferSyntaxUid), limits, scan);
}

}  // namespace

DatasetEncoding datasetEncodingOf(std::string_view uid) {
  if (uid == "1.2.840.10008.1.2") return DatasetEncoding::ImplicitLittle;
  if (uid == "1.2.840.10008.1.2.2") return DatasetEncoding::ExplicitBig;
  // Deflated Explicit VR LE, and JPIP Referenced Deflate.
  if (uid == "1.2.840.10008.1.2.1.99" || uid == "1.2.840.10008.1.2.4.95") {
    return DatasetEncoding::DeflatedExplicitLittle;
  }
  return DatasetEncoding::ExplicitLittle;
}

std::string ScanProblem::describe() const {
  return what + (inflated ? " (at byte " + std::to_string(offset) + " of the inflated data set)"
                          : " (at byte " + std::to_string(offset) + ")");
}

DatasetScan scanDataset(std::span<const std::uint8_t> bytes, DatasetEncoding encoding,
                        const ScanLimits& limits) {
  scan::MemoryInput in(bytes);
  return walkDataset(in, encoding, limits, {});
}

DatasetScan scanPart10(std::span<const std::uint8_t> bytes, const ScanLimits& limits) {
  scan::MemoryInput in(bytes);
  return walkPart10(in, limits);
}

DatasetScan scanPart10File(const std::filesystem::path& file, const ScanLimits& limits) {
  scan::FileInput in(file);
  return walkPart10(in, limits);
}

}  // namespace burnstation::store
