// libFuzzer target for what a peer sends before and after associating: the request gate's
// check of the first PDU and the stream guard over the PDUs that follow. Neither may crash,
// loop or read outside its input, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "association_request_check.h"
#include "pdu_stream_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace burnstation::receiver;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const RequestCheck check = checkAssociationRequest(bytes);
  if (check.verdict == RequestCheck::Verdict::Valid && check.pduBytes > bytes.size())
    __builtin_trap();

  // The rest as the PDUs of an association, whole and in two pieces.
  PduStreamGuard whole;
  (void)whole.feed(bytes.data(), bytes.size());
  PduStreamGuard split;
  const std::size_t half = size / 2;
  if (!split.feed(bytes.data(), half)) (void)split.feed(bytes.data() + half, size - half);
  return 0;
}
