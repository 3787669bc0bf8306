// Re-wrapping of encapsulated video (see video_rewrap.h). The fragments of the pixel data
// are copied to a temporary elementary-stream file beside the output (a video can be larger
// than memory), libavformat reads that file, and its packets are copied unchanged into an
// MP4 muxer. Every FFmpeg handle lives in a small owner below.
#include "burnstation/viewer_bundle/video_rewrap.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include <algorithm>
#include <fstream>
#include <memory>
#include <mutex>
#include <system_error>
#include <vector>

#include "burnstation/dicomdir/media_profile.h"
#include "burnstation/store/durable_file.h"

namespace burnstation::viewer_bundle {
namespace {

using Code = VideoError::Code;

std::string ffmpegText(int error) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(error, text, sizeof text);
  return text;
}

void quietFfmpeg() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

struct InputClose {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
using Input = std::unique_ptr<AVFormatContext, InputClose>;

// The muxer's AVIOContext is closed before the context is freed: closing flushes the last
// bytes, and the context must still exist while it does.
struct OutputClose {
  void operator()(AVFormatContext* c) const {
    if (c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
using Output = std::unique_ptr<AVFormatContext, OutputClose>;

struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using Packet = std::unique_ptr<AVPacket, PacketFree>;

struct DictionaryFree {
  void operator()(AVDictionary* d) const { av_dict_free(&d); }
};

// A scratch file removed however the re-wrap ends (and, if a crash left one, before it starts).
class ScratchFile {
 public:
  explicit ScratchFile(std::filesystem::path path) : path_(std::move(path)) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

AVCodecID codecOf(std::string_view ts) {
  if (ts == "1.2.840.10008.1.2.4.100" || ts == "1.2.840.10008.1.2.4.101")
    return AV_CODEC_ID_MPEG2VIDEO;
  if (ts == "1.2.840.10008.1.2.4.107" || ts == "1.2.840.10008.1.2.4.108") return AV_CODEC_ID_HEVC;
  return AV_CODEC_ID_H264;  // .102 to .106
}

struct Encapsulated {
  std::string transferSyntax;
  double framesPerSecond = 0;  // 0: not given by the object
};

// Frame Time (ms), else Cine Rate, else Recommended Display Frame Rate.
double framesPerSecondOf(DcmDataset& data) {
  Float64 frameTime = 0;
  if (data.findAndGetFloat64(DCM_FrameTime, frameTime).good() && frameTime > 0.01 &&
      frameTime < 1e6) {
    return 1000.0 / frameTime;
  }
  Sint32 rate = 0;
  if ((data.findAndGetSint32(DCM_CineRate, rate).good() ||
       data.findAndGetSint32(DCM_RecommendedDisplayFrameRate, rate).good()) &&
      rate > 0 && rate <= 1000) {
    return rate;
  }
  return 0;
}

// Copies the fragments (the Basic Offset Table, item 0, is no part of the stream) to
// stream, refusing lengths the file cannot hold: the file was received from outside.
Encapsulated extractStream(const std::filesystem::path& dicomFile,
                           const std::filesystem::path& stream) {
  std::error_code ec;
  const auto fileSize = std::filesystem::file_size(dicomFile, ec);
  if (ec)
    throw VideoError(Code::Unreadable, "cannot read " + dicomFile.string() + ": " + ec.message());
  DcmFileFormat file;
  // Values above 4 KB stay in the file until asked for, one fragment at a time.
  OFCondition status = file.loadFile(dicomFile.c_str(), EXS_Unknown, EGL_noChange, 4096);
  if (status.bad()) {
    throw VideoError(Code::Unreadable,
                     "cannot read " + dicomFile.string() + " as DICOM: " + status.text());
  }
  Encapsulated out;
  OFString ts;
  file.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
  out.transferSyntax = ts.c_str();
  if (!dicomdir::isVideoTransferSyntax(out.transferSyntax)) {
    throw VideoError(Code::NotVideo,
                     dicomFile.string() + " is not a video object (transfer syntax " +
                         (ts.empty() ? std::string("missing") : out.transferSyntax) + ")");
  }
  DcmDataset& data = *file.getDataset();
  out.framesPerSecond = framesPerSecondOf(data);
  DcmElement* element = nullptr;
  DcmPixelSequence* fragments = nullptr;
  if (data.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr ||
      static_cast<DcmPixelData*>(element)
          ->getEncapsulatedRepresentation(DcmXfer(ts.c_str()).getXfer(), nullptr, fragments)
          .bad() ||
      fragments == nullptr) {
    throw VideoError(Code::BadPixelData,
                     dicomFile.string() + " has no encapsulated pixel data holding the video");
  }
  std::ofstream sink(stream, std::ios::binary | std::ios::trunc);
  if (!sink) throw VideoError(Code::WriteFailed, "cannot write " + stream.string());
  std::uint64_t total = 0;
  const unsigned long count = fragments->card();
  for (unsigned long i = 1; i < count; ++i) {
    DcmPixelItem* item = nullptr;
    if (fragments->getItem(item, i).bad() || item == nullptr) {
      throw VideoError(Code::BadPixelData, "fragment " + std::to_string(i) + " of " +
                                               dicomFile.string() + " cannot be read");
    }
    const std::uint64_t length = item->getLength();
    total += length;
    if (length > fileSize || total > fileSize) {
      throw VideoError(Code::BadPixelData,
                       "fragment " + std::to_string(i) + " of " + dicomFile.string() + " claims " +
                           std::to_string(length) + " bytes, more than the file's " +
                           std::to_string(fileSize));
    }
    if (length == 0) continue;
    Uint8* bytes = nullptr;
    if (item->getUint8Array(bytes).bad() || bytes == nullptr) {
      throw VideoError(Code::BadPixelData, "fragment " + std::to_string(i) + " of " +
                                               dicomFile.string() + " is cut short");
    }
    sink.write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(length));
    item->compact();  // back to the file: memory stays bounded by one fragment
  }
  if (total == 0) {
    throw VideoError(Code::BadPixelData, dicomFile.string() + " holds no video bytes");
  }
  sink.close();
  if (!sink) throw VideoError(Code::WriteFailed, "cannot write " + stream.string());
  return out;
}

Input openStream(const std::filesystem::path& stream, const Encapsulated& video) {
  AVDictionary* raw = nullptr;
  // Raw H.264/HEVC streams carry no clock of their own; the object's frame rate is theirs.
  if (video.framesPerSecond > 0) {
    av_dict_set(&raw, "framerate", std::to_string(video.framesPerSecond).c_str(), 0);
  }
  std::unique_ptr<AVDictionary, DictionaryFree> options(raw);
  AVFormatContext* opened = nullptr;
  raw = options.release();
  const int result = avformat_open_input(&opened, stream.c_str(), nullptr, &raw);
  options.reset(raw);
  if (result < 0) {
    throw VideoError(Code::StreamRejected,
                     "the video stream cannot be read: " + ffmpegText(result));
  }
  Input input(opened);
  const int info = avformat_find_stream_info(input.get(), nullptr);
  if (info < 0) {
    throw VideoError(Code::StreamRejected, "the video stream cannot be read: " + ffmpegText(info));
  }
  return input;
}

void rewrap(AVFormatContext& input, const Encapsulated& video, const std::filesystem::path& mp4) {
  const int videoIndex = av_find_best_stream(&input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (videoIndex < 0) {
    throw VideoError(Code::StreamRejected, "the pixel data holds no video stream FFmpeg knows");
  }
  const AVCodecID expected = codecOf(video.transferSyntax);
  const AVCodecID found = input.streams[videoIndex]->codecpar->codec_id;
  if (found != expected) {
    throw VideoError(Code::StreamRejected,
                     std::string("the pixel data holds ") + avcodec_get_name(found) +
                         " video, not the " + avcodec_get_name(expected) + " its transfer syntax " +
                         video.transferSyntax + " says");
  }
  if (input.streams[videoIndex]->codecpar->width <= 0) {
    throw VideoError(Code::StreamRejected, "the video stream has no readable picture size");
  }

  AVFormatContext* allocated = nullptr;
  int result = avformat_alloc_output_context2(&allocated, nullptr, "mp4", mp4.c_str());
  if (result < 0 || allocated == nullptr) {
    throw VideoError(Code::WriteFailed, "cannot start an MP4 file: " + ffmpegText(result));
  }
  Output output(allocated);
  // Input stream index -> output stream index (-1: not carried).
  std::vector<int> mapping(input.nb_streams, -1);
  int next = 0;
  for (unsigned i = 0; i < input.nb_streams; ++i) {
    const AVCodecParameters* in = input.streams[i]->codecpar;
    const bool carried =
        static_cast<int>(i) == videoIndex ||
        (in->codec_type == AVMEDIA_TYPE_AUDIO &&
         avformat_query_codec(output->oformat, in->codec_id, FF_COMPLIANCE_NORMAL) == 1);
    if (!carried) continue;
    AVStream* out = avformat_new_stream(output.get(), nullptr);
    if (out == nullptr) throw VideoError(Code::WriteFailed, "cannot add a stream to the MP4 file");
    result = avcodec_parameters_copy(out->codecpar, in);
    if (result < 0)
      throw VideoError(Code::WriteFailed, "cannot copy the stream: " + ffmpegText(result));
    out->codecpar->codec_tag = 0;  // let the MP4 muxer choose its own tag
    out->time_base = input.streams[i]->time_base;
    mapping[i] = next++;
  }
  result = avio_open(&output->pb, mp4.c_str(), AVIO_FLAG_WRITE);
  if (result < 0) {
    throw VideoError(Code::WriteFailed, "cannot write " + mp4.string() + ": " + ffmpegText(result));
  }
  AVDictionary* rawOptions = nullptr;
  av_dict_set(&rawOptions, "movflags", "+faststart", 0);
  result = avformat_write_header(output.get(), &rawOptions);
  av_dict_free(&rawOptions);
  if (result < 0) {
    throw VideoError(Code::WriteFailed,
                     "FFmpeg cannot put this stream into MP4: " + ffmpegText(result));
  }

  Packet packet(av_packet_alloc());
  if (!packet) throw VideoError(Code::WriteFailed, "out of memory");
  // Raw streams may leave timestamps unset; they then follow each other at the stream's rate.
  std::vector<std::int64_t> nextDts(input.nb_streams, 0);
  std::int64_t videoPackets = 0;
  for (;;) {
    result = av_read_frame(&input, packet.get());
    if (result == AVERROR_EOF) break;
    if (result < 0) {
      throw VideoError(Code::StreamRejected, "the video stream is damaged: " + ffmpegText(result));
    }
    const unsigned from = static_cast<unsigned>(packet->stream_index);
    if (from >= mapping.size() || mapping[from] < 0) {
      av_packet_unref(packet.get());
      continue;
    }
    AVStream* in = input.streams[from];
    AVStream* out = output->streams[mapping[from]];
    if (packet->dts == AV_NOPTS_VALUE)
      packet->dts = packet->pts != AV_NOPTS_VALUE ? packet->pts : nextDts[from];
    if (packet->pts == AV_NOPTS_VALUE) packet->pts = packet->dts;
    if (packet->duration <= 0 && in->avg_frame_rate.num > 0 && in->avg_frame_rate.den > 0) {
      packet->duration = av_rescale_q(1, av_inv_q(in->avg_frame_rate), in->time_base);
    }
    nextDts[from] = packet->dts + std::max<std::int64_t>(packet->duration, 1);
    // A transport stream's clock starts anywhere (1.4 s from FFmpeg's muxer); the MP4 starts
    // at 0 so the viewer's player shows the first frame at once.
    if (input.start_time != AV_NOPTS_VALUE) {
      const std::int64_t start = av_rescale_q(input.start_time, AV_TIME_BASE_Q, in->time_base);
      packet->dts -= start;
      packet->pts -= start;
    }
    if (static_cast<int>(from) == videoIndex) ++videoPackets;
    av_packet_rescale_ts(packet.get(), in->time_base, out->time_base);
    packet->stream_index = mapping[from];
    packet->pos = -1;
    result = av_interleaved_write_frame(output.get(), packet.get());  // takes the packet's data
    if (result < 0) {
      throw VideoError(Code::WriteFailed, "cannot write the MP4 file: " + ffmpegText(result));
    }
  }
  if (videoPackets == 0) throw VideoError(Code::StreamRejected, "the video stream holds no frames");
  result = av_write_trailer(output.get());
  if (result < 0) {
    throw VideoError(Code::WriteFailed, "cannot finish the MP4 file: " + ffmpegText(result));
  }
  // Closing flushes: a full disk shows here, before the file is committed.
  result = avio_closep(&output->pb);
  if (result < 0) {
    throw VideoError(Code::WriteFailed, "cannot write " + mp4.string() + ": " + ffmpegText(result));
  }
}

}  // namespace

bool isVideoTransferSyntax(std::string_view transferSyntaxUid) {
  return dicomdir::isVideoTransferSyntax(transferSyntaxUid);
}

void rewrapVideo(const std::filesystem::path& dicomFile, const std::filesystem::path& mp4Out) {
  quietFfmpeg();
  const ScratchFile stream(mp4Out.parent_path() / (mp4Out.filename().string() + ".es-tmp"));
  const Encapsulated video = extractStream(dicomFile, stream.path());
  const Input input = openStream(stream.path(), video);
  try {
    store::PendingFile pending(mp4Out);
    rewrap(*input, video, pending.path());
    pending.commit();
  } catch (const VideoError&) {
    throw;
  } catch (const std::exception& e) {
    throw VideoError(Code::WriteFailed, e.what());
  }
}

}  // namespace burnstation::viewer_bundle
