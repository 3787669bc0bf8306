// The station library's error: a request (a selection, a profile, a drive, a capacity) that
// cannot be carried out, with the reason for the person who asked. The command line prints
// it; the local API answers it with 4xx.
#pragma once

#include <stdexcept>
#include <string>

namespace burnstation::station {

class RequestError : public std::runtime_error {
 public:
  // What was wrong, for answers that tell them apart (the local API's 400, 404 and 409).
  enum class Kind {
    Invalid,    // the request itself: a missing field, a capacity too small, ...
    NotFound,   // an unknown patient, study, profile or drive
    Ambiguous,  // a Patient ID that names more than one collection
  };
  explicit RequestError(const std::string& message, Kind kind = Kind::Invalid)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

}  // namespace burnstation::station
