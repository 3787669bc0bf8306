// Media form decision and transcoding with DCMTK's codecs (FIELD-GUIDE §3).
#include "burnstation/dicomdir/media_form.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <mutex>
#include <stdexcept>

#include "burnstation/dicomdir/record_type.h"
#include "burnstation/store/implementation_identity.h"

namespace burnstation::dicomdir {
namespace {

void registerDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
    // Lossless only is ever asked of the encoder, so the SOP Instance UID never changes.
    DJEncoderRegistration::registerCodecs(ECC_lossyYCbCr, EUC_never);
  });
}

constexpr const char* kExplicitLittle = "1.2.840.10008.1.2.1";
constexpr const char* kJpegLossless = "1.2.840.10008.1.2.4.70";

// Video is never re-encoded, so the reason names the profiles that take it as it is.
std::string videoReason(const MediaProfile& profile, const std::string& ts, const DcmXfer& xfer) {
  std::string holders;
  for (const MediaProfile& p : mediaProfiles()) {
    if (!allowsTransferSyntax(p, ts)) continue;
    holders +=
        (holders.empty() ? "" : ", ") +
        (p.builtInName.empty() ? std::string(p.name)
                               : std::string(p.builtInName) + " (" + std::string(p.name) + ")");
  }
  const std::string name = xfer.getXfer() == EXS_Unknown ? ts : xfer.getXferName();
  return name + " video cannot be written to " + std::string(profile.name) +
         " (video is never re-encoded; " +
         (holders.empty() ? std::string("no PS3.11 profile of this station holds it)")
                          : "a profile that holds it: " + holders + ")");
}

}  // namespace

MediaForm mediaFormFor(const MediaProfile& profile, const std::string& ts,
                       const std::string& sopClassUid, Compression compression) {
  registerDecoders();
  const DcmXfer xfer(ts.c_str());
  const bool compress = compression == Compression::JpegLossless &&
                        allowsTransferSyntax(profile, kJpegLossless) &&
                        leafRecordFor(sopClassUid).type == "IMAGE" &&
                        xfer.getXfer() != EXS_Unknown && !xfer.isEncapsulated();
  if (compress) return {Conversion::ToJpegLossless, {}};
  if (allowsTransferSyntax(profile, ts)) return {Conversion::None, {}};
  if (isVideoTransferSyntax(ts)) return {Conversion::Unwritable, videoReason(profile, ts, xfer)};
  if (!allowsTransferSyntax(profile, kExplicitLittle)) {
    // STD-DVD-MPEG2-MPML (PS3.11 Table I.3-1) takes video only.
    return {Conversion::Unwritable, std::string(profile.name) +
                                        " holds only video; write the other objects with "
                                        "another profile (e.g. dvd)"};
  }
  if (xfer.getXfer() == EXS_Unknown) {
    return {Conversion::Unwritable, "transfer syntax " + ts + " is unknown to this station"};
  }
  if (!xfer.isEncapsulated()) return {Conversion::ToExplicitLittle, {}};
  if (DcmCodecList::canChangeCoding(xfer.getXfer(), EXS_LittleEndianExplicit)) {
    return {Conversion::ToExplicitLittle, {}};
  }
  const std::string name = xfer.getXferName();
  return {Conversion::Unwritable, name + " cannot be written to " + std::string(profile.name) +
                                      (name.find("JPEG 2000") != std::string::npos
                                           ? " (no JPEG 2000 decoder; choose a J2K profile)"
                                           : " (compressed data this profile does not allow)")};
}

const char* transferSyntaxAfter(Conversion conversion, const std::string& original) {
  switch (conversion) {
    case Conversion::ToExplicitLittle:
      return kExplicitLittle;
    case Conversion::ToJpegLossless:
      return kJpegLossless;
    default:
      return original.c_str();
  }
}

void transcode(const std::filesystem::path& source, const std::filesystem::path& target,
               Conversion conversion, const std::string& sourceAe) {
  registerDecoders();
  const E_TransferSyntax xfer =
      conversion == Conversion::ToJpegLossless ? EXS_JPEGProcess14SV1 : EXS_LittleEndianExplicit;
  const DJ_RPLossless lossless(1, 0);
  DcmFileFormat file;
  OFCondition status = file.loadFile(source.c_str());
  if (status.bad())
    throw std::runtime_error("cannot read " + source.string() + ": " + status.text());
  DcmDataset& data = *file.getDataset();
  status = data.chooseRepresentation(
      xfer, conversion == Conversion::ToJpegLossless ? &lossless : nullptr);
  if (status.bad() || !data.canWriteXfer(xfer)) {
    throw std::runtime_error("cannot re-encode " + source.string() + " as " +
                             DcmXfer(xfer).getXferName() + ": " + status.text());
  }
  DcmMetaInfo& meta = *file.getMetaInfo();
  // Keep the sender's AE titles; the rest of the meta describes the new encoding and us.
  file.validateMetaInfo(xfer, EWM_updateMeta);
  meta.putAndInsertString(DCM_ImplementationClassUID, kImplementationClassUid);
  meta.putAndInsertString(DCM_ImplementationVersionName, kImplementationVersionName);
  meta.putAndInsertString(DCM_SourceApplicationEntityTitle, sourceAe.c_str());
  meta.computeGroupLengthAndPadding(EGL_withGL, EPD_noChange, META_HEADER_DEFAULT_TRANSFERSYNTAX,
                                    EET_UndefinedLength);
  status = file.saveFile(target.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0,
                         EWM_dontUpdateMeta);
  if (status.bad())
    throw std::runtime_error("cannot write " + target.string() + ": " + status.text());
}

}  // namespace burnstation::dicomdir
