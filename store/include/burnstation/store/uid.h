// The check every UID the station uses passes before it names anything (PS3.5 9.1): a
// received value is hostile until it is shown to be digits and dots.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "burnstation/store/instance_header.h"

namespace burnstation::store {

enum class UidVerdict {
  Valid,
  Unusual,  // accepted: a component with a leading zero, which older devices send
  Invalid,  // refused: the reason says why
};

struct UidCheck {
  UidVerdict verdict = UidVerdict::Invalid;
  std::string value;   // the UID with its trailing NUL/space padding stripped
  std::string reason;  // why it is invalid or unusual, for a person; empty when valid
};

// Pure: strips trailing NUL and space padding, then checks characters, length (64) and
// components.
UidCheck checkUid(std::string_view raw);

// A received value as it may go into a log line or an Error Comment: bytes other than
// printable ASCII, and the backslash, quote and %, as %XX.
std::string printableUid(std::string_view raw);

// `SOP Instance UID "../x" is not a valid UID: only digits and dots allowed`, with the value
// shown printable (bytes other than printable ASCII, backslash, quote and % as %XX). When
// that is longer than maxLength (64 for an Error Comment, which is LO) it becomes
// `SOP Instance UID "../x": only digits and dots allowed`, the value shortened if need be.
std::string uidProblem(std::string_view attribute, std::string_view raw, const UidCheck& check,
                       std::size_t maxLength = std::string::npos);

struct NamedUid {
  std::string_view attribute;  // "SOP Instance UID"
  std::string_view raw;
};

struct UidScreen {
  std::string refusal;  // uidProblem of the first invalid UID; empty when none is invalid
  std::string unusual;  // uidProblem of each unusual UID, joined by "; "
  bool refused() const { return !refusal.empty(); }
};

UidScreen screenUids(std::initializer_list<NamedUid> uids,
                     std::size_t maxLength = std::string::npos);

// The UIDs of a received instance the station uses: SOP Instance, SOP Class, Study and
// Series Instance UIDs (when present: objects outside the study model have none) and the
// Transfer Syntax (of the File Meta, which we wrote from the request, so the Media Storage
// SOP Instance UID there is the request's).
UidScreen screenInstanceUids(const InstanceHeader& header,
                             std::size_t maxLength = std::string::npos);

}  // namespace burnstation::store
