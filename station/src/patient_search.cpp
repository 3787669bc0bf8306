// Patient search (see patient_search.h). ICU does the Unicode work; what a clerk would call
// "the same letter" beyond ICU's folding is spelled out here.
#include "burnstation/station/patient_search.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>

#include "burnstation/station/request_error.h"

namespace burnstation::station {

namespace {

bool isCombiningAccent(UChar32 c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

// Letters with no decomposition that a person without the key types in ASCII (after case
// folding); nullptr for every other character.
const char16_t* asciiSpelling(UChar32 c) {
  switch (c) {
    case 0x00E6:
      return u"ae";  // æ
    case 0x00F0:
      return u"d";  // ð
    case 0x00F8:
      return u"o";  // ø
    case 0x00FE:
      return u"th";  // þ
    case 0x0111:
      return u"d";  // đ
    case 0x0131:
      return u"i";  // ı
    case 0x0142:
      return u"l";  // ł
    case 0x0153:
      return u"oe";  // œ
    default:
      return nullptr;
  }
}

bool isSeparator(UChar32 c) {
  return c == '^' || c == '=' || c == ',' || u_isUWhiteSpace(c);
}

// "1970-01-01", "1970/01", "01.01.1970", "19700101" -> the digits in YYYYMMDD order; empty
// for anything else.
std::string dateDigits(const std::string& word) {
  std::vector<std::string> parts(1);
  for (char c : word) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      parts.back().push_back(c);
    } else if (c == '-' || c == '.' || c == '/') {
      parts.emplace_back();
    } else {
      return {};
    }
  }
  std::string digits;
  if (parts.size() == 1) {
    digits = parts[0];
  } else if (parts.size() == 3 && parts[2].size() == 4 && parts[0].size() == 2 &&
             parts[1].size() == 2) {
    digits = parts[2] + parts[1] + parts[0];  // DD.MM.YYYY
  } else if (parts[0].size() == 4) {
    digits = parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i) {
      if (parts[i].size() != 2) return {};
      digits += parts[i];
    }
  } else {
    return {};
  }
  if (digits.size() != 4 && digits.size() != 6 && digits.size() != 8) return {};
  return digits;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string withoutSpaces(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return text;
}

}  // namespace

std::string foldForSearch(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw RequestError("Unicode normalisation is not available");
  icu::UnicodeString decomposed =
      nfkd->normalize(icu::UnicodeString::fromUTF8(
                          icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
                      status);
  decomposed.foldCase(U_FOLD_CASE_DEFAULT);
  icu::UnicodeString plain;
  bool lastWasSpace = true;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (isCombiningAccent(c)) continue;
    if (isSeparator(c)) {
      if (!lastWasSpace) plain.append(u' ');
      lastWasSpace = true;
      continue;
    }
    lastWasSpace = false;
    if (const char16_t* ascii = asciiSpelling(c)) {
      plain.append(ascii);
    } else if (c >= 0x30A1 && c <= 0x30F6) {
      plain.append(static_cast<UChar32>(c - 0x60));  // katakana -> hiragana
    } else {
      plain.append(c);
    }
  }
  while (plain.length() > 0 && plain.charAt(plain.length() - 1) == u' ')
    plain.truncate(plain.length() - 1);
  // Kana and their voicing marks, taken apart above, are put together again.
  const icu::UnicodeString composed = nfc->normalize(plain, status);
  if (U_FAILURE(status)) throw RequestError("Unicode normalisation failed");
  std::string out;
  composed.toUTF8String(out);
  return out;
}

PatientSearch::PatientSearch(std::string_view text) {
  if (text.size() > kMaxTextBytes) {
    throw RequestError("the search text is longer than " + std::to_string(kMaxTextBytes) +
                       " bytes");
  }
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strFromUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    throw RequestError("the search text is not UTF-8");
  }
  const std::string folded = foldForSearch(text);
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) {
      Word w;
      w.folded = folded.substr(start, end - start);
      w.date = dateDigits(w.folded);
      words_.push_back(std::move(w));
    }
    start = end + 1;
  }
}

bool PatientSearch::matches(const store::CollectionSummary& patient) const {
  if (words_.empty()) return true;
  const std::string name = foldForSearch(patient.patientName);
  // Japanese names are typed without the '^' between family and given name.
  const std::string joinedName = withoutSpaces(name);
  const std::string id = foldForSearch(patient.patientId);
  std::vector<std::string> accessions;
  for (const auto& s : patient.studies) {
    if (!s.accession.empty()) accessions.push_back(foldForSearch(s.accession));
  }
  return std::all_of(words_.begin(), words_.end(), [&](const Word& w) {
    if (name.find(w.folded) != std::string::npos) return true;
    if (joinedName.find(w.folded) != std::string::npos) return true;
    if (id.find(w.folded) != std::string::npos) return true;
    if (!w.date.empty() && !patient.birthDate.empty() && startsWith(patient.birthDate, w.date)) {
      return true;
    }
    return std::any_of(accessions.begin(), accessions.end(),
                       [&](const std::string& a) { return startsWith(a, w.folded); });
  });
}

ArrivalWindow arrivalWindowFor(const StationConfig& config) {
  ArrivalWindow window;
  window.seconds =
      std::chrono::seconds(config.previews.quietSeconds > 0 ? config.previews.quietSeconds : 60);
  return window;
}

void sortNewestArrivalsFirst(std::vector<store::CollectionSummary>& patients) {
  std::stable_sort(patients.begin(), patients.end(),
                   [](const store::CollectionSummary& a, const store::CollectionSummary& b) {
                     return a.lastArrivalMs > b.lastArrivalMs;
                   });
}

}  // namespace burnstation::station
