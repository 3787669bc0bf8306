// Finding a patient the way a clerk at the counter asks for one: by name in any character set
// (case- and accent-insensitive, Japanese by any of its ideographic or phonetic groups), by
// Patient ID, birth date or accession number. Here, not in the local API, so that the command
// line can search the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "burnstation/station/documents.h"
#include "burnstation/station/station_config.h"
#include "burnstation/store/store.h"

namespace burnstation::station {

class PatientSearch {
 public:
  // Longer search texts are refused: nobody types them, and each one costs a pass over
  // every patient.
  static constexpr std::size_t kMaxTextBytes = 200;

  // Words are separated by spaces (also the ideographic space), '^' or ','. Throws
  // RequestError for a text longer than kMaxTextBytes or not UTF-8.
  explicit PatientSearch(std::string_view text);

  // True for an empty text. Otherwise every word must match one of: a part of the name (in
  // any of its component groups), a part of the Patient ID, the start of the birth date
  // (1970, 197001, 19700101, 1970-01-01, 01.01.1970) or the start of a study's accession
  // number.
  bool matches(const store::CollectionSummary& patient) const;

  bool empty() const { return words_.empty(); }

 private:
  struct Word {
    std::string folded;
    std::string date;  // the word as YYYY[MM[DD]], or empty when it is no date
  };
  std::vector<Word> words_;
};

// The form names, IDs and words are compared in: compatibility-decomposed (full-width
// letters, half-width kana), without accents, case-folded, katakana as hiragana, a few
// letters without a decomposition spelled in ASCII (ł, ø, æ, đ, þ), DICOM's '^' and '='
// as spaces. Invalid UTF-8 bytes become U+FFFD.
std::string foldForSearch(std::string_view utf8);

// A study counts as arriving for as long as the background renderer waits before it treats a
// study as complete ([previews] quiet_seconds), 60 s where that is not set.
ArrivalWindow arrivalWindowFor(const StationConfig& config);

// Newest arrivals first (the kiosk's "recent arrivals"), then by name as the store lists them.
void sortNewestArrivalsFirst(std::vector<store::CollectionSummary>& patients);

}  // namespace burnstation::station
