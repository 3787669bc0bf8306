// Reading what the web content shows of an instance (see instance_facts.h).
#include "instance_facts.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cstdio>
#include <stdexcept>

#include "burnstation/store/charset.h"
#include "web_text.h"

namespace burnstation::viewer_bundle {

namespace {

// SR trees are received data: their depth and text are bounded before we walk them.
constexpr int kMaxSrDepth = 16;
constexpr std::size_t kMaxSrText = 256 * 1024;

std::string raw(DcmItem& item, const DcmTagKey& tag, bool searchIntoSub = false) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value, searchIntoSub).good()) return value.c_str();
  return {};
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && s[start] == ' ') ++start;
  return s.substr(start);
}

struct TextReader {
  std::string charset;
  std::string operator()(DcmItem& item, const DcmTagKey& tag, store::TextVr vr) const {
    const std::string bytes = raw(item, tag);
    if (bytes.empty()) return {};
    return trimmed(store::decodeForDisplay(charset, bytes, vr).utf8);
  }
};

ObjectKind kindOf(const std::string& sopClass, const std::string& xfer, bool hasPixels) {
  if (sopClass == UID_EncapsulatedPDFStorage) return ObjectKind::Pdf;
  if (sopClass.rfind("1.2.840.10008.5.1.4.1.1.88.", 0) == 0) return ObjectKind::StructuredReport;
  // MPEG-2, MPEG-4 AVC/H.264 and HEVC/H.265 transfer syntaxes: 1.2.840.10008.1.2.4.100-.108.
  if (xfer.rfind("1.2.840.10008.1.2.4.10", 0) == 0) return ObjectKind::Video;
  return hasPixels ? ObjectKind::Image : ObjectKind::Other;
}

std::string codeMeaning(DcmItem& item, const DcmTagKey& sequence, const TextReader& text) {
  DcmItem* code = nullptr;
  if (item.findAndGetSequenceItem(sequence, code, 0).good() && code) {
    return text(*code, DCM_CodeMeaning, store::TextVr::MultiValued);
  }
  return {};
}

void walkContent(DcmItem& item, int depth, const TextReader& text, std::string& out) {
  if (depth > kMaxSrDepth || out.size() > kMaxSrText) return;
  DcmSequenceOfItems* content = nullptr;
  if (item.findAndGetSequence(DCM_ContentSequence, content).bad() || !content) return;
  for (unsigned long i = 0; i < content->card() && out.size() <= kMaxSrText; ++i) {
    DcmItem* child = content->getItem(i);
    if (!child) continue;
    const std::string type = trimmed(raw(*child, DCM_ValueType));
    std::string name = codeMeaning(*child, DCM_ConceptNameCodeSequence, text);
    std::string value;
    if (type == "TEXT") {
      value = text(*child, DCM_TextValue, store::TextVr::SingleText);
    } else if (type == "CODE") {
      value = codeMeaning(*child, DCM_ConceptCodeSequence, text);
    } else if (type == "NUM") {
      DcmItem* measured = nullptr;
      if (child->findAndGetSequenceItem(DCM_MeasuredValueSequence, measured, 0).good() &&
          measured) {
        value = trimmed(raw(*measured, DCM_NumericValue));
        DcmItem* units = nullptr;
        if (measured->findAndGetSequenceItem(DCM_MeasurementUnitsCodeSequence, units, 0).good() &&
            units) {
          const std::string unit = trimmed(raw(*units, DCM_CodeValue));
          if (!unit.empty() && unit != "1") value += " " + unit;
        }
      }
    } else if (type == "PNAME") {
      value = text(*child, DCM_PersonName, store::TextVr::PersonName);
    } else if (type == "DATE") {
      value = isoDate(trimmed(raw(*child, DCM_Date)));
    } else if (type == "TIME") {
      value = trimmed(raw(*child, DCM_Time));
    } else if (type == "DATETIME") {
      value = trimmed(raw(*child, DCM_DateTime));
    } else if (type == "UIDREF") {
      value = trimmed(raw(*child, DCM_UID));
    }
    if (!name.empty() || !value.empty()) {
      out += std::string(static_cast<std::size_t>(depth) * 2, ' ');
      out += name;
      if (!name.empty() && !value.empty()) out += ": ";
      out += value;
      out += '\n';
    }
    walkContent(*child, depth + 1, text, out);
  }
}

std::optional<std::pair<double, double>> pair(DcmItem& item, const DcmTagKey& tag) {
  Float64 a = 0, b = 0;
  if (item.findAndGetFloat64(tag, a, 0, OFTrue).bad()) return std::nullopt;
  if (item.findAndGetFloat64(tag, b, 1, OFTrue).bad()) b = a;
  return std::make_pair(a, b);
}

}  // namespace

const char* toString(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Image:
      return "image";
    case ObjectKind::StructuredReport:
      return "sr";
    case ObjectKind::Pdf:
      return "pdf";
    case ObjectKind::Video:
      return "video";
    case ObjectKind::Other:
      return "other";
  }
  return "other";
}

std::string isoDate(const std::string& da) {
  if (da.size() != 8) return da;
  for (char c : da) {
    if (c < '0' || c > '9') return da;
  }
  return da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2);
}

InstanceFacts readInstanceFacts(const std::filesystem::path& file) {
  DcmFileFormat ff;
  const OFCondition loaded = ff.loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange, 4096,
                                                 ERM_autoDetect, DCM_PixelData);
  if (loaded.bad()) {
    throw std::runtime_error("cannot read " + file.string() + ": " + loaded.text());
  }
  DcmDataset& d = *ff.getDataset();
  DcmMetaInfo& meta = *ff.getMetaInfo();
  const TextReader text{raw(d, DCM_SpecificCharacterSet)};
  InstanceFacts f;
  f.patientName = text(d, DCM_PatientName, store::TextVr::PersonName);
  f.patientId = text(d, DCM_PatientID, store::TextVr::MultiValued);
  f.birthDate = isoDate(trimmed(raw(d, DCM_PatientBirthDate)));
  f.sex = trimmed(raw(d, DCM_PatientSex));
  f.studyDate = isoDate(trimmed(raw(d, DCM_StudyDate)));
  f.studyTime = trimmed(raw(d, DCM_StudyTime));
  f.studyDescription = text(d, DCM_StudyDescription, store::TextVr::MultiValued);
  f.accession = text(d, DCM_AccessionNumber, store::TextVr::MultiValued);
  f.institution = text(d, DCM_InstitutionName, store::TextVr::MultiValued);
  f.seriesNumber = trimmed(raw(d, DCM_SeriesNumber));
  f.seriesDescription = text(d, DCM_SeriesDescription, store::TextVr::MultiValued);
  f.modality = trimmed(raw(d, DCM_Modality));
  f.instanceNumber = trimmed(raw(d, DCM_InstanceNumber));
  f.sopClassUid = trimmed(raw(d, DCM_SOPClassUID));
  f.transferSyntaxUid = trimmed(raw(meta, DCM_TransferSyntaxUID));
  Uint16 rows = 0, columns = 0;
  d.findAndGetUint16(DCM_Rows, rows);
  d.findAndGetUint16(DCM_Columns, columns);
  f.rows = rows;
  f.columns = columns;
  Sint32 frames = 1;
  if (d.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 1) f.frames = frames;
  f.kind = kindOf(f.sopClassUid, f.transferSyntaxUid, rows > 0 && columns > 0);
  // Enhanced objects keep these in functional groups: the first found anywhere serves.
  f.pixelSpacing = pair(d, DCM_PixelSpacing);
  if (!f.pixelSpacing) f.pixelSpacing = pair(d, DCM_ImagerPixelSpacing);
  if (f.pixelSpacing && (f.pixelSpacing->first <= 0 || f.pixelSpacing->second <= 0)) {
    f.pixelSpacing.reset();
  }
  Float64 center = 0, width = 0;
  if (d.findAndGetFloat64(DCM_WindowCenter, center, 0, OFTrue).good() &&
      d.findAndGetFloat64(DCM_WindowWidth, width, 0, OFTrue).good() && width >= 1) {
    f.window = std::make_pair(center, width);
  }
  Float64 frameTime = 0;
  if (d.findAndGetFloat64(DCM_FrameTime, frameTime, 0, OFTrue).good() && frameTime > 0 &&
      frameTime < 60000) {
    f.frameTimeMs = frameTime;
  }
  if (f.kind == ObjectKind::StructuredReport) {
    std::string title = codeMeaning(d, DCM_ConceptNameCodeSequence, text);
    if (!title.empty()) f.text = title + "\n";
    walkContent(d, 1, text, f.text);
  }
  const char* sopName = dcmFindNameOfUID(f.sopClassUid.c_str(), nullptr);
  const DcmXfer xfer(f.transferSyntaxUid.c_str());
  const auto add = [&f](const char* name, const std::string& value) {
    if (!value.empty()) f.header.emplace_back(name, value);
  };
  add("Patient's Name", readableName(f.patientName));
  add("Patient ID", f.patientId);
  add("Birth Date", f.birthDate);
  add("Sex", f.sex);
  add("Study Date", f.studyDate);
  add("Study Description", f.studyDescription);
  add("Accession Number", f.accession);
  add("Institution", f.institution);
  add("Modality", f.modality);
  add("Series Number", f.seriesNumber);
  add("Series Description", f.seriesDescription);
  add("Instance Number", f.instanceNumber);
  add("Manufacturer", text(d, DCM_Manufacturer, store::TextVr::MultiValued));
  add("Model", text(d, DCM_ManufacturerModelName, store::TextVr::MultiValued));
  add("Body Part", trimmed(raw(d, DCM_BodyPartExamined)));
  add("Slice Thickness", trimmed(raw(d, DCM_SliceThickness)));
  add("Slice Location", trimmed(raw(d, DCM_SliceLocation)));
  if (rows > 0) add("Size", std::to_string(columns) + " x " + std::to_string(rows));
  if (f.frames > 1) add("Frames", std::to_string(f.frames));
  if (f.pixelSpacing) {
    char spacing[64];
    std::snprintf(spacing, sizeof spacing, "%g x %g mm", f.pixelSpacing->first,
                  f.pixelSpacing->second);
    add("Pixel Spacing", spacing);
  }
  add("SOP Class", sopName ? sopName : f.sopClassUid);
  add("Transfer Syntax", xfer.getXfer() != EXS_Unknown ? xfer.getXferName() : f.transferSyntaxUid);
  add("SOP Instance UID", trimmed(raw(d, DCM_SOPInstanceUID)));
  return f;
}

bool extractPdf(const std::filesystem::path& dicomFile, const std::filesystem::path& pdfFile) {
  DcmFileFormat ff;
  if (ff.loadFile(dicomFile.c_str()).bad()) return false;
  const Uint8* bytes = nullptr;
  unsigned long length = 0;
  if (ff.getDataset()->findAndGetUint8Array(DCM_EncapsulatedDocument, bytes, &length).bad() ||
      !bytes || length == 0) {
    return false;
  }
  // The document is padded to an even length; a PDF reader ignores what follows %%EOF.
  writeWorkFile(pdfFile, std::string_view(reinterpret_cast<const char*>(bytes), length));
  return true;
}

}  // namespace burnstation::viewer_bundle
