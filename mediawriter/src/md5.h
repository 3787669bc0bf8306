// MD5 through libisofs' own implementation: the same digests it records in images, and no
// further crypto library for a checksum that only guards against damaged media.
#pragma once

#include <array>
#include <cstdio>
#include <string>

#include "iso_handles.h"

namespace burnstation::mediawriter {

class Md5 {
 public:
  Md5() {
    IsoLibrary::ensure();
    iso_md5_start(&context_);
  }
  ~Md5() {
    if (context_) {
      char ignored[16];
      iso_md5_end(&context_, ignored);
    }
  }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void add(const char* data, int length) {
    iso_md5_compute(context_, const_cast<char*>(data), length);
  }
  std::array<char, 16> finish() {
    std::array<char, 16> digest{};
    iso_md5_end(&context_, digest.data());
    context_ = nullptr;
    return digest;
  }

 private:
  void* context_ = nullptr;
};

inline std::string hex(const std::array<char, 16>& digest) {
  std::string out;
  char two[3];
  for (char c : digest) {
    std::snprintf(two, sizeof two, "%02x", static_cast<unsigned char>(c));
    out += two;
  }
  return out;
}

}  // namespace burnstation::mediawriter
