// Character set decoding (see charset.h). DCMTK handles every term glibc can convert;
// Japanese ISO 2022 (IR 87, IR 159, IR 13 as code extension) is decoded here by
// re-encoding to EUC-JP, because glibc in this build lacks ISO-IR-87/159 converters.
#include "burnstation/store/charset.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcspchrs.h>
#include <iconv.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

std::string delimitersFor(TextVr vr) {
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

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> terms(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto slash = value.find('\\', start);
    out.push_back(trim(value.substr(start, slash == std::string_view::npos ? std::string_view::npos
                                                                          : slash - start)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool isJapaneseIso2022(const std::vector<std::string>& t) {
  for (const auto& term : t) {
    if (term == "ISO 2022 IR 87" || term == "ISO 2022 IR 159") return true;
  }
  return !t.empty() && t[0] == "ISO 2022 IR 13" && t.size() > 1;
}

struct IconvDeleter {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

std::string eucJpToUtf8(const std::string& euc) {
  const iconv_t raw = iconv_open("UTF-8", "EUC-JP");
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    throw StoreError(StoreError::Code::Charset, "EUC-JP converter not available");
  }
  std::unique_ptr<void, IconvDeleter> cd(raw);
  std::string out(euc.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(euc.data());
  std::size_t inLeft = euc.size();
  char* o = out.data();
  std::size_t outLeft = out.size();
  if (iconv(static_cast<iconv_t>(cd.get()), &in, &inLeft, &o, &outLeft) == static_cast<size_t>(-1)) {
    throw StoreError(StoreError::Code::Charset,
                     "invalid Japanese (ISO 2022 IR 87/159) text in a value");
  }
  out.resize(out.size() - outLeft);
  return out;
}

// Walks ISO 2022 escapes for the Japanese sets and produces EUC-JP.
std::string decodeJapanese(const std::vector<std::string>& t, std::string_view bytes, TextVr vr) {
  enum class G0 { Ascii, Roman, Jis0208, Jis0212 };
  const bool katakanaInG1 = !t.empty() && (t[0] == "ISO 2022 IR 13" || t[0] == "ISO_IR 13");
  const std::string delimiters = delimitersFor(vr);
  G0 g0 = G0::Ascii;
  std::string euc;
  for (std::size_t i = 0; i < bytes.size();) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == 0x1b) {
      const std::string_view rest = bytes.substr(i);
      if (rest.substr(0, 3) == "\x1b(B") {
        g0 = G0::Ascii, i += 3;
      } else if (rest.substr(0, 3) == "\x1b(J") {
        g0 = G0::Roman, i += 3;
      } else if (rest.substr(0, 3) == "\x1b$B" || rest.substr(0, 3) == "\x1b$@") {
        g0 = G0::Jis0208, i += 3;
      } else if (rest.substr(0, 4) == "\x1b$(D") {
        g0 = G0::Jis0212, i += 4;
      } else if (rest.substr(0, 3) == "\x1b)I") {
        i += 3;  // katakana in G1: high bytes are half-width katakana
      } else {
        throw StoreError(StoreError::Code::Charset, "unsupported ISO 2022 escape sequence in a value");
      }
      continue;
    }
    if (c >= 0xa1 && c <= 0xdf && (katakanaInG1 || g0 != G0::Jis0208)) {
      euc += '\x8e';
      euc += static_cast<char>(c);
      ++i;
      continue;
    }
    if ((g0 == G0::Jis0208 || g0 == G0::Jis0212) && c > 0x20 && c < 0x7f) {
      if (i + 1 >= bytes.size()) {
        throw StoreError(StoreError::Code::Charset, "truncated two-byte Japanese character");
      }
      if (g0 == G0::Jis0212) euc += '\x8f';
      euc += static_cast<char>(c | 0x80);
      euc += static_cast<char>(static_cast<unsigned char>(bytes[i + 1]) | 0x80);
      i += 2;
      continue;
    }
    if (c >= 0x80) throw StoreError(StoreError::Code::Charset, "invalid byte in Japanese text");
    // Delimiters and control characters return to the initial set (PS3.5 6.1.2.5.3).
    if (delimiters.find(static_cast<char>(c)) != std::string::npos || c == '\r' || c == '\n' ||
        c == '\t' || c == '\f') {
      g0 = G0::Ascii;
    }
    // JIS X 0201 Roman differs from ASCII only in yen and overline; keep them as ASCII so
    // names stay searchable with a plain keyboard.
    euc += static_cast<char>(c);
    ++i;
  }
  return eucJpToUtf8(euc);
}

std::string decodeWithDcmtk(std::string_view charset, std::string_view bytes, TextVr vr) {
  DcmSpecificCharacterSet converter;
  OFString from(charset.data(), charset.size());
  if (trim(charset) == "ISO_IR 6") from = "";  // non-standard spelling of the default
  const OFCondition selected = converter.selectCharacterSet(from, "ISO_IR 192");
  if (selected.bad()) {
    throw StoreError(StoreError::Code::Charset, "unknown or unsupported Specific Character Set \"" +
                                                    std::string(charset) + "\": " + selected.text());
  }
  OFString out;
  const OFCondition converted =
      converter.convertString(bytes.data(), bytes.size(), out, delimitersFor(vr).c_str());
  if (converted.bad()) {
    throw StoreError(StoreError::Code::Charset, "text is not valid in Specific Character Set \"" +
                                                    std::string(charset) + "\": " + converted.text());
  }
  return std::string(out.c_str(), out.length());
}

bool isAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == 0x1b) return false;
  }
  return true;
}

}  // namespace

std::string decodeToUtf8(std::string_view specificCharacterSet, std::string_view bytes, TextVr vr) {
  const auto t = terms(specificCharacterSet);
  const bool defaultRepertoire = trim(specificCharacterSet).empty() || trim(specificCharacterSet) == "ISO_IR 6";
  if (defaultRepertoire) {
    if (!isAscii(bytes)) {
      throw StoreError(StoreError::Code::Charset,
                       "non-ASCII text without a Specific Character Set");
    }
    return std::string(bytes);
  }
  if (isJapaneseIso2022(t)) return decodeJapanese(t, bytes, vr);
  return decodeWithDcmtk(specificCharacterSet, bytes, vr);
}

DecodedText decodeForDisplay(std::string_view specificCharacterSet, std::string_view bytes,
                             TextVr vr) {
  try {
    return {decodeToUtf8(specificCharacterSet, bytes, vr), true};
  } catch (const StoreError&) {
    // Keep what is plainly readable and mark the rest, so a clerk still sees most of it.
    DecodedText out{{}, false};
    for (char c : bytes) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f) {
        out.utf8 += c;
      } else if (u != 0x1b) {
        out.utf8 += "\xEF\xBF\xBD";
      }
    }
    return out;
  }
}

}  // namespace burnstation::store
