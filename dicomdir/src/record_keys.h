// The attributes of DICOMDIR records: taken from the index and the instances' headers,
// generated where a Type 1 key is missing (REQUIREMENTS §2, Philips Table 19).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdirrec.h>

#include <string>
#include <string_view>

#include "burnstation/store/instance_header.h"
#include "burnstation/store/selection.h"

namespace burnstation::dicomdir {

// How text goes into the records of one volume: as received with the instances' own
// character set when they all agree, else decoded to UTF-8 under ISO_IR 192.
struct TextPolicy {
  bool utf8 = false;
  std::string charset;  // the shared (0008,0005) when !utf8
};

E_DirRecType dcmtkRecordType(std::string_view recordType);

void fillPatientRecord(DcmDirectoryRecord& record, const store::InstanceHeader& first,
                       const store::Selection& selection, const TextPolicy& text);
void fillStudyRecord(DcmDirectoryRecord& record, const store::InstanceHeader& first,
                     const TextPolicy& text);
void fillSeriesRecord(DcmDirectoryRecord& record, const store::InstanceHeader& first);
// positionInSeries (1-based) is the Instance Number when the instance has none.
void fillLeafRecord(DcmDirectoryRecord& record, const store::SelectedInstance& instance,
                    int positionInSeries, std::string_view recordType);

}  // namespace burnstation::dicomdir
