// Character set decoding (see charset.h). DCMTK converts every term glibc can open; Japanese
// ISO 2022 (IR 87, IR 159, IR 13 as a code extension) is decoded here by re-encoding to EUC-JP,
// because glibc in this build has no ISO-IR-87/159 converters for DCMTK to use.
#include "burnstation/store/charset.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcspchrs.h>
#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

constexpr char kEsc = 0x1b;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string_view delimitersFor(TextVr vr) {
  switch (vr) {
    case TextVr::PersonName:
      return "\\^=";
    case TextVr::MultiValued:
      return "\\";
    case TextVr::SingleText:
      return "";
  }
  return "";
}

// PS3.5 6.1.2.5.3: these return ISO 2022 text to its initial character sets.
bool isResettingControl(char c) {
  return c == '\r' || c == '\n' || c == '\t' || c == '\f';
}

std::string trimSpaces(std::string_view s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(' ') - b + 1));
}

std::vector<std::string> splitTerms(std::string_view value) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const auto slash = value.find('\\', start);
    out.push_back(trimSpaces(value.substr(start, slash - start)));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

// ESC, any intermediate bytes (0x20-0x2F), then one final byte (ISO 2022).
std::size_t escapeLength(std::string_view rest) {
  std::size_t n = 1;
  while (n < rest.size() && rest[n] >= 0x20 && rest[n] <= 0x2f) ++n;
  return n < rest.size() ? n + 1 : n;
}

// ESC $ F and ESC $ ( F designate a two-byte G0, ESC ( F a single-byte one; others leave G0.
bool designatesTwoByteG0(std::string_view escape, bool current) {
  if (escape.starts_with("\x1b(")) return false;
  if (escape.starts_with("\x1b$")) return !escape.starts_with("\x1b$)");
  return current;
}

[[noreturn]] void fail(std::string_view charset, const std::string& problem) {
  throw StoreError(StoreError::Code::Charset,
                   problem + " (Specific Character Set \"" + std::string(charset) + "\")");
}

class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;

  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // False on an invalid or incomplete input sequence.
  bool convert(std::string_view in, std::string& out) {
    char* src = const_cast<char*>(in.data());  // iconv's signature, it does not write
    std::size_t srcLeft = in.size();
    char buffer[256];
    while (srcLeft > 0) {
      char* dst = buffer;
      std::size_t dstLeft = sizeof buffer;
      const std::size_t rc = iconv(cd_, &src, &srcLeft, &dst, &dstLeft);
      out.append(buffer, dst);
      if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) return false;
    }
    return true;
  }

 private:
  iconv_t cd_;
};

// --- Japanese ISO 2022 -------------------------------------------------------------------------

bool needsJapaneseDecoder(const std::vector<std::string>& terms) {
  for (const auto& t : terms) {
    if (t == "ISO 2022 IR 87" || t == "ISO 2022 IR 159" || t == "ISO 2022 IR 13") return true;
  }
  return false;
}

struct JisState {
  // Unknown: a two-byte G0 set we cannot decode; its pairs still have to be skipped as pairs.
  enum class G0 { Ascii, Jis0208, Jis0212, Unknown } g0 = G0::Ascii;
  bool katakanaInG1 = false;
  bool twoByte() const { return g0 != G0::Ascii; }
};

// The first term the Japanese decoder cannot handle alongside the others, or nullptr.
const std::string* foreignTerm(const std::vector<std::string>& terms) {
  for (const auto& t : terms) {
    if (t != "" && t != "ISO 2022 IR 6" && t != "ISO 2022 IR 13" && t != "ISO 2022 IR 87" &&
        t != "ISO 2022 IR 159") {
      return &t;
    }
  }
  return nullptr;
}

// Applies the escape sequence at the start of rest; false if it is not one of the Japanese ones.
bool applyJisEscape(std::string_view rest, JisState& s) {
  // ESC ( J designates JIS X 0201 Roman; it differs from ASCII only at 0x5C (yen) and 0x7E
  // (overline), and 0x5C is also DICOM's value delimiter, so it is read as ASCII on purpose.
  if (rest.starts_with("\x1b(B") || rest.starts_with("\x1b(J")) {
    s.g0 = JisState::G0::Ascii;
  } else if (rest.starts_with("\x1b$B")) {
    s.g0 = JisState::G0::Jis0208;
  } else if (rest.starts_with("\x1b$(D")) {
    s.g0 = JisState::G0::Jis0212;
  } else if (rest.starts_with("\x1b)I")) {
    s.katakanaInG1 = true;
  } else {
    // Track what it designates anyway, so that for display the pairs of an unknown two-byte
    // set become one U+FFFD each rather than ASCII junk.
    if (rest.starts_with("\x1b(")) {
      s.g0 = JisState::G0::Ascii;
    } else if (designatesTwoByteG0(rest, false)) {
      s.g0 = JisState::G0::Unknown;
    }
    return false;
  }
  return true;
}

std::string hexByte(unsigned char u) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", u);
  return hex;
}

// Throws on the first problem when exact is null; otherwise replaces each undecodable character
// with U+FFFD and clears *exact, for display.
std::string decodeJapanese(std::string_view charset, const std::vector<std::string>& terms,
                           std::string_view bytes, TextVr vr, bool* exact) {
  if (const std::string* t = foreignTerm(terms)) {
    fail(charset, "\"" + *t + "\" cannot be combined with the Japanese ISO 2022 sets");
  }
  Iconv eucToUtf8("UTF-8", "EUC-JP");  // EUC-JP holds every Japanese set DICOM allows
  if (!eucToUtf8.ok()) fail(charset, "the EUC-JP converter is not available");
  JisState initial;
  // IR 13 first: JIS X 0201 Roman in G0 (read as ASCII) and katakana in G1.
  initial.katakanaInG1 = terms.front() == "ISO 2022 IR 13";
  const std::string_view delimiters = delimitersFor(vr);
  JisState s = initial;
  std::string out;
  const auto bad = [&](std::size_t at, const std::string& problem) {
    if (exact == nullptr) fail(charset, problem + " at byte " + std::to_string(at));
    *exact = false;
    out += kReplacement;
  };
  // One character per iconv call, so an undefined code point costs only itself.
  const auto emit = [&](std::string_view euc, std::size_t at) {
    if (!eucToUtf8.convert(euc, out)) bad(at, "undefined JIS character");
  };
  for (std::size_t i = 0; i < bytes.size();) {
    const char c = bytes[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == kEsc) {
      if (!applyJisEscape(bytes.substr(i), s)) bad(i, "unknown escape sequence");
      i += escapeLength(bytes.substr(i));
    } else if (u >= 0x80) {
      if (s.katakanaInG1 && u >= 0xa1 && u <= 0xdf) {
        emit(std::string{'\x8e', c}, i);
      } else {
        bad(i, "invalid byte " + hexByte(u));
      }
      ++i;
    } else if (s.twoByte() && u >= 0x21 && u <= 0x7e) {
      const auto second = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0;
      if (second < 0x21 || second > 0x7e) {
        bad(i, "incomplete two-byte character");
        ++i;
        continue;
      }
      if (s.g0 == JisState::G0::Unknown) {
        bad(i, "character of an unknown set");
      } else {
        std::string euc = s.g0 == JisState::G0::Jis0212 ? "\x8f" : "";
        euc += static_cast<char>(u | 0x80);
        euc += static_cast<char>(second | 0x80);
        emit(euc, i);
      }
      i += 2;
    } else {
      if (isResettingControl(c) || delimiters.find(c) != std::string_view::npos) s = initial;
      out += c;
      ++i;
    }
  }
  return out;
}

// --- Everything else, through DCMTK ------------------------------------------------------------

std::unique_ptr<DcmSpecificCharacterSet> selectDcmtk(std::string_view charset) {
  auto converter = std::make_unique<DcmSpecificCharacterSet>();
  if (converter->selectCharacterSet(OFString(charset.data(), charset.size()), "ISO_IR 192").bad()) {
    return nullptr;
  }
  return converter;
}

std::optional<std::string> convertDcmtk(DcmSpecificCharacterSet& converter, std::string_view bytes,
                                        TextVr vr) {
  OFString out;
  const std::string delimiters(delimitersFor(vr));
  if (converter.convertString(bytes.data(), bytes.size(), out, delimiters.c_str()).bad()) {
    return std::nullopt;
  }
  return std::string(out.c_str(), out.length());
}

bool isDefaultRepertoire(std::string_view charset) {
  const std::string t = trimSpaces(charset);
  return t.empty() || t == "ISO_IR 6";  // "ISO_IR 6" is not a defined term but senders use it
}

// --- Display fallback --------------------------------------------------------------------------

std::vector<std::string_view> splitComponents(std::string_view bytes, TextVr vr) {
  const std::string_view delimiters = delimitersFor(vr);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (delimiters.find(bytes[i]) != std::string_view::npos) {
      parts.push_back(bytes.substr(start, i - start));
      parts.push_back(bytes.substr(i, 1));
      start = i + 1;
    }
  }
  parts.push_back(bytes.substr(start));
  return parts;
}

bool isPlainAscii(unsigned char u) {
  return (u >= 0x20 && u < 0x7f) || isResettingControl(u);
}

// Stateless sets: decode the longest run of 1..4 bytes the converter accepts at each position.
std::string salvageStateless(DcmSpecificCharacterSet& converter, std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    if (isPlainAscii(static_cast<unsigned char>(bytes[i]))) {
      out += bytes[i++];
      continue;
    }
    std::size_t used = 0;
    for (std::size_t n = 1; n <= 4 && i + n <= bytes.size() && used == 0; ++n) {
      if (auto text = convertDcmtk(converter, bytes.substr(i, n), TextVr::SingleText)) {
        out += *text;
        used = n;
      }
    }
    if (used == 0) {
      out += kReplacement;
      used = 1;
    }
    i += used;
  }
  return out;
}

// ISO 2022 or unknown sets: keep ASCII, drop escapes, one U+FFFD per character that is not ASCII.
std::string salvageAscii(std::string_view bytes) {
  std::string out;
  bool twoByteG0 = false;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto u = static_cast<unsigned char>(bytes[i]);
    if (u == kEsc) {
      twoByteG0 = designatesTwoByteG0(bytes.substr(i), twoByteG0);
      i += escapeLength(bytes.substr(i)) - 1;
    } else if (twoByteG0 && u > 0x20 && u < 0x7f) {
      out += kReplacement;
      ++i;
    } else if (isPlainAscii(u)) {
      if (isResettingControl(bytes[i])) twoByteG0 = false;
      out += bytes[i];
    } else {
      out += kReplacement;
    }
  }
  return out;
}

}  // namespace

std::string decodeToUtf8(std::string_view specificCharacterSet, std::string_view bytes, TextVr vr) {
  if (isDefaultRepertoire(specificCharacterSet)) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (static_cast<unsigned char>(bytes[i]) >= 0x80 || bytes[i] == kEsc) {
        fail(specificCharacterSet,
             "byte " + std::to_string(i) + " is not in the default repertoire (ASCII)");
      }
    }
    return std::string(bytes);
  }
  const auto terms = splitTerms(specificCharacterSet);
  if (needsJapaneseDecoder(terms)) {
    return decodeJapanese(specificCharacterSet, terms, bytes, vr, nullptr);
  }
  auto converter = selectDcmtk(specificCharacterSet);
  if (!converter) fail(specificCharacterSet, "unknown or unsupported character set");
  auto text = convertDcmtk(*converter, bytes, vr);
  if (!text) fail(specificCharacterSet, "text is not valid in its character set");
  return std::move(*text);
}

DecodedText decodeForDisplay(std::string_view specificCharacterSet, std::string_view bytes,
                             TextVr vr) {
  try {
    return {decodeToUtf8(specificCharacterSet, bytes, vr), true};
  } catch (const StoreError&) {
  }
  const auto terms = splitTerms(specificCharacterSet);
  if (needsJapaneseDecoder(terms) && foreignTerm(terms) == nullptr) {
    DecodedText out{{}, true};
    try {
      out.utf8 = decodeJapanese(specificCharacterSet, terms, bytes, vr, &out.exact);
      return out;
    } catch (const StoreError&) {  // only if EUC-JP cannot be opened at all
    }
  }
  // Stateless sets need no splitting, and must not be split: a GB18030 character may end in 0x5C.
  if (!isDefaultRepertoire(specificCharacterSet) &&
      specificCharacterSet.find("2022") == std::string_view::npos) {
    if (auto converter = selectDcmtk(specificCharacterSet)) {
      return {salvageStateless(*converter, bytes), false};
    }
  }
  // ISO 2022 escapes reset at every delimiter, so each component decodes on its own and one bad
  // byte costs only its own component. DICOM's ISO 2022 sets other than the Japanese ones are
  // all designated to G1, so no delimiter byte can be half of a character here.
  DecodedText out{{}, false};
  for (const std::string_view part : splitComponents(bytes, vr)) {
    try {
      // A lone component has no delimiters; as PN, DCMTK would warn it was the first group.
      out.utf8 += decodeToUtf8(specificCharacterSet, part, TextVr::SingleText);
    } catch (const StoreError&) {
      out.utf8 += salvageAscii(part);
    }
  }
  return out;
}

}  // namespace burnstation::store
