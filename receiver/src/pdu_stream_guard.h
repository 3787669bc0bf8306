// Watches the PDUs of an accepted association on their way from the socket to DCMTK, and
// stops a command set DCMTK must not parse: DIMSE_receiveCommand hands command fragments
// to dcmdata's recursive parser, so one command with sequences nested thousands deep ends
// the whole service. A command set holds only group 0000 elements of defined length
// (PS3.7 6.3 and E.1) and is small; anything else is refused before DCMTK sees it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace burnstation::receiver {

// Real command sets are a few hundred bytes; this leaves room for any status detail.
inline constexpr std::size_t kMaxCommandSetBytes = 64 * 1024;

class PduStreamGuard {
 public:
  // Bytes as they arrive, in order. Returns the first problem found, in words a person
  // can act on; after a problem the stream must be dropped.
  std::optional<std::string> feed(const char* data, std::size_t size);

 private:
  std::optional<std::string> feedCommand(const unsigned char* data, std::size_t size, bool last);

  enum class Part { PduHeader, PdvHeader, PdvValue, PduBody };
  Part part_ = Part::PduHeader;
  unsigned char header_[8] = {};
  std::size_t headerBytes_ = 0;
  std::uint64_t pduLeft_ = 0;    // bytes of the current PDU's body still to come
  std::uint64_t valueLeft_ = 0;  // bytes of the current PDV's fragment still to come
  bool commandFragment_ = false;
  bool lastFragment_ = false;

  // The command set being received: implicit VR little endian elements.
  unsigned char element_[8] = {};
  std::size_t elementBytes_ = 0;
  std::uint64_t elementValueLeft_ = 0;
  std::size_t commandBytes_ = 0;
};

}  // namespace burnstation::receiver
