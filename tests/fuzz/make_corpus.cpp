// bs_make_fuzz_corpus OUTDIR: the seed corpus of the fuzz targets, made in code. Valid
// instances in every kind of encoding and valid DICOMDIRs (DCMTK's DicomDirInterface), and
// the nasty cases the scanner exists for: deep nesting, truncated Pixel Data, huge declared
// lengths, an unclosed sequence, a DICOMDIR whose record points at itself.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcddirif.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dicom_factory.h"
#include "raw_association.h"

namespace fs = std::filesystem;
using burnstation::testdata::InstanceSpec;
using burnstation::testdata::Kind;

namespace {

std::string le16(std::uint16_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) {
  return le16(static_cast<std::uint16_t>(v)) + le16(v >> 16);
}
std::string tag(std::uint32_t t) {
  return le16(static_cast<std::uint16_t>(t >> 16)) + le16(t & 0xFFFF);
}
std::string shortEl(std::uint32_t t, const char* vr, const std::string& v) {
  return tag(t) + vr + le16(static_cast<std::uint16_t>(v.size())) + v;
}
std::string longHeader(std::uint32_t t, const char* vr, std::uint32_t length) {
  return tag(t) + vr + le16(0) + le32(length);
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
void writeAll(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

InstanceSpec small(Kind kind, const char* ts) {
  InstanceSpec s;
  s.kind = kind;
  s.transferSyntax = ts;
  s.rows = 16;
  s.columns = 16;
  s.privateTags = true;
  return s;
}

void receiveCorpus(const fs::path& out, const fs::path& work) {
  int n = 0;
  auto keep = [&](const fs::path& made, const std::string& name) {
    fs::copy_file(made, out / (std::to_string(++n) + "-" + name + ".dcm"),
                  fs::copy_options::overwrite_existing);
  };
  const std::pair<const char*, const char*> syntaxes[] = {
      {UID_LittleEndianExplicitTransferSyntax, "explicit-le"},
      {UID_LittleEndianImplicitTransferSyntax, "implicit-le"},
      {UID_BigEndianExplicitTransferSyntax, "explicit-be"},
      {UID_DeflatedExplicitVRLittleEndianTransferSyntax, "deflated"},
      {UID_JPEGLSLosslessTransferSyntax, "jpeg-ls"},
      {UID_RLELosslessTransferSyntax, "rle"},
      {UID_JPEG2000LosslessOnlyTransferSyntax, "j2k"}};
  for (const auto& [ts, name] : syntaxes) keep(writeInstance(small(Kind::CT, ts), work), name);
  for (Kind k : {Kind::SR, Kind::KOS, Kind::GSPS, Kind::EncapsulatedPDF})
    keep(writeInstance(small(k, UID_LittleEndianExplicitTransferSyntax), work), "object");

  const std::string basics = shortEl(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7") +
                             shortEl(0x00080018, "UI", "1.2.3.4.5.6.7.8") +
                             shortEl(0x00100010, "PN", "FUZZ^SEED ");
  auto nasty = [&](const std::string& name, const std::string& dataset) {
    const fs::path file = work / (name + ".dcm");
    burnstation::testdata::writeRawDatasetFile(file, UID_SecondaryCaptureImageStorage,
                                               "1.2.3.4.5.6.7.8",
                                               UID_LittleEndianExplicitTransferSyntax, dataset);
    keep(file, name);
  };
  std::string open, close;
  for (int i = 0; i < 80; ++i) {
    open += longHeader(0x00081115, "SQ", 0xFFFFFFFF) + tag(0xFFFEE000) + le32(0xFFFFFFFF);
    close += tag(0xFFFEE00D) + le32(0) + tag(0xFFFEE0DD) + le32(0);
  }
  nasty("nested-80", basics + open + shortEl(0x00080100, "SH", "CODE01") + close);
  nasty("truncated-pixel-data",
        basics + longHeader(0x7FE00010, "OW", 524288) + std::string(64, 'p'));
  nasty("declared-2gb", basics + longHeader(0x7FE00010, "OB", 0x80000000u) + "abcd");
  nasty("declared-fffffffe", basics + longHeader(0x00091010, "OB", 0xFFFFFFFEu) + "ab");
  nasty("undefined-ut", basics + longHeader(0x00204000, "UT", 0xFFFFFFFF) + "ab");
  nasty("unclosed-sequence",
        basics + longHeader(0x00081115, "SQ", 0xFFFFFFFF) + tag(0xFFFEE000) + le32(0xFFFFFFFF));
  nasty("encapsulated", basics + longHeader(0x7FE00010, "OB", 0xFFFFFFFF) + tag(0xFFFEE000) +
                            le32(0) + tag(0xFFFEE000) + le32(4) + "JPEG" + tag(0xFFFEE0DD) +
                            le32(0));
}

void dicomdirCorpus(const fs::path& out, const fs::path& work) {
  const fs::path set = work / "set";
  fs::create_directories(set);
  const std::string study = burnstation::testdata::newUid();
  for (int i = 1; i <= 3; ++i) {
    InstanceSpec s = small(i == 3 ? Kind::SR : Kind::CT, UID_LittleEndianExplicitTransferSyntax);
    s.studyInstanceUid = study;
    s.instanceNumber = std::to_string(i);
    s.privateTags = false;
    fs::rename(writeInstance(s, set), set / ("IM00000" + std::to_string(i)));
  }
  DicomDirInterface ddir;
  ddir.disableConsistencyCheck(OFTrue);
  const std::string dicomdir = (set / "DICOMDIR").string();
  if (ddir.createNewDicomDir(DicomDirInterface::AP_GeneralPurpose, dicomdir.c_str(), "FUZZ").bad())
    throw std::runtime_error("cannot create a DICOMDIR");
  for (int i = 1; i <= 3; ++i) {
    const std::string name = "IM00000" + std::to_string(i);
    if (ddir.addDicomFile(name.c_str(), set.c_str()).bad())
      throw std::runtime_error("cannot add " + name);
  }
  if (ddir.writeDicomDir().bad()) throw std::runtime_error("cannot write the DICOMDIR");
  const std::string valid = readAll(dicomdir);
  writeAll(out / "1-valid", valid);

  // The first record's next-record offset pointing back at that record: a loop.
  const std::string firstTag = tag(0x00041200) + "UL" + le16(4);
  const std::size_t first = valid.find(firstTag);
  if (first != std::string::npos) {
    const std::string offset = valid.substr(first + firstTag.size(), 4);
    std::string looped = valid;
    const std::string nextTag = tag(0x00041400) + "UL" + le16(4);
    std::uint32_t at = 0;
    for (int i = 0; i < 4; ++i)
      at |= std::uint32_t(static_cast<unsigned char>(offset[i])) << (8 * i);
    const std::size_t next = valid.find(nextTag, at);
    if (next != std::string::npos) {
      looped.replace(next + nextTag.size(), 4, offset);
      writeAll(out / "2-record-loop", looped);
    }
    std::string lowerLoop = valid;
    const std::string lowerTag = tag(0x00041420) + "UL" + le16(4);
    const std::size_t lower = valid.find(lowerTag, at);
    if (lower != std::string::npos) {
      lowerLoop.replace(lower + lowerTag.size(), 4, offset);
      writeAll(out / "3-lower-loop", lowerLoop);
    }
  }
  writeAll(out / "4-truncated", valid.substr(0, valid.size() * 2 / 3));
}

}  // namespace

// What a peer sends first and then: requests well formed and not, and P-DATA-TF PDUs with
// command sets DCMTK may and may not parse.
void associationCorpus(const fs::path& out) {
  namespace raw = burnstation::rawdicom;
  const raw::AssociateRequest good;
  writeAll(out / "1-request", raw::encode(good));
  raw::AssociateRequest many;
  many.contexts.assign(128, raw::PresentationContext{});
  many.contexts[5].transferSyntaxes = {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.70"};
  writeAll(out / "2-request-128-contexts", raw::encode(many));
  writeAll(out / "3-nul-called-ae",
           raw::encodeWithRawAeFields(good, std::string(16, '\0'), "ATTACKER        "));
  std::string badLength = raw::encode(good);
  badLength[76] = char(0x7f);
  writeAll(out / "4-bad-item-length", badLength);
  writeAll(out / "5-echo-command", raw::pDataPdu(1, raw::echoCommand(), true, true));
  writeAll(out / "6-deep-command", raw::pDataPdu(1, raw::nestedSequences(500), true, true));
  writeAll(out / "7-data-fragment", raw::pDataPdu(1, raw::nestedSequences(50), false, false));
  writeAll(out / "8-http", "GET / HTTP/1.1\r\nHost: station\r\n\r\n");
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bs_make_fuzz_corpus OUTDIR\n");
    return 2;
  }
  try {
    const fs::path out = argv[1];
    const fs::path work = out / ".work";
    fs::create_directories(work);
    fs::create_directories(out / "receive");
    fs::create_directories(out / "dicomdir");
    fs::create_directories(out / "association");
    receiveCorpus(out / "receive", work);
    dicomdirCorpus(out / "dicomdir", work);
    associationCorpus(out / "association");
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bs_make_fuzz_corpus: %s\n", e.what());
    return 1;
  }
  return 0;
}
