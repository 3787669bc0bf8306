// UID validation (see uid.h).
#include "burnstation/store/uid.h"

#include <cstdio>

namespace burnstation::store {
namespace {

constexpr std::size_t kMaxUidLength = 64;

}  // namespace

std::string printableUid(std::string_view raw) {
  std::string out;
  for (const char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e || c == '\\' || c == '%' || c == '"') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

UidCheck checkUid(std::string_view raw) {
  UidCheck check;
  std::string_view value = raw;
  while (!value.empty() && (value.back() == '\0' || value.back() == ' ')) value.remove_suffix(1);
  if (value.empty()) {
    check.reason = "empty";
    return check;
  }
  for (const char c : value) {
    if ((c < '0' || c > '9') && c != '.') {
      check.reason = "only digits and dots allowed";
      return check;
    }
  }
  if (value.size() > kMaxUidLength) {
    check.reason = "longer than 64 characters";
    return check;
  }
  bool leadingZero = false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = value.find('.', start);
    const std::string_view component =
        value.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (component.empty()) {
      check.reason = "empty component (leading, trailing or double dot)";
      return check;
    }
    if (component.size() > 1 && component.front() == '0') leadingZero = true;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  check.value = std::string(value);
  if (leadingZero) {
    check.verdict = UidVerdict::Unusual;
    check.reason = "a component has a leading zero";
  } else {
    check.verdict = UidVerdict::Valid;
  }
  return check;
}

std::string uidProblem(std::string_view attribute, std::string_view raw, const UidCheck& check,
                       std::size_t maxLength) {
  const std::string shown = printableUid(raw);
  const std::string head = std::string(attribute) + " \"";
  const std::string what =
      check.verdict == UidVerdict::Invalid ? " is not a valid UID: " : " is an unusual UID: ";
  const std::string sentence = head + shown + "\"" + what + check.reason;
  if (maxLength == std::string::npos || sentence.size() <= maxLength) return sentence;
  // Too long for an Error Comment: the reason matters more than the value.
  const std::string tail = "\": " + check.reason;
  if (head.size() + shown.size() + tail.size() <= maxLength) return head + shown + tail;
  const std::size_t fixed = head.size() + tail.size() + 3;  // "..."
  if (fixed >= maxLength) {
    return (std::string(attribute) + ": " + check.reason).substr(0, maxLength);
  }
  return head + shown.substr(0, maxLength - fixed) + "..." + tail;
}

UidScreen screenUids(std::initializer_list<NamedUid> uids, std::size_t maxLength) {
  UidScreen screen;
  for (const NamedUid& uid : uids) {
    const UidCheck check = checkUid(uid.raw);
    if (check.verdict == UidVerdict::Invalid) {
      if (!screen.refused()) screen.refusal = uidProblem(uid.attribute, uid.raw, check, maxLength);
    } else if (check.verdict == UidVerdict::Unusual) {
      if (!screen.unusual.empty()) screen.unusual += "; ";
      screen.unusual += uidProblem(uid.attribute, uid.raw, check);
    }
  }
  return screen;
}

UidScreen screenInstanceUids(const InstanceHeader& header, std::size_t maxLength) {
  UidScreen screen = screenUids({{"SOP Instance UID", header.sopInstanceUid},
                                 {"SOP Class UID", header.sopClassUid},
                                 {"Transfer Syntax UID", header.transferSyntaxUid}},
                                maxLength);
  // Objects outside the patient/study model (a colour palette, a hanging protocol) have
  // no study or series: absent is fine, present must be valid.
  for (const NamedUid uid : {NamedUid{"Study Instance UID", header.studyInstanceUid},
                             NamedUid{"Series Instance UID", header.seriesInstanceUid}}) {
    if (uid.raw.empty()) continue;
    const UidScreen one = screenUids({uid}, maxLength);
    if (!screen.refused()) screen.refusal = one.refusal;
    if (!one.unusual.empty()) screen.unusual += (screen.unusual.empty() ? "" : "; ") + one.unusual;
  }
  return screen;
}

}  // namespace burnstation::store
