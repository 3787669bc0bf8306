// A count and its noun as a person writes them ("1 disc", "3 discs"): the service's
// sentences reach clerks on the kiosk, where "1 disc(s) x 1 cop(ies)" reads as a fault.
#pragma once

#include <string>
#include <string_view>

namespace burnstation::store {

inline std::string counted(long long n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// For the nouns that only add an "s".
inline std::string counted(long long n, std::string_view one) {
  return std::to_string(n) + " " + std::string(one) + (n == 1 ? "" : "s");
}

}  // namespace burnstation::store
