// Which patient collection an instance belongs to: Patient ID + Patient's Name (+ Issuer),
// names compared after decoding and normalisation, generated IDs where none was sent.
#pragma once

#include <string>

#include "burnstation/store/instance_header.h"

namespace burnstation::store {

struct CollectionKey {
  std::string patientId;       // as received, or generated when absent or empty
  bool idGenerated = false;    // true when patientId was made from Accession Number or Study UID
  std::string issuer;          // Issuer of Patient ID, decoded
  std::string nameUtf8;        // Patient's Name decoded to UTF-8, as received (display)
  std::string nameNormalised;  // the form that is compared
  std::string key;             // the stable string the command line shows and accepts
};

// Decodes and trims a Person Name for comparison: trailing spaces and '^' removed from
// every component group, trailing '=' removed, ASCII letters upper-cased (modalities differ
// in case for the same patient).
std::string normalisePersonName(const std::string& utf8Name);

// assumeCharset replaces an absent (0008,0005) for senders known to send undeclared text.
CollectionKey collectionKeyFor(const InstanceHeader& header, const std::string& assumeCharset = {});

}  // namespace burnstation::store
