// The receiver's error type: network set-up failures reported to the caller of start().
#pragma once

#include <stdexcept>
#include <string>

namespace burnstation::receiver {

class ReceiverError : public std::runtime_error {
 public:
  enum class Code { Network, Configuration };
  ReceiverError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

}  // namespace burnstation::receiver
