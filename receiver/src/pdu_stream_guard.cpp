// PDU and command-set framing checks (see pdu_stream_guard.h). Lengths are only counted,
// never allocated, so a declared 4 GB costs nothing.
#include "pdu_stream_guard.h"

#include <algorithm>
#include <cstdio>

namespace burnstation::receiver {
namespace {

constexpr unsigned char kDataTf = 0x04;
constexpr std::size_t kPduHeaderBytes = 6;
constexpr std::size_t kPdvHeaderBytes = 6;  // length (4), context ID, message control header

std::uint32_t big32(const unsigned char* b) {
  return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) |
         b[3];
}

std::uint32_t little32(const unsigned char* b) {
  return (std::uint32_t(b[3]) << 24) | (std::uint32_t(b[2]) << 16) | (std::uint32_t(b[1]) << 8) |
         b[0];
}

std::string tagText(const unsigned char* b) {
  char text[16];
  std::snprintf(text, sizeof text, "(%02X%02X,%02X%02X)", b[1], b[0], b[3], b[2]);
  return text;
}

}  // namespace

std::optional<std::string> PduStreamGuard::feed(const char* data, std::size_t size) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  while (size > 0) {
    switch (part_) {
      case Part::PduHeader: {
        const std::size_t n = std::min(size, kPduHeaderBytes - headerBytes_);
        std::copy(p, p + n, header_ + headerBytes_);
        headerBytes_ += n, p += n, size -= n;
        if (headerBytes_ < kPduHeaderBytes) break;
        headerBytes_ = 0;
        pduLeft_ = big32(header_ + 2);
        part_ = header_[0] == kDataTf ? Part::PdvHeader : Part::PduBody;
        if (part_ == Part::PduBody && pduLeft_ == 0) part_ = Part::PduHeader;
        break;
      }
      case Part::PduBody: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, pduLeft_));
        pduLeft_ -= n, p += n, size -= n;
        if (pduLeft_ == 0) part_ = Part::PduHeader;
        break;
      }
      case Part::PdvHeader: {
        if (pduLeft_ == 0) {
          part_ = Part::PduHeader;
          break;
        }
        const std::size_t n = std::min(size, kPdvHeaderBytes - headerBytes_);
        std::copy(p, p + n, header_ + headerBytes_);
        headerBytes_ += n, p += n, size -= n;
        if (headerBytes_ < kPdvHeaderBytes) break;
        headerBytes_ = 0;
        const std::uint32_t pdvLength = big32(header_);
        // DCMTK rejects PDVs that do not add up to their PDU; we only must not underflow.
        if (pdvLength < 2 || pdvLength + 4ull > pduLeft_)
          return "a P-DATA-TF with a PDV that does not fit its PDU";
        pduLeft_ -= kPdvHeaderBytes;
        valueLeft_ = pdvLength - 2;
        commandFragment_ = (header_[5] & 0x01) != 0;
        lastFragment_ = (header_[5] & 0x02) != 0;
        part_ = Part::PdvValue;
        if (valueLeft_ == 0 && commandFragment_) {
          if (auto problem = feedCommand(p, 0, lastFragment_)) return problem;
        }
        if (valueLeft_ == 0) part_ = Part::PdvHeader;
        break;
      }
      case Part::PdvValue: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, valueLeft_));
        valueLeft_ -= n, pduLeft_ -= n;
        if (commandFragment_) {
          if (auto problem = feedCommand(p, n, lastFragment_ && valueLeft_ == 0)) return problem;
        }
        p += n, size -= n;
        if (valueLeft_ == 0) part_ = Part::PdvHeader;
        break;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> PduStreamGuard::feedCommand(const unsigned char* data, std::size_t size,
                                                       bool last) {
  commandBytes_ += size;
  if (commandBytes_ > kMaxCommandSetBytes) {
    return "a command set of more than " + std::to_string(kMaxCommandSetBytes) + " bytes";
  }
  while (size > 0) {
    if (elementValueLeft_ > 0) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(size, elementValueLeft_));
      elementValueLeft_ -= n, data += n, size -= n;
      continue;
    }
    const std::size_t n = std::min(size, sizeof element_ - elementBytes_);
    std::copy(data, data + n, element_ + elementBytes_);
    elementBytes_ += n, data += n, size -= n;
    if (elementBytes_ < sizeof element_) continue;
    elementBytes_ = 0;
    if (element_[0] != 0 || element_[1] != 0) {
      return "a command set with element " + tagText(element_) + " outside group 0000";
    }
    elementValueLeft_ = little32(element_ + 4);
    if (elementValueLeft_ == 0xffffffffu) {
      return "a command set with element " + tagText(element_) + " of undefined length";
    }
  }
  if (last) {
    // The next command starts afresh; DCMTK reports a command cut inside an element.
    commandBytes_ = 0;
    elementBytes_ = 0;
    elementValueLeft_ = 0;
  }
  return std::nullopt;
}

}  // namespace burnstation::receiver
