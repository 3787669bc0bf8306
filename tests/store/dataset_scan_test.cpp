// The data set scanner on crafted byte strings, one table row per kind of damage and per
// encoding, and on real instances from the test factory in every transfer syntax.
#include "burnstation/store/dataset_scan.h"

#include "burnstation/store/instance_header.h"
#include "burnstation/store/store_error.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

using store::DatasetEncoding;
using store::ScanLimits;
using Bytes = std::string;

// --- Encoders for hand-made element streams -------------------------------------------------

void put16(Bytes& b, std::uint16_t v, bool big) {
  if (big) {
    b.push_back(static_cast<char>(v >> 8));
    b.push_back(static_cast<char>(v));
  } else {
    b.push_back(static_cast<char>(v));
    b.push_back(static_cast<char>(v >> 8));
  }
}
void put32(Bytes& b, std::uint32_t v, bool big) {
  put16(b, static_cast<std::uint16_t>(big ? v >> 16 : v), big);
  put16(b, static_cast<std::uint16_t>(big ? v : v >> 16), big);
}
void putTag(Bytes& b, std::uint32_t tag, bool big) {
  put16(b, static_cast<std::uint16_t>(tag >> 16), big);
  put16(b, static_cast<std::uint16_t>(tag), big);
}

bool longVr(const std::string& vr) {
  for (const char* v :
       {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"})
    if (vr == v) return true;
  return false;
}

// An explicit VR element header with the given declared length.
Bytes header(std::uint32_t tag, const std::string& vr, std::uint32_t length, bool big = false) {
  Bytes b;
  putTag(b, tag, big);
  b += vr;
  if (longVr(vr)) {
    put16(b, 0, big);
    put32(b, length, big);
  } else {
    put16(b, static_cast<std::uint16_t>(length), big);
  }
  return b;
}
Bytes el(std::uint32_t tag, const std::string& vr, const Bytes& value, bool big = false) {
  return header(tag, vr, static_cast<std::uint32_t>(value.size()), big) + value;
}
Bytes implicitEl(std::uint32_t tag, const Bytes& value) {
  Bytes b;
  putTag(b, tag, false);
  put32(b, static_cast<std::uint32_t>(value.size()), false);
  return b + value;
}
Bytes delimiter(std::uint32_t tag, std::uint32_t length = 0, bool big = false) {
  Bytes b;
  putTag(b, tag, big);
  put32(b, length, big);
  return b;
}
constexpr std::uint32_t kItem = 0xFFFEE000, kItemEnd = 0xFFFEE00D, kSeqEnd = 0xFFFEE0DD;
constexpr std::uint32_t kRefSeries = 0x00081115, kPixelData = 0x7FE00010;
constexpr std::uint32_t kUndefined = 0xFFFFFFFF;

Bytes basics(bool big = false) {
  return el(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7", big) +
         el(0x00080018, "UI", "1.2.3.4.5.6.7.8", big) + el(0x00100010, "PN", "TEST^SCAN ", big);
}

// Sequences of undefined length nested `depth` deep, with one element in the innermost item.
Bytes nested(int depth, bool big = false) {
  Bytes open, close;
  for (int i = 0; i < depth; ++i) {
    open += header(kRefSeries, "SQ", kUndefined, big) + delimiter(kItem, kUndefined, big);
    close += delimiter(kItemEnd, 0, big) + delimiter(kSeqEnd, 0, big);
  }
  return basics(big) + open + el(0x00080100, "SH", "CODE01", big) + close;
}

// The same with defined lengths, in Implicit VR (the dictionary says (0008,1115) is SQ).
Bytes nestedImplicitDefined(int depth) {
  Bytes inner = implicitEl(0x00080100, "CODE01");
  for (int i = 0; i < depth; ++i) inner = implicitEl(kRefSeries, implicitEl(kItem, inner));
  return implicitEl(0x00080016, "1.2.840.10008.5.1.4.1.1.7") + inner;
}

Bytes rawDeflate(const Bytes& in, int level = 6) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes out(deflateBound(&z, in.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::span<const std::uint8_t> span(const Bytes& b) {
  return {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()};
}

// --- The table -------------------------------------------------------------------------------

struct Row {
  const char* name;
  Bytes bytes;
  DatasetEncoding encoding;
  const char* problem;  // empty: the scan must pass; else a part of the problem's text
  ScanLimits limits = {};
};

std::vector<Row> rows() {
  const auto E = DatasetEncoding::ExplicitLittle;
  const auto I = DatasetEncoding::ImplicitLittle;
  const auto B = DatasetEncoding::ExplicitBig;
  const Bytes pixels(1200, '\x11');
  const Bytes item =
      delimiter(kItem, kUndefined) + el(0x00081150, "UI", "1.2.3") + delimiter(kItemEnd);
  std::vector<Row> r;
  r.push_back({"explicit_le_plain", basics() + el(kPixelData, "OW", pixels), E, ""});
  r.push_back({"implicit_le_plain",
               implicitEl(0x00080016, "1.2.840.10008.5.1.4.1.1.7") + implicitEl(kPixelData, pixels),
               I, ""});
  r.push_back({"explicit_be_plain", basics(true) + el(kPixelData, "OW", pixels, true), B, ""});
  r.push_back({"explicit_be_truncated",
               basics(true) + header(kPixelData, "OW", 524288, true) + pixels, B,
               "element (7FE0,0010) declares 524288 bytes but only 1200 follow"});
  r.push_back({"truncated_pixel_data", basics() + header(kPixelData, "OW", 524288) + pixels, E,
               "element (7FE0,0010) declares 524288 bytes but only 1200 follow"});
  r.push_back({"declared_2_gb", basics() + header(kPixelData, "OB", 0x80000000u) + "abcd", E,
               "element (7FE0,0010) declares 2147483648 bytes but only 4 follow"});
  r.push_back({"declared_4_gb_minus_2", basics() + header(0x00091010, "OB", 0xFFFFFFFEu) + "ab", E,
               "element (0009,1010) declares 4294967294 bytes but only 2 follow"});
  r.push_back({"implicit_truncated", implicitEl(0x00080016, "1.2.3") + delimiter(0x00100010, 64), I,
               "element (0010,0010) declares 64 bytes but only 0 follow"});
  r.push_back({"short_header", basics() + Bytes("\x10\x00\x20", 3), E,
               "data set ends inside an element header"});
  r.push_back({"undefined_length_on_ut", basics() + header(0x00204000, "UT", kUndefined) + "ab", E,
               "element (0020,4000) (UT) has an undefined length"});
  r.push_back({"directory_record_type_too_long",
               basics() + header(0x00041220, "SQ", kUndefined) + delimiter(kItem, kUndefined) +
                   el(0x00041430, "CS", Bytes(40, 'A')) + delimiter(kItemEnd) + delimiter(kSeqEnd),
               E, "Directory Record Type (0004,1430) is longer than 16 bytes"});
  r.push_back({"directory_record_type_ok",
               basics() + header(0x00041220, "SQ", kUndefined) + delimiter(kItem, kUndefined) +
                   el(0x00041430, "CS", "SERIES") + delimiter(kItemEnd) + delimiter(kSeqEnd),
               E, ""});
  r.push_back({"invalid_vr", basics() + el(0x00204000, "ZZ", "ab"), E,
               "element (0020,4000) has no valid VR"});
  r.push_back({"sequence_undefined_closed",
               basics() + header(kRefSeries, "SQ", kUndefined) + item + item + delimiter(kSeqEnd),
               E, ""});
  r.push_back({"sequence_not_closed", basics() + header(kRefSeries, "SQ", kUndefined) + item, E,
               "sequence (0008,1115) is not closed before the data set ends"});
  r.push_back({"item_not_closed",
               basics() + header(kRefSeries, "SQ", kUndefined) + delimiter(kItem, kUndefined) +
                   el(0x00081150, "UI", "1.2.3"),
               E, "item of (0008,1115) is not closed before the data set ends"});
  r.push_back({"item_closed_by_sequence_delimiter",
               basics() + header(kRefSeries, "SQ", kUndefined) + delimiter(kItem, kUndefined) +
                   delimiter(kSeqEnd),
               E, "item of (0008,1115) is not closed by its delimiter"});
  r.push_back({"element_where_item_must_be",
               basics() + header(kRefSeries, "SQ", kUndefined) + el(0x00080010, "SH", "XX") +
                   delimiter(kSeqEnd),
               E, "(0008,0010) found where an item of (0008,1115) must begin"});
  r.push_back({"item_delimiter_at_top", basics() + delimiter(kItemEnd), E,
               "item delimiter outside any item"});
  r.push_back({"defined_item_past_sequence_end",
               basics() + header(kRefSeries, "SQ", 16) + delimiter(kItem, 40) +
                   el(0x00081150, "UI", "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16"),
               E, "item of (0008,1115) of 40 bytes overruns its sequence"});
  r.push_back(
      {"defined_sequence_with_defined_items",
       basics() + el(kRefSeries, "SQ", delimiter(kItem, 16) + el(0x00081150, "UI", "1.2.3.45")), E,
       ""});
  r.push_back({"un_undefined_holds_implicit_items",
               basics() + header(0x00091020, "UN", kUndefined) + delimiter(kItem, kUndefined) +
                   implicitEl(0x00091021, "ABCD") + delimiter(kItemEnd) + delimiter(kSeqEnd),
               E, ""});
  r.push_back({"nested_63", nested(63), E, ""});
  r.push_back({"nested_64", nested(64), E, ""});
  r.push_back(
      {"nested_65", nested(65), E, "sequences nested deeper than 64 levels at (0008,1115)"});
  r.push_back(
      {"nested_10000", nested(10000), E, "sequences nested deeper than 64 levels at (0008,1115)"});
  r.push_back({"nested_65_big_endian", nested(65, true), B,
               "sequences nested deeper than 64 levels at (0008,1115)"});
  r.push_back({"nested_implicit_defined_64", nestedImplicitDefined(64), I, ""});
  r.push_back({"nested_implicit_defined_65", nestedImplicitDefined(65), I,
               "sequences nested deeper than 64 levels at (0008,1115)"});
  r.push_back({"nested_limit_configurable", nested(4), E, "sequences nested deeper than 3 levels",
               ScanLimits{3, 1u << 30}});

  const Bytes offsets = delimiter(kItem, 0);
  const Bytes fragment = delimiter(kItem, 8) + "JPEGDATA";
  r.push_back({"encapsulated_ok",
               basics() + header(kPixelData, "OB", kUndefined) + offsets + fragment + fragment +
                   delimiter(kSeqEnd),
               E, ""});
  r.push_back({"encapsulated_fragment_undefined",
               basics() + header(kPixelData, "OB", kUndefined) + offsets +
                   delimiter(kItem, kUndefined) + "JPEG" + delimiter(kSeqEnd),
               E, "Pixel Data fragment without a defined length"});
  r.push_back({"encapsulated_fragment_truncated",
               basics() + header(kPixelData, "OB", kUndefined) + offsets +
                   delimiter(kItem, 100000) + "JPEG",
               E, "fragment (FFFE,E000) declares 100000 bytes but only 4 follow"});
  r.push_back({"encapsulated_not_closed",
               basics() + header(kPixelData, "OB", kUndefined) + offsets + fragment, E,
               "Pixel Data fragments are not closed before the end"});
  r.push_back({"encapsulated_foreign_tag",
               basics() + header(kPixelData, "OB", kUndefined) + offsets +
                   el(0x00080010, "SH", "XX") + delimiter(kSeqEnd),
               E, "(0008,0010) found inside encapsulated Pixel Data"});

  const Bytes good = basics() + el(kPixelData, "OW", pixels);
  r.push_back({"deflated_ok", rawDeflate(good), DatasetEncoding::DeflatedExplicitLittle, ""});
  r.push_back({"deflated_padded_with_nul", rawDeflate(good) + Bytes(1, '\0'),
               DatasetEncoding::DeflatedExplicitLittle, ""});
  const Bytes whole = rawDeflate(good);
  r.push_back({"deflated_stream_cut", whole.substr(0, whole.size() / 2),
               DatasetEncoding::DeflatedExplicitLittle,
               "deflated data set ends before its deflate stream does"});
  r.push_back({"deflated_truncated_value",
               rawDeflate(basics() + header(kPixelData, "OW", 524288) + pixels),
               DatasetEncoding::DeflatedExplicitLittle,
               "element (7FE0,0010) declares 524288 bytes but only 1200 follow"});
  r.push_back({"deflated_not_deflate", Bytes(64, '\xFF'), DatasetEncoding::DeflatedExplicitLittle,
               "deflated data set is corrupt"});
  r.push_back({"deflated_nested_10000", rawDeflate(nested(10000)),
               DatasetEncoding::DeflatedExplicitLittle,
               "sequences nested deeper than 64 levels at (0008,1115)"});
  return r;
}

void PrintTo(const Row& r, std::ostream* os) {
  *os << r.name;
}

class DatasetScanTable : public testing::TestWithParam<Row> {};

TEST_P(DatasetScanTable, FindsTheFirstProblemOrNone) {
  const Row& row = GetParam();
  const auto scan = store::scanDataset(span(row.bytes), row.encoding, row.limits);
  if (std::string(row.problem).empty()) {
    EXPECT_TRUE(scan.ok()) << scan.problem->describe();
  } else {
    ASSERT_FALSE(scan.ok()) << "expected: " << row.problem;
    EXPECT_NE(scan.problem->what.find(row.problem), std::string::npos) << scan.problem->describe();
    EXPECT_LE(scan.problem->what.size(), 64u) << scan.problem->what;
    EXPECT_NE(scan.problem->describe().find("at byte"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, DatasetScanTable, testing::ValuesIn(rows()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(DatasetScan, ReportsTheOffsetOfTheBadElement) {
  const Bytes front = basics();
  const Bytes bytes = front + header(kPixelData, "OW", 524288) + Bytes(1200, 'x');
  const auto scan = store::scanDataset(span(bytes), DatasetEncoding::ExplicitLittle);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.problem->offset, front.size());
  EXPECT_EQ(scan.problem->describe(),
            "element (7FE0,0010) declares 524288 bytes but only 1200 follow (at byte " +
                std::to_string(front.size()) + ")");
}

TEST(DatasetScan, TenThousandLevelsAreWalkedWithoutRecursion) {
  const Bytes bytes = nested(10000);
  const auto scan = store::scanDataset(span(bytes), DatasetEncoding::ExplicitLittle,
                                       ScanLimits{1000000, 1u << 30});
  // Even with the limit out of the way, the walk is iterative: no stack overflow here.
  EXPECT_TRUE(scan.ok()) << scan.problem->describe();
}

// A deflate bomb: 128 MB of zeros in one value, about 128 KB on the wire.
TEST(DatasetScan, DeflateBombIsBoundedByItsInflatedSize) {
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  const std::uint32_t valueBytes = 128u << 20;
  const Bytes head = basics() + header(0x00091010, "OB", valueBytes);
  Bytes out(1 << 20, '\0');
  Bytes compressed;
  const Bytes zeros(1 << 20, '\0');
  auto pump = [&](const Bytes& in, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      deflate(&z, flush);
      compressed.append(out.data(), out.size() - z.avail_out);
    } while (z.avail_out == 0);
  };
  pump(head, Z_NO_FLUSH);
  for (std::uint32_t i = 0; i < (valueBytes >> 20); ++i) pump(zeros, Z_NO_FLUSH);
  pump(Bytes(), Z_FINISH);
  deflateEnd(&z);
  ASSERT_LT(compressed.size(), 1u << 20);

  const auto bounded = store::scanDataset(span(compressed), DatasetEncoding::DeflatedExplicitLittle,
                                          ScanLimits{64, 16u << 20});
  ASSERT_FALSE(bounded.ok());
  EXPECT_EQ(bounded.problem->what, "deflated data set inflates beyond 16 MiB");
  // Under the default bound (1 GiB) the same stream is a valid data set.
  EXPECT_TRUE(store::scanDataset(span(compressed), DatasetEncoding::DeflatedExplicitLittle).ok());
}

TEST(DatasetScan, TransferSyntaxesMapToTheirEncodings) {
  EXPECT_EQ(store::datasetEncodingOf(UID_LittleEndianImplicitTransferSyntax),
            DatasetEncoding::ImplicitLittle);
  EXPECT_EQ(store::datasetEncodingOf(UID_BigEndianExplicitTransferSyntax),
            DatasetEncoding::ExplicitBig);
  EXPECT_EQ(store::datasetEncodingOf(UID_DeflatedExplicitVRLittleEndianTransferSyntax),
            DatasetEncoding::DeflatedExplicitLittle);
  EXPECT_EQ(store::datasetEncodingOf(UID_JPEGProcess14SV1TransferSyntax),
            DatasetEncoding::ExplicitLittle);
}

// --- Part-10 files ----------------------------------------------------------------------------

Bytes fileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(DatasetScan, RealInstancesPassInEveryTransferSyntax) {
  harness::TempDir dir;
  using testdata::Kind;
  std::vector<testdata::InstanceSpec> specs;
  for (Kind k : {Kind::CT, Kind::MR, Kind::USMultiframe, Kind::SR, Kind::KOS, Kind::GSPS,
                 Kind::EncapsulatedPDF, Kind::PrivateClass}) {
    testdata::InstanceSpec s;
    s.kind = k;
    s.privateTags = true;
    specs.push_back(s);
  }
  for (const char* ts :
       {UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
        UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_JPEGProcess14SV1TransferSyntax,
        UID_JPEGLSLosslessTransferSyntax, UID_RLELosslessTransferSyntax,
        UID_JPEG2000LosslessOnlyTransferSyntax}) {
    testdata::InstanceSpec s;
    s.transferSyntax = ts;
    s.privateTags = true;
    specs.push_back(s);
  }
  for (const auto& spec : specs) {
    const auto file = testdata::writeInstance(spec, dir.path());
    const auto scan = store::scanPart10File(file);
    EXPECT_TRUE(scan.ok()) << spec.transferSyntax << ": " << scan.problem->describe();
    EXPECT_EQ(scan.transferSyntaxUid, spec.transferSyntax);
    // The same bytes in memory give the same answer.
    EXPECT_TRUE(store::scanPart10(span(fileBytes(file))).ok()) << file;
    // Cut inside their last element (inside the deflate stream when deflated), they fail.
    // A cut exactly between two elements leaves a shorter valid data set: no scan can tell.
    const Bytes all = fileBytes(file);
    const bool deflated = spec.transferSyntax == UID_DeflatedExplicitVRLittleEndianTransferSyntax;
    const Bytes cut = all.substr(
        0, deflated ? scan.datasetOffset + (all.size() - scan.datasetOffset) / 2 : all.size() - 1);
    EXPECT_FALSE(store::scanPart10(span(cut)).ok())
        << spec.transferSyntax << " cut at " << cut.size();
  }
}

TEST(DatasetScan, Part10FilesNeedTheirMarkerAndAReadableFileMeta) {
  harness::TempDir dir;
  const auto file = testdata::writeInstance({}, dir.path());
  const Bytes all = fileBytes(file);

  Bytes noMarker = all;
  noMarker[128] = 'X';
  auto scan = store::scanPart10(span(noMarker));
  ASSERT_FALSE(scan.ok());
  EXPECT_NE(scan.problem->what.find("not a DICOM file"), std::string::npos);

  // The File Meta group length element is at 132; break the next element's length.
  Bytes badMeta = all;
  badMeta[144 + 11] = '\x7F';  // (0002,0001) OB: its length's high byte
  scan = store::scanPart10(span(badMeta));
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.problem->what.rfind("File Meta: ", 0), 0u) << scan.problem->describe();

  EXPECT_FALSE(store::scanPart10(span(all.substr(0, 100))).ok());
  EXPECT_THROW(store::scanPart10File(dir.path() / "absent.dcm"), std::exception);
}

TEST(DatasetScan, OffsetsInFilesCountFromTheFileStart) {
  harness::TempDir dir;
  const auto file = dir.path() / "cut.dcm";
  testdata::writeRawDatasetFile(file, UID_SecondaryCaptureImageStorage, "1.2.3.4",
                                UID_LittleEndianExplicitTransferSyntax,
                                basics() + header(kPixelData, "OW", 524288) + Bytes(1200, 'x'));
  const auto scan = store::scanPart10File(file);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.problem->offset, scan.datasetOffset + basics().size());
}

// Found by fuzzing (CI, issue 11): a File Meta naming two transfer syntaxes. DCMTK keeps the
// first (deflated) and inflates the data set; the scan used to keep the last (explicit) and
// walked the same bytes as plain elements. These bytes are both: a valid explicit element
// whose first five bytes are a stored deflate block, inflating to an element that declares
// 2.4 GB, which DCMTK allocates before reading since it cannot defer a deflated value.
TEST(DatasetScan, FileMetaWithTwoTransferSyntaxesIsRefused) {
  const auto part10 = [](const std::vector<Bytes>& syntaxes, const Bytes& data) {
    Bytes meta = el(0x00020001, "OB", Bytes("\0\1", 2)) +
                 el(0x00020002, "UI", Bytes("1.2.840.10008.5.1.4.1.1.7\0", 26)) +
                 el(0x00020003, "UI", Bytes("1.2.3.4\0", 8));
    for (const Bytes& uid : syntaxes) meta += el(0x00020010, "UI", uid);
    Bytes groupLength;
    put32(groupLength, static_cast<std::uint32_t>(meta.size()), false);
    return Bytes(128, '\0') + "DICM" + el(0x00020000, "UL", groupLength) + meta + data;
  };
  const Bytes deflated("1.2.840.10008.1.2.1.99", 22), explicitLittle("1.2.840.10008.1.2.1\0", 20);

  const std::uint16_t storedLength = 0xAA08;  // its complement's high byte is 'U'
  const std::uint16_t complement = static_cast<std::uint16_t>(~storedLength);
  Bytes first{'\x01',
              static_cast<char>(storedLength & 0xFF),
              static_cast<char>(storedLength >> 8),
              static_cast<char>(complement & 0xFF),
              static_cast<char>(complement >> 8),
              'S'};
  ASSERT_EQ(first[4], 'U');  // the element is (0801,F7AA) US, 16 bytes
  put16(first, 16, false);
  Bytes inflatedHeader = Bytes(1, '\0') + "OB" + Bytes(2, '\0');
  put32(inflatedHeader, 0x90000000u, false);
  const Bytes data = first + inflatedHeader + Bytes(7, '\0') + basics();
  ASSERT_TRUE(store::scanDataset(span(data), DatasetEncoding::ExplicitLittle).ok());

  const auto scan = store::scanPart10(span(part10({deflated, explicitLittle}, data)));
  ASSERT_FALSE(scan.ok());
  EXPECT_NE(scan.problem->what.find("second Transfer Syntax UID"), std::string::npos)
      << scan.problem->describe();

  // With one transfer syntax the scan reads the bytes as DCMTK does: plain, they pass; inflated,
  // they are refused before DCMTK sees them.
  EXPECT_TRUE(store::scanPart10(span(part10({explicitLittle}, data))).ok());
  EXPECT_FALSE(store::scanPart10(span(part10({deflated}, data))).ok());
}

// The File Meta ends where its group length says, as in DCMTK: group 0002 elements a peer
// put at the start of its data set are the data set's, and do not change its encoding.
TEST(DatasetScan, FileMetaEndsWhereItsGroupLengthSays) {
  harness::TempDir dir;
  const auto file = dir.path() / "peer-meta.dcm";
  testdata::writeRawDatasetFile(
      file, UID_SecondaryCaptureImageStorage, "1.2.3.4.5.6.7.8",
      UID_LittleEndianExplicitTransferSyntax,
      el(0x00020010, "UI", Bytes("1.2.840.10008.1.2.1.99", 22)) + basics());
  const auto scan = store::scanPart10File(file);
  ASSERT_TRUE(scan.ok()) << scan.problem->describe();
  EXPECT_EQ(scan.transferSyntaxUid, UID_LittleEndianExplicitTransferSyntax);
  const auto header = store::readInstanceHeader(file);
  EXPECT_EQ(header.sopInstanceUid, "1.2.3.4.5.6.7.8");
  EXPECT_EQ(header.datasetOffset, scan.datasetOffset);
}

// What the scan refuses on DCMTK's behalf still must not escape the header parse as anything
// but a parse error (DCMTK 3.6.7 throws std::out_of_range here).
TEST(DatasetScan, DcmtkThrowingOnADirectoryRecordIsAParseError) {
  harness::TempDir dir;
  const auto file = dir.path() / "trap.dcm";
  testdata::writeRawDatasetFile(
      file, UID_SecondaryCaptureImageStorage, "1.2.3.4", UID_LittleEndianExplicitTransferSyntax,
      basics() + header(0x00041220, "SQ", kUndefined) + delimiter(kItem, kUndefined) +
          el(0x00041430, "CS", Bytes(40, 'A')) + delimiter(kItemEnd) + delimiter(kSeqEnd));
  EXPECT_FALSE(store::scanPart10File(file).ok());
  EXPECT_THROW(store::readInstanceHeader(file), store::StoreError);
}

}  // namespace
}  // namespace burnstation
