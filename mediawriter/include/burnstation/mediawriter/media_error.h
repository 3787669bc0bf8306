// The error type at the mediawriter boundary: a code and a message a clerk or admin reads.
#pragma once

#include <stdexcept>
#include <string>

namespace burnstation::mediawriter {

class MediaError : public std::runtime_error {
 public:
  // Refused: this medium cannot take the volume (full, another patient's set); another can.
  enum class Code { Image, Io, Cancelled, Refused };
  MediaError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

}  // namespace burnstation::mediawriter
