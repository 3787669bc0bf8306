// The error type at the mediawriter boundary: a code and a message a clerk or admin reads.
#pragma once

#include <stdexcept>
#include <string>

namespace burnstation::mediawriter {

class MediaError : public std::runtime_error {
 public:
  enum class Code { Image, Io, Cancelled };
  MediaError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

}  // namespace burnstation::mediawriter
