// rewrapVideo on real streams: H.264 and MPEG-2 made by the ffmpeg CLI, wrapped in a Video
// Endoscopic object with DCMTK, re-wrapped, and read back by ffprobe/ffmpeg: same codec,
// same frames, the same packet bytes; broken input gives a readable VideoError and no file.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "burnstation/viewer_bundle/video_rewrap.h"
#include "station_harness.h"

namespace burnstation::viewer_bundle {
namespace {

namespace fs = std::filesystem;
using harness::runCommand;

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Two seconds of lavfi testsrc at 25 frames/s, 160x120: 50 frames.
constexpr int kFrames = 50;

fs::path encode(const fs::path& dir, const std::string& encoder, const std::string& format,
                const std::string& name) {
  const fs::path out = dir / name;
  const auto r = runCommand({"ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i",
                             "testsrc=size=160x120:rate=25:duration=2", "-c:v", encoder, "-pix_fmt",
                             "yuv420p", "-f", format, out.string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  return out;
}

// A Video Endoscopic Image (PS3.3 A.32.5) holding stream in fragments of fragmentSize bytes.
// Fragments have even length, so an odd stream ends with a padding zero inside the object;
// <file>.stream gets the stream exactly as the object holds it.
fs::path wrapInDicom(const fs::path& stream, const char* transferSyntax, const fs::path& file,
                     std::size_t fragmentSize = 4000) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  char uid[100];
  ds.putAndInsertString(DCM_SOPClassUID, UID_VideoEndoscopicImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid));
  ds.putAndInsertString(DCM_StudyInstanceUID, dcmGenerateUniqueIdentifier(uid));
  ds.putAndInsertString(DCM_SeriesInstanceUID, dcmGenerateUniqueIdentifier(uid));
  ds.putAndInsertString(DCM_PatientID, "VID-1");
  ds.putAndInsertString(DCM_PatientName, "VIDEO^TEST");
  ds.putAndInsertString(DCM_Modality, "ES");
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 3);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "YBR_PARTIAL_420");
  ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ds.putAndInsertUint16(DCM_Rows, 120);
  ds.putAndInsertUint16(DCM_Columns, 160);
  ds.putAndInsertUint16(DCM_BitsAllocated, 8);
  ds.putAndInsertUint16(DCM_BitsStored, 8);
  ds.putAndInsertUint16(DCM_HighBit, 7);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(kFrames).c_str());
  ds.putAndInsertString(DCM_FrameTime, "40");
  ds.putAndInsertTagKey(DCM_FrameIncrementPointer, DCM_FrameTime);
  ds.putAndInsertString(DCM_CineRate, "25");
  const std::string bytes = readAll(stream);
  std::string held;
  auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty Basic Offset Table
  for (std::size_t at = 0; at < bytes.size(); at += fragmentSize) {
    std::string piece = bytes.substr(at, fragmentSize);
    if (piece.size() % 2) piece.push_back('\0');
    held += piece;
    auto* item = new DcmPixelItem(DCM_PixelItemTag);
    item->putUint8Array(reinterpret_cast<const Uint8*>(piece.data()), piece.size());
    sequence->insert(item);
  }
  auto* pixels = new DcmPixelData(DCM_PixelData);
  const E_TransferSyntax xfer = DcmXfer(transferSyntax).getXfer();
  pixels->putOriginalRepresentation(xfer, nullptr, sequence);
  ds.insert(pixels);
  EXPECT_TRUE(ff.saveFile(file.c_str(), xfer).good());
  std::ofstream(file.string() + ".stream", std::ios::binary) << held;
  return file;
}

// One line per video packet: its size and md5, read by the ffmpeg CLI without decoding.
// With decode, the md5 of each decoded picture instead.
std::vector<std::string> packets(const fs::path& file, const std::vector<std::string>& bsf = {},
                                 const std::vector<std::string>& inputFormat = {},
                                 bool decode = false) {
  std::vector<std::string> args = {"ffmpeg", "-v", "error"};
  args.insert(args.end(), inputFormat.begin(), inputFormat.end());
  args.insert(args.end(), {"-i", file.string(), "-map", "0:v"});
  if (!decode) args.insert(args.end(), {"-c", "copy"});
  args.insert(args.end(), bsf.begin(), bsf.end());
  args.insert(args.end(), {"-f", "framemd5", "-"});
  const auto r = runCommand(args);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  std::vector<std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    // stream, dts, pts, duration, size, md5[, side data]: keep size and md5
    std::istringstream fields(line);
    std::string field, kept;
    for (int i = 0; i < 6 && std::getline(fields, field, ','); ++i) {
      if (i >= 4) kept += field;
    }
    out.push_back(kept);
  }
  return out;
}

std::string probe(const fs::path& file, const std::string& entries) {
  const auto r = runCommand({"ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                             "-show_entries", entries, "-of", "default=nw=1:nk=1", file.string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class VideoRewrap : public ::testing::Test {
 protected:
  harness::TempDir dir;

  void expectSameVideo(const fs::path& dcm, const fs::path& mp4, const std::string& codec,
                       const std::vector<std::string>& annexB,
                       const std::vector<std::string>& streamFormat = {}) {
    const fs::path stream = dcm.string() + ".stream";
    ASSERT_TRUE(fs::exists(mp4));
    EXPECT_EQ(probe(mp4, "stream=codec_name"), codec);
    EXPECT_EQ(probe(mp4, "stream=nb_read_packets"), std::to_string(kFrames));
    EXPECT_EQ(probe(mp4, "format=format_name").find("mp4") != std::string::npos, true);
    // 50 frames at 40 ms: 2 s (the object's Frame Time), within one frame.
    const double seconds = std::stod(probe(mp4, "format=duration"));
    EXPECT_NEAR(seconds, 2.0, 0.045);
    // Stream copy: every packet's bytes are the original's (H.264 is stored length-prefixed
    // in MP4; the bitstream filter gives back the start codes it had).
    if (streamFormat.empty()) {
      EXPECT_EQ(packets(mp4, annexB), packets(stream));
    } else {
      // Out of a transport stream the start codes are re-framed (4 bytes vs 3): the same
      // packets then decode to the same pictures, which a re-encoding would not give.
      EXPECT_EQ(packets(mp4, {}, {}, true), packets(stream, {}, streamFormat, true));
    }
    // The index is in front of the media data (movflags=+faststart).
    const std::string head = readAll(mp4).substr(0, 4096);
    EXPECT_LT(head.find("moov"), head.find("mdat"));
  }
};

TEST_F(VideoRewrap, H264IsCopiedPacketForPacket) {
  const fs::path stream = encode(dir.path(), "libx264", "h264", "clip.h264");
  const fs::path dcm =
      wrapInDicom(stream, UID_MPEG4HighProfileLevel4_1TransferSyntax, dir.path() / "video.dcm");
  const fs::path mp4 = dir.path() / "out" / "V0000001.MP4";
  fs::create_directories(mp4.parent_path());
  rewrapVideo(dcm, mp4);
  expectSameVideo(dcm, mp4, "h264", {"-bsf:v", "h264_mp4toannexb"});
  // Only the MP4 is left in the folder: the scratch stream is gone.
  EXPECT_EQ(std::distance(fs::directory_iterator(mp4.parent_path()), fs::directory_iterator()), 1);
}

// Some modalities encapsulate an MPEG-2 Transport Stream rather than the bare stream.
TEST_F(VideoRewrap, H264InATransportStreamIsCopiedNotReencoded) {
  const fs::path stream = encode(dir.path(), "libx264", "mpegts", "clip.ts");
  const fs::path dcm =
      wrapInDicom(stream, UID_MPEG4HighProfileLevel4_1TransferSyntax, dir.path() / "video.dcm");
  const fs::path mp4 = dir.path() / "V0000003.MP4";
  rewrapVideo(dcm, mp4);
  expectSameVideo(dcm, mp4, "h264", {"-bsf:v", "h264_mp4toannexb"}, {"-f", "mpegts"});
}

TEST_F(VideoRewrap, Mpeg2IsCopiedPacketForPacket) {
  const fs::path stream = encode(dir.path(), "mpeg2video", "mpeg2video", "clip.m2v");
  const fs::path dcm = wrapInDicom(stream, UID_MPEG2MainProfileAtMainLevelTransferSyntax,
                                   dir.path() / "video.dcm", 1000);
  const fs::path mp4 = dir.path() / "V0000002.MP4";
  rewrapVideo(dcm, mp4);
  expectSameVideo(dcm, mp4, "mpeg2video", {});
}

TEST_F(VideoRewrap, ReplacesAnOlderFileOnlyWhenComplete) {
  const fs::path stream = encode(dir.path(), "libx264", "h264", "clip.h264");
  const fs::path dcm =
      wrapInDicom(stream, UID_MPEG4HighProfileLevel4_1TransferSyntax, dir.path() / "video.dcm");
  const fs::path mp4 = dir.path() / "V.MP4";
  std::ofstream(mp4) << "old";
  rewrapVideo(dcm, mp4);
  EXPECT_EQ(probe(mp4, "stream=codec_name"), "h264");
}

TEST_F(VideoRewrap, GarbageStreamGivesAReasonAndNoFile) {
  const fs::path junk = dir.path() / "junk.bin";
  std::string bytes(20000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919) % 251);
  std::ofstream(junk, std::ios::binary) << bytes;
  const fs::path dcm =
      wrapInDicom(junk, UID_MPEG4HighProfileLevel4_1TransferSyntax, dir.path() / "junk.dcm");
  const fs::path mp4 = dir.path() / "out" / "V.MP4";
  fs::create_directories(mp4.parent_path());
  try {
    rewrapVideo(dcm, mp4);
    FAIL() << "garbage was re-wrapped";
  } catch (const VideoError& e) {
    EXPECT_EQ(e.code(), VideoError::Code::StreamRejected) << e.what();
    EXPECT_NE(std::string(e.what()).find("video"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(mp4.parent_path()));
}

TEST_F(VideoRewrap, TruncatedStreamGivesAReasonAndNoFile) {
  const fs::path stream = encode(dir.path(), "libx264", "h264", "clip.h264");
  const std::string bytes = readAll(stream);
  // Cut inside the first frame: parameter sets without a whole picture.
  const fs::path cut = dir.path() / "cut.h264";
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, 40);
  const fs::path dcm =
      wrapInDicom(cut, UID_MPEG4HighProfileLevel4_1TransferSyntax, dir.path() / "cut.dcm");
  const fs::path mp4 = dir.path() / "out" / "V.MP4";
  fs::create_directories(mp4.parent_path());
  EXPECT_THROW(rewrapVideo(dcm, mp4), VideoError);
  EXPECT_TRUE(fs::is_empty(mp4.parent_path()));
}

TEST_F(VideoRewrap, WrongCodecForTheSyntaxIsRefused) {
  const fs::path stream = encode(dir.path(), "mpeg2video", "mpeg2video", "clip.m2v");
  const fs::path dcm =
      wrapInDicom(stream, UID_MPEG4HighProfileLevel4_1TransferSyntax, dir.path() / "v.dcm");
  try {
    rewrapVideo(dcm, dir.path() / "V.MP4");
    FAIL() << "an MPEG-2 stream passed as H.264";
  } catch (const VideoError& e) {
    EXPECT_EQ(e.code(), VideoError::Code::StreamRejected);
    EXPECT_NE(std::string(e.what()).find("mpeg2video"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir.path() / "V.MP4"));
}

TEST_F(VideoRewrap, NotAVideoObjectIsRefused) {
  DcmFileFormat ff;
  ff.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ff.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4");
  const fs::path ct = dir.path() / "ct.dcm";
  ASSERT_TRUE(ff.saveFile(ct.c_str(), EXS_LittleEndianExplicit).good());
  try {
    rewrapVideo(ct, dir.path() / "V.MP4");
    FAIL();
  } catch (const VideoError& e) {
    EXPECT_EQ(e.code(), VideoError::Code::NotVideo);
  }
  try {
    rewrapVideo(dir.path() / "missing.dcm", dir.path() / "V.MP4");
    FAIL();
  } catch (const VideoError& e) {
    EXPECT_EQ(e.code(), VideoError::Code::Unreadable);
  }
  EXPECT_FALSE(fs::exists(dir.path() / "V.MP4"));
}

TEST(VideoSyntax, TheVideoTransferSyntaxes) {
  for (const char* ts :
       {UID_MPEG2MainProfileAtMainLevelTransferSyntax,
        UID_MPEG2MainProfileAtHighLevelTransferSyntax, UID_MPEG4HighProfileLevel4_1TransferSyntax,
        UID_MPEG4BDcompatibleHighProfileLevel4_1TransferSyntax,
        UID_MPEG4HighProfileLevel4_2_For2DVideoTransferSyntax,
        UID_MPEG4HighProfileLevel4_2_For3DVideoTransferSyntax,
        UID_MPEG4StereoHighProfileLevel4_2TransferSyntax, UID_HEVCMainProfileLevel5_1TransferSyntax,
        UID_HEVCMain10ProfileLevel5_1TransferSyntax}) {
    EXPECT_TRUE(isVideoTransferSyntax(ts)) << ts;
  }
  for (const char* ts : {UID_LittleEndianExplicitTransferSyntax, UID_JPEGProcess1TransferSyntax,
                         UID_JPEG2000TransferSyntax, UID_RLELosslessTransferSyntax, ""}) {
    EXPECT_FALSE(isVideoTransferSyntax(ts)) << ts;
  }
}

}  // namespace
}  // namespace burnstation::viewer_bundle
