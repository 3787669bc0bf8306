// DIMSE statuses and association rejections the receiver uses, by name (PS3.4 B.2.3,
// PS3.8 9.3.4). Values match DCMTK's constants; they are spelled out so tests and logs
// need no DCMTK header.
#pragma once

#include <cstdint>

namespace burnstation::receiver {

namespace status {
inline constexpr std::uint16_t kSuccess = 0x0000;
inline constexpr std::uint16_t kOutOfResources = 0xA700;
inline constexpr std::uint16_t kDataSetDoesNotMatchSopClass = 0xA900;
inline constexpr std::uint16_t kCannotUnderstand = 0xC000;
inline constexpr std::uint16_t kProcessingFailure = 0x0110;
}  // namespace status

// A-ASSOCIATE-RJ result/source/reason triples.
struct Rejection {
  int result;  // 1 permanent, 2 transient
  int source;  // 1 service user, 2 ACSE provider, 3 presentation provider
  int reason;
  const char* meaning;
};

namespace rejection {
inline constexpr Rejection kNoReasonGiven{1, 1, 1, "no reason given"};
inline constexpr Rejection kApplicationContextNotSupported{1, 1, 2,
                                                           "application context not supported"};
inline constexpr Rejection kCallingAeNotRecognized{1, 1, 3, "calling AE title not recognized"};
inline constexpr Rejection kCalledAeNotRecognized{1, 1, 7, "called AE title not recognized"};
inline constexpr Rejection kProtocolVersionNotSupported{1, 2, 2,
                                                        "protocol version not supported"};
inline constexpr Rejection kLocalLimitExceeded{2, 3, 2, "local limit exceeded"};
}  // namespace rejection

// A-ABORT source/reason pairs (PS3.8 9.3.8); we only abort as the service provider.
struct AbortReason {
  int source;  // 0 service user, 2 service provider
  int reason;  // meaningful for the provider source only
  const char* meaning;
};

namespace abort_reason {
inline constexpr AbortReason kUnrecognizedPdu{2, 1, "unrecognized PDU"};
inline constexpr AbortReason kUnexpectedPdu{2, 2, "unexpected PDU"};
inline constexpr AbortReason kInvalidParameterValue{2, 6, "invalid PDU parameter value"};
}  // namespace abort_reason

}  // namespace burnstation::receiver
