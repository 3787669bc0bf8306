// A-ASSOCIATE-RQ pre-check (see association_request_check.h). Every length is checked
// against the bytes of its parent before it is used; nothing here recurses.
#include "association_request_check.h"

#include <algorithm>

#include "burnstation/store/uid.h"

namespace burnstation::receiver {
namespace {

enum PduType : unsigned char {
  kAssociateRq = 0x01,
  kAssociateAc = 0x02,
  kAssociateRj = 0x03,
  kDataTf = 0x04,
  kReleaseRq = 0x05,
  kReleaseRp = 0x06,
  kAbort = 0x07,
};

enum ItemType : unsigned char {
  kApplicationContext = 0x10,
  kPresentationContextRq = 0x20,
  kAbstractSyntax = 0x30,
  kTransferSyntax = 0x40,
  kUserInformation = 0x50,
  kMaximumLength = 0x51,
  kImplementationVersionName = 0x55,
};

// Protocol version, reserved, called AE, calling AE, reserved (PS3.8 Table 9-11).
constexpr std::size_t kFixedFieldBytes = 2 + 2 + 16 + 16 + 32;
constexpr int kMaxPresentationContexts = 128;  // odd context IDs 1..255

std::uint32_t big32(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) |
         (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

std::uint16_t big16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>((std::uint8_t(b[at]) << 8) | std::uint8_t(b[at + 1]));
}

std::string hexByte(unsigned char b) {
  constexpr const char* kDigits = "0123456789abcdef";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

// What a person reading the log can do something with: the commonest non-DICOM callers.
std::string describeForeignBytes(std::string_view b) {
  if (b.size() >= 3 && b[0] == 0x16 && b[1] == 0x03)
    return "a TLS handshake on the plain DICOM port (the sender is set up for DICOM TLS?)";
  for (const char* verb : {"GET ", "POST", "HEAD", "PUT ", "OPTI", "CONN"}) {
    if (b.substr(0, 4) == verb) return "an HTTP request, not DICOM";
  }
  return "not a DICOM PDU (type " + hexByte(std::uint8_t(b[0])) + ")";
}

// AE titles (PS3.5 AE): 16 bytes, spaces around are not significant; printable ASCII but
// backslash. Trailing NULs are tolerated, as some devices pad with them.
std::optional<std::string> aeTitleOf(std::string_view field) {
  std::size_t end = field.size();
  while (end > 0 && (field[end - 1] == ' ' || field[end - 1] == '\0')) --end;
  std::size_t begin = 0;
  while (begin < end && field[begin] == ' ') ++begin;
  const std::string_view title = field.substr(begin, end - begin);
  if (title.empty()) return std::nullopt;
  for (char c : title) {
    if (c < 0x20 || c > 0x7e || c == '\\') return std::nullopt;
  }
  return std::string(title);
}

// A UID in an item (PS3.8 9.3.2.1: not padded, but a trailing NUL is common in the field);
// a leading zero in a component, which older devices send, is no reason to hang up.
bool isItemUid(std::string_view uid) {
  return store::checkUid(uid).verdict != store::UidVerdict::Invalid;
}

std::string printable(std::string_view field) {
  while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
  return store::printableUid(field);
}

// Walks items (type, reserved, 16-bit length) inside [begin, end): calls visit(type, body)
// for each and reports the first item that does not fit.
template <typename Visit>
std::optional<std::string> forEachItem(std::string_view bytes, const char* where, Visit visit) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < 4) return std::string("a truncated item header in ") + where;
    const unsigned char type = static_cast<unsigned char>(bytes[at]);
    const std::size_t length = big16(bytes, at + 2);
    if (length > bytes.size() - at - 4) {
      return "an item of type " + hexByte(type) + " in " + where + " declares " +
             std::to_string(length) + " bytes but only " + std::to_string(bytes.size() - at - 4) +
             " follow";
    }
    if (auto problem = visit(type, bytes.substr(at + 4, length))) return problem;
    at += 4 + length;
  }
  return std::nullopt;
}

RequestCheck abortWith(RequestCheck check, const AbortReason& reason, std::string why) {
  check.verdict = RequestCheck::Verdict::Abort;
  check.abort = reason;
  check.explanation = std::move(why);
  return check;
}

RequestCheck rejectWith(RequestCheck check, const Rejection& rejection, std::string why) {
  check.verdict = RequestCheck::Verdict::Reject;
  check.rejection = rejection;
  check.explanation = std::move(why);
  return check;
}

std::optional<std::string> checkPresentationContext(std::string_view body) {
  if (body.size() < 4) return std::string("a presentation context item shorter than 4 bytes");
  int abstractSyntaxes = 0;
  int transferSyntaxes = 0;
  auto problem =
      forEachItem(body.substr(4), "a presentation context",
                  [&](unsigned char type, std::string_view sub) -> std::optional<std::string> {
                    if (type == kAbstractSyntax) {
                      ++abstractSyntaxes;
                      if (!isItemUid(sub))
                        return "abstract syntax \"" + printable(sub) + "\" is not a UID";
                    } else if (type == kTransferSyntax) {
                      ++transferSyntaxes;
                      if (!isItemUid(sub))
                        return "transfer syntax \"" + printable(sub) + "\" is not a UID";
                    }
                    return std::nullopt;
                  });
  if (problem) return problem;
  if (abstractSyntaxes != 1)
    return "a presentation context with " + std::to_string(abstractSyntaxes) + " abstract syntaxes";
  if (transferSyntaxes == 0) return std::string("a presentation context without a transfer syntax");
  return std::nullopt;
}

std::optional<std::string> checkUserInformation(std::string_view body) {
  return forEachItem(body, "the user information",
                     [](unsigned char type, std::string_view sub) -> std::optional<std::string> {
                       if (type == kMaximumLength && sub.size() != 4)
                         return std::string("a maximum length sub-item that is not 4 bytes");
                       if (type == kImplementationVersionName && sub.size() > 16)
                         return std::string("an implementation version name over 16 characters");
                       return std::nullopt;
                     });
}

}  // namespace

RequestCheck checkAssociationRequest(std::string_view received) {
  RequestCheck check;
  if (received.empty()) return check;
  const auto type = static_cast<unsigned char>(received[0]);
  switch (type) {
    case kAssociateRq:
      break;
    case kAbort:
      check.verdict = RequestCheck::Verdict::Close;
      check.explanation = "the peer aborted before associating";
      return check;
    case kDataTf:
      return abortWith(check, abort_reason::kUnexpectedPdu,
                       "P-DATA-TF before any association: data sent without associating first");
    case kAssociateAc:
    case kAssociateRj:
    case kReleaseRq:
    case kReleaseRp:
      return abortWith(check, abort_reason::kUnexpectedPdu,
                       "PDU type " + hexByte(type) + " before any association request");
    default:
      return abortWith(check, abort_reason::kUnrecognizedPdu, describeForeignBytes(received));
  }
  if (received.size() < kPduHeaderBytes) return check;
  const std::uint32_t length = big32(received, 2);
  if (length > kMaxAssociateRequestBytes - kPduHeaderBytes) {
    return abortWith(check, abort_reason::kInvalidParameterValue,
                     "an association request of " + std::to_string(length) +
                         " bytes, more than the " + std::to_string(kMaxAssociateRequestBytes) +
                         " we read");
  }
  if (length < kFixedFieldBytes) {
    return abortWith(check, abort_reason::kInvalidParameterValue,
                     "an association request of " + std::to_string(length) +
                         " bytes, too short for its fixed fields");
  }
  check.pduBytes = kPduHeaderBytes + length;
  if (received.size() < check.pduBytes) return check;
  const std::string_view pdu = received.substr(kPduHeaderBytes, length);

  if ((big16(pdu, 0) & 1) == 0) {
    return rejectWith(check, rejection::kProtocolVersionNotSupported,
                      "protocol version " + std::to_string(big16(pdu, 0)) + " is not 1");
  }
  const auto called = aeTitleOf(pdu.substr(4, 16));
  const auto calling = aeTitleOf(pdu.substr(20, 16));

  int applicationContexts = 0;
  int presentationContexts = 0;
  int userInformation = 0;
  auto problem =
      forEachItem(pdu.substr(kFixedFieldBytes), "the association request",
                  [&](unsigned char item, std::string_view body) -> std::optional<std::string> {
                    switch (item) {
                      case kApplicationContext:
                        ++applicationContexts;
                        if (!isItemUid(body))
                          return "application context \"" + printable(body) + "\" is not a UID";
                        return std::nullopt;
                      case kPresentationContextRq:
                        if (++presentationContexts > kMaxPresentationContexts)
                          return std::string("more than 128 presentation contexts");
                        return checkPresentationContext(body);
                      case kUserInformation:
                        ++userInformation;
                        return checkUserInformation(body);
                      default:
                        return std::nullopt;  // PS3.8 9.3.1: unknown items are skipped
                    }
                  });
  if (problem) return abortWith(check, abort_reason::kInvalidParameterValue, *problem);
  if (applicationContexts != 1 || userInformation > 1) {
    return abortWith(check, abort_reason::kInvalidParameterValue,
                     std::to_string(applicationContexts) + " application context and " +
                         std::to_string(userInformation) + " user information items");
  }
  if (!called) {
    return rejectWith(
        check, rejection::kCalledAeNotRecognized,
        "called AE title \"" + printable(pdu.substr(4, 16)) + "\" is empty or not printable");
  }
  check.calledAe = *called;
  if (!calling) {
    return rejectWith(
        check, rejection::kCallingAeNotRecognized,
        "calling AE title \"" + printable(pdu.substr(20, 16)) + "\" is empty or not printable");
  }
  check.callingAe = *calling;
  if (presentationContexts == 0) {
    return rejectWith(check, rejection::kNoReasonGiven,
                      "the request from \"" + *calling + "\" proposes no presentation context");
  }
  check.verdict = RequestCheck::Verdict::Valid;
  check.explanation = "association request from \"" + *calling + "\" to \"" + *called + "\"";
  return check;
}

std::string associateRejectPdu(const Rejection& rejection) {
  // Type, reserved, length 4, reserved, result, source, reason/diag.
  return std::string{
      char(kAssociateRj),    0, 0, 0, 0, 4, 0, char(rejection.result), char(rejection.source),
      char(rejection.reason)};
}

std::string abortPdu(const AbortReason& reason) {
  return std::string{char(kAbort), 0, 0, 0, 0, 4, 0, 0, char(reason.source), char(reason.reason)};
}

}  // namespace burnstation::receiver
