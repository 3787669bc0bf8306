// The station library's error: a request (a selection, a profile, a drive, a capacity) that
// cannot be carried out, with the reason for the person who asked. The command line prints
// it; the local API answers it with 4xx.
#pragma once

#include <stdexcept>

namespace burnstation::station {

class RequestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace burnstation::station
