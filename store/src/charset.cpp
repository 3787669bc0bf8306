// Character set decoding (see charset.h). DCMTK converts every term glibc can open; Japanese
// ISO 2022 (IR 87, IR 159, IR 13 as a code extension) is decoded here by re-encoding to EUC-JP,
// because glibc in this build has no ISO-IR-87/159 converters for DCMTK to use.
#include "burnstation/store/charset.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcspchrs.h>
#include <iconv.h>

#include <cstdio>
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
bool isResettingControl(char c) { return c == '\r' || c == '\n' || c == '\t' || c == '\f'; }

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
  enum class G0 { Ascii, Jis0208, Jis0212 } g0 = G0::Ascii;
  bool katakanaInG1 = false;
  bool twoByte() const { return g0 != G0::Ascii; }
};

JisState initialJisState(std::string_view charset, const std::vector<std::string>& terms) {
  for (const auto& t : terms) {
    if (t != "" && t != "ISO 2022 IR 6" && t != "ISO 2022 IR 13" && t != "ISO 2022 IR 87" &&
        t != "ISO 2022 IR 159") {
      fail(charset, "\"" + t + "\" cannot be combined with the Japanese ISO 2022 sets");
    }
  }
  JisState initial;
  // IR 13 first: JIS X 0201 Roman in G0 (read as ASCII, below) and katakana in G1.
  initial.katakanaInG1 = terms.front() == "ISO 2022 IR 13";
  return initial;
}

// Returns the length of the escape sequence at bytes[i] after applying it, or 0 if unknown.
std::size_t applyJisEscape(std::string_view rest, JisState& s) {
  // ESC ( J designates JIS X 0201 Roman; it differs from ASCII only at 0x5C (yen) and 0x7E
  // (overline), and 0x5C is also DICOM's value delimiter, so it is read as ASCII on purpose.
  if (rest.starts_with("\x1b(B") || rest.starts_with("\x1b(J")) return s.g0 = JisState::G0::Ascii, 3;
  if (rest.starts_with("\x1b$B")) return s.g0 = JisState::G0::Jis0208, 3;
  if (rest.starts_with("\x1b$(D")) return s.g0 = JisState::G0::Jis0212, 4;
  if (rest.starts_with("\x1b)I")) return s.katakanaInG1 = true, 3;
  return 0;
}

std::string decodeJapanese(std::string_view charset, const std::vector<std::string>& terms,
                           std::string_view bytes, TextVr vr) {
  const JisState initial = initialJisState(charset, terms);
  const std::string_view delimiters = delimitersFor(vr);
  JisState s = initial;
  std::string euc;  // EUC-JP holds every set here and glibc converts it
  for (std::size_t i = 0; i < bytes.size();) {
    const char c = bytes[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == kEsc) {
      const std::size_t n = applyJisEscape(bytes.substr(i), s);
      if (n == 0) fail(charset, "unknown escape sequence at byte " + std::to_string(i));
      i += n;
    } else if (u >= 0x80) {
      if (!s.katakanaInG1 || u < 0xa1 || u > 0xdf) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", u);
        fail(charset, std::string("invalid byte ") + hex + " at byte " + std::to_string(i));
      }
      euc += '\x8e';
      euc += c;
      ++i;
    } else if (s.twoByte() && u >= 0x21 && u <= 0x7e) {
      if (i + 1 >= bytes.size() || bytes[i + 1] < 0x21 || bytes[i + 1] > 0x7e) {
        fail(charset, "incomplete two-byte character at byte " + std::to_string(i));
      }
      if (s.g0 == JisState::G0::Jis0212) euc += '\x8f';
      euc += static_cast<char>(u | 0x80);
      euc += static_cast<char>(bytes[i + 1] | 0x80);
      i += 2;
    } else {
      if (isResettingControl(c) || delimiters.find(c) != std::string_view::npos) s = initial;
      euc += c;
      ++i;
    }
  }
  Iconv toUtf8("UTF-8", "EUC-JP");
  if (!toUtf8.ok()) fail(charset, "the EUC-JP converter is not available");
  std::string out;
  if (!toUtf8.convert(euc, out)) fail(charset, "text holds an undefined JIS character");
  return out;
}

// --- Everything else, through DCMTK ------------------------------------------------------------

std::optional<DcmSpecificCharacterSet> selectDcmtk(std::string_view charset) {
  std::optional<DcmSpecificCharacterSet> converter(std::in_place);
  if (converter->selectCharacterSet(OFString(charset.data(), charset.size()), "ISO_IR 192").bad()) {
    return std::nullopt;
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

// Splits at the delimiters that really are delimiters: inside a two-byte G0 set '^' or '=' can be
// half of a character (PS3.5 H.3.1 has "$^"), so escapes are tracked just far enough to tell.
std::vector<std::string_view> splitComponents(std::string_view bytes, TextVr vr) {
  const std::string_view delimiters = delimitersFor(vr);
  std::vector<std::string_view> parts;
  bool twoByteG0 = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == kEsc && i + 1 < bytes.size()) {
      // ESC $ F and ESC $ ( F designate a two-byte G0; ESC ( F a single-byte one.
      if (bytes[i + 1] == '$') twoByteG0 = i + 2 < bytes.size() && bytes[i + 2] != ')';
      if (bytes[i + 1] == '(') twoByteG0 = false;
    } else if (isResettingControl(c)) {
      twoByteG0 = false;
    } else if (!twoByteG0 && delimiters.find(c) != std::string_view::npos) {
      parts.push_back(bytes.substr(start, i - start));
      parts.push_back(bytes.substr(i, 1));
      start = i + 1;
    } else if (twoByteG0 && c > 0x20) {
      ++i;  // the second byte of the pair can be anything
    }
  }
  parts.push_back(bytes.substr(start));
  return parts;
}

bool isPlainAscii(unsigned char u) { return (u >= 0x20 && u < 0x7f) || isResettingControl(u); }

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
    if (used == 0) out += kReplacement, used = 1;
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
      if (i + 1 < bytes.size() && bytes[i + 1] == '$') twoByteG0 = bytes.substr(i, 3) != "\x1b$)";
      if (i + 1 < bytes.size() && bytes[i + 1] == '(') twoByteG0 = false;
      while (i + 1 < bytes.size() && bytes[i + 1] >= 0x20 && bytes[i + 1] <= 0x2f) ++i;
      ++i;  // the final byte
    } else if (twoByteG0 && u > 0x20 && u < 0x7f) {
      out += kReplacement;
      ++i;
    } else if (isPlainAscii(u)) {
      out += bytes[i];
    } else {
      out += kReplacement;
    }
  }
  return out;
}

std::string salvageComponent(std::string_view charset, std::string_view bytes) {
  if (!isDefaultRepertoire(charset) && charset.find("2022") == std::string_view::npos) {
    if (auto converter = selectDcmtk(charset)) return salvageStateless(*converter, bytes);
  }
  return salvageAscii(bytes);
}

}  // namespace

std::string decodeToUtf8(std::string_view specificCharacterSet, std::string_view bytes,
                         TextVr vr) {
  if (isDefaultRepertoire(specificCharacterSet)) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (static_cast<unsigned char>(bytes[i]) >= 0x80 || bytes[i] == kEsc) {
        fail(specificCharacterSet, "byte " + std::to_string(i) +
                                       " is not in the default repertoire (ASCII)");
      }
    }
    return std::string(bytes);
  }
  const auto terms = splitTerms(specificCharacterSet);
  if (needsJapaneseDecoder(terms)) return decodeJapanese(specificCharacterSet, terms, bytes, vr);
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
  // Escapes reset at every delimiter, so each component decodes on its own and one bad byte
  // costs only its own component; the rest of the name still shows.
  DecodedText out{{}, false};
  for (const std::string_view part : splitComponents(bytes, vr)) {
    try {
      out.utf8 += decodeToUtf8(specificCharacterSet, part, vr);
    } catch (const StoreError&) {
      out.utf8 += salvageComponent(specificCharacterSet, part);
    }
  }
  return out;
}

}  // namespace burnstation::store
