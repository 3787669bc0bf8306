// Reading one text value out of a DCMTK item, for the DICOMDIR writer and reader.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <string>

namespace burnstation::dicomdir {

// All values of the element (backslashes kept), trailing padding removed; empty if absent.
inline std::string valueOf(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  std::string s = value.c_str();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace burnstation::dicomdir
