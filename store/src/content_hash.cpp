// XXH3 hashing of instance files (see content_hash.h for why XXH3 and why from an offset).
#include "content_hash.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

struct StateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string hashFileFrom(const std::filesystem::path& file, std::uint64_t offset) {
  Fd in{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) {
    throw StoreError(StoreError::Code::Io,
                     "cannot open " + file.string() + " to hash it: " + std::strerror(errno));
  }
  return hashOpenFileFrom(in.fd, file, offset);
}

std::string hashOpenFileFrom(int fd, const std::filesystem::path& file, std::uint64_t offset) {
  std::unique_ptr<XXH3_state_t, StateDeleter> state(XXH3_createState());
  XXH3_128bits_reset(state.get());
  std::vector<char> buffer(1 << 20);
  off_t position = static_cast<off_t>(offset);
  for (;;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), position);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError(StoreError::Code::Io,
                       "cannot read " + file.string() + " to hash it: " + std::strerror(errno));
    }
    if (n == 0) break;
    XXH3_128bits_update(state.get(), buffer.data(), static_cast<std::size_t>(n));
    position += n;
  }
  const XXH128_hash_t digest = XXH3_128bits_digest(state.get());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(digest.high64),
                static_cast<unsigned long long>(digest.low64));
  return hex;
}

std::uint64_t hashText(std::string_view text) {
  return XXH3_64bits(text.data(), text.size());
}

}  // namespace burnstation::store
