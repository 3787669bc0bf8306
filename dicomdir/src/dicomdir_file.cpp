// DICOMDIR writing with our identity (see dicomdir_file.h).
#include "dicomdir_file.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcwcache.h>

#include "burnstation/store/durable_file.h"
#include "burnstation/store/implementation_identity.h"
#include "burnstation/store/store_error.h"

namespace burnstation::dicomdir {

DicomDirFile::DicomDirFile(const std::filesystem::path& path, const char* fileSetId)
    : DcmDicomDir(path.c_str(), fileSetId), path_(path) {}

DicomDirFile::DicomDirFile(const std::filesystem::path& path)
    : DcmDicomDir(path.c_str()), path_(path) {}

OFCondition DicomDirFile::setConsistencyFlag(Uint16 flag) {
  return getDataset().putAndInsertUint16(DCM_FileSetConsistencyFlag, flag);
}

std::string DicomDirFile::fileSetId() {
  OFString id;
  getDataset().findAndGetOFString(DCM_FileSetID, id);
  return id.c_str();
}

OFCondition DicomDirFile::writeWithOurIdentity(const std::string& sourceAe) {
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  // On a stick the DICOMDIR is the file-set: it is replaced only by a complete, synced one.
  store::PendingFile pending(path_);
  const std::filesystem::path& temp = pending.path();
  DcmDataset& dataset = getDataset();
  DcmMetaInfo& meta = *getDirFileFormat().getMetaInfo();
  DcmSequenceOfItems& records = getDirRecSeq(dataset);
  DcmSequenceOfItems unresolved{DcmTag(DCM_DirectoryRecordSequence)};

  getDirFileFormat().validateMetaInfo(xfer);
  // After validateMetaInfo, which would otherwise put DCMTK's generic class here.
  OFCondition status =
      meta.putAndInsertString(DCM_MediaStorageSOPClassUID, UID_MediaStorageDirectoryStorage);
  if (status.good())
    status = meta.putAndInsertString(DCM_ImplementationClassUID, kImplementationClassUid);
  if (status.good()) {
    status = meta.putAndInsertString(DCM_ImplementationVersionName, kImplementationVersionName);
  }
  if (status.good())
    status = meta.putAndInsertString(DCM_SourceApplicationEntityTitle, sourceAe.c_str());
  if (status.good()) {
    status = meta.computeGroupLengthAndPadding(
        EGL_withGL, EPD_noChange, META_HEADER_DEFAULT_TRANSFERSYNTAX, EET_UndefinedLength);
  }
  if (status.bad()) return status;
  {
    DcmOutputFileStream out(temp.c_str());
    if (!out.good()) return out.status();
    DcmWriteCache cache;
    meta.transferInit();
    status = meta.write(out, META_HEADER_DEFAULT_TRANSFERSYNTAX, EET_UndefinedLength, &cache);
    meta.transferEnd();
    if (status.good()) {
      const Uint32 begin = static_cast<Uint32>(out.tell());
      status = convertTreeToLinear(begin, xfer, EET_UndefinedLength, EGL_withoutGL, unresolved);
      dataset.transferInit();
      const OFCondition written =
          dataset.write(out, xfer, EET_UndefinedLength, &cache, EGL_noChange);
      dataset.transferEnd();
      if (status.good()) status = written;
    }
  }
  // Give the records back to the tree as DcmDicomDir::write does; its destructor relies on it.
  while (records.card() > 0) records.remove(0UL);
  while (unresolved.card() > 0) records.insert(unresolved.remove(0UL));
  if (status.good()) {
    try {
      pending.commit();
    } catch (const store::StoreError& e) {
      const std::string reason = std::string("cannot put the new DICOMDIR in place: ") + e.what();
      status = makeOFCondition(OFM_dcmdata, 19, OF_error, reason.c_str());  // copies the text
    }
  }
  return status;
}

}  // namespace burnstation::dicomdir
