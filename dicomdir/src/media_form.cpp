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
#include <dcmtk/dcmjpls/djdecode.h>

#include <mutex>
#include <stdexcept>

#include "burnstation/store/implementation_identity.h"

namespace burnstation::dicomdir {
namespace {

void registerDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

}  // namespace

MediaForm mediaFormFor(const MediaProfile& profile, const std::string& ts) {
  if (allowsTransferSyntax(profile, ts)) return {Conversion::None, {}};
  registerDecoders();
  const DcmXfer xfer(ts.c_str());
  if (xfer.getXfer() == EXS_Unknown) {
    return {Conversion::Unwritable, "transfer syntax " + ts + " is unknown to this station"};
  }
  if (!xfer.isEncapsulated()) return {Conversion::ToExplicitLittle, {}};
  if (DcmCodecList::canChangeCoding(xfer.getXfer(), EXS_LittleEndianExplicit)) {
    return {Conversion::ToExplicitLittle, {}};
  }
  const std::string name = xfer.getXferName();
  return {Conversion::Unwritable,
          name + " cannot be written to " + std::string(profile.name) +
              (name.find("JPEG 2000") != std::string::npos
                   ? " (no JPEG 2000 decoder; choose a J2K profile)"
                   : " (video or compressed data this profile does not allow)")};
}

void transcodeToExplicitLittle(const std::filesystem::path& source,
                               const std::filesystem::path& target, const std::string& sourceAe) {
  registerDecoders();
  DcmFileFormat file;
  OFCondition status = file.loadFile(source.c_str());
  if (status.bad()) throw std::runtime_error("cannot read " + source.string() + ": " + status.text());
  DcmDataset& data = *file.getDataset();
  status = data.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
  if (status.bad() || !data.canWriteXfer(EXS_LittleEndianExplicit)) {
    throw std::runtime_error("cannot decode " + source.string() + " to Explicit VR Little Endian: " +
                             status.text());
  }
  DcmMetaInfo& meta = *file.getMetaInfo();
  // Keep the sender's AE titles; the rest of the meta describes the new encoding and us.
  file.validateMetaInfo(EXS_LittleEndianExplicit, EWM_updateMeta);
  meta.putAndInsertString(DCM_ImplementationClassUID, kImplementationClassUid);
  meta.putAndInsertString(DCM_ImplementationVersionName, kImplementationVersionName);
  meta.putAndInsertString(DCM_SourceApplicationEntityTitle, sourceAe.c_str());
  meta.computeGroupLengthAndPadding(EGL_withGL, EPD_noChange, META_HEADER_DEFAULT_TRANSFERSYNTAX,
                                    EET_UndefinedLength);
  status = file.saveFile(target.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength,
                         EGL_recalcGL, EPD_noChange, 0, 0, EWM_dontUpdateMeta);
  if (status.bad()) throw std::runtime_error("cannot write " + target.string() + ": " + status.text());
}

}  // namespace burnstation::dicomdir
