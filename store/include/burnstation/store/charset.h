// Decoding DICOM text values from their Specific Character Set (0008,0005) into UTF-8,
// for the index and for display. Stored instances are never rewritten.
#pragma once

#include <string>
#include <string_view>

namespace burnstation::store {

// How a value is delimited: ISO 2022 escapes reset to the first character set at
// these delimiters, so the decoder must know them (PS3.5 6.1.2.5.3).
enum class TextVr {
  PersonName,   // PN: '^' '=' and '\' reset the character set
  MultiValued,  // LO, SH, CS, ...: '\' separates values
  SingleText,   // ST, LT, UT: no delimiters
};

struct DecodedText {
  std::string utf8;
  bool exact = true;  // false when some bytes could not be decoded and were replaced by U+FFFD
};

// specificCharacterSet is the raw (0008,0005) value, e.g. "ISO_IR 100" or "\ISO 2022 IR 87".
// An empty value means the default repertoire; "ISO_IR 6" is accepted as the same.
// Throws StoreError(Code::Charset) when the character set is unknown or the bytes are invalid.
std::string decodeToUtf8(std::string_view specificCharacterSet, std::string_view bytes, TextVr vr);

// Never throws: undecodable bytes become U+FFFD and exact is false. For display and the index,
// where showing most of a name beats showing nothing.
DecodedText decodeForDisplay(std::string_view specificCharacterSet, std::string_view bytes,
                             TextVr vr);

}  // namespace burnstation::store
