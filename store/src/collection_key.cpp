// Collection keys: how received instances are grouped per patient (Philips 4.2.1.4.2,
// generated IDs per its Table 19).
#include "burnstation/store/collection_key.h"

#include <cstdio>
#include <vector>

#include "burnstation/store/charset.h"
#include "content_hash.h"

namespace burnstation::store {
namespace {

std::string trimSpaces(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  std::size_t first = 0;
  while (first < s.size() && s[first] == ' ') ++first;
  return s.substr(first);
}

std::string hex64(std::uint64_t value, int digits) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return std::string(buffer + 16 - digits);
}

}  // namespace

std::string normalisePersonName(const std::string& utf8Name) {
  std::vector<std::string> groups(1);
  for (char c : utf8Name) {
    if (c == '=') {
      groups.emplace_back();
    } else {
      groups.back().push_back(c);
    }
  }
  std::string result;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string group = groups[i];
    while (!group.empty() && (group.back() == '^' || group.back() == ' ')) group.pop_back();
    // Components themselves may carry padding inside: "DOE ^JOHN" equals "DOE^JOHN".
    std::string cleaned;
    std::string component;
    auto flush = [&](bool delimiter) {
      cleaned += trimSpaces(component);
      if (delimiter) cleaned += '^';
      component.clear();
    };
    for (char c : group) {
      if (c == '^') {
        flush(true);
      } else {
        component.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      }
    }
    flush(false);
    if (i > 0) result += '=';
    result += cleaned;
  }
  while (!result.empty() && (result.back() == '=' || result.back() == '^')) result.pop_back();
  return result;
}

CollectionKey collectionKeyFor(const InstanceHeader& header, const std::string& assumeCharset) {
  const std::string charset =
      header.specificCharacterSet.empty() ? assumeCharset : header.specificCharacterSet;
  CollectionKey key;
  key.patientId = trimSpaces(decodeForDisplay(charset, header.patientId, TextVr::MultiValued).utf8);
  key.issuer =
      trimSpaces(decodeForDisplay(charset, header.issuerOfPatientId, TextVr::MultiValued).utf8);
  key.nameUtf8 = trimSpaces(decodeForDisplay(charset, header.patientName, TextVr::PersonName).utf8);
  key.nameNormalised = normalisePersonName(key.nameUtf8);

  if (key.patientId.empty()) {
    // Table 19: the Accession Number stands in for a missing Patient ID; without one each
    // study becomes its own collection, named after its Study Instance UID.
    key.idGenerated = true;
    const std::string accession = trimSpaces(header.accessionNumber);
    if (!accession.empty()) {
      key.patientId = "ACC-" + accession;
    } else {
      key.patientId = "STUDY-" + hex64(hashText(header.studyInstanceUid), 16);
    }
  }
  const std::string identity = key.issuer + '\x1f' + key.nameNormalised;
  key.key = key.patientId + "~" + hex64(hashText(identity), 8);
  return key;
}

}  // namespace burnstation::store
