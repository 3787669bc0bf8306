// Escaping and naming for generated web content (see web_text.h).
#include "web_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace burnstation::viewer_bundle {

namespace {

// Decodes one UTF-8 sequence at s[i]; invalid bytes give U+FFFD and advance by one.
char32_t nextCodePoint(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  int length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + static_cast<std::size_t>(length) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = length == 1 ? b : b & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    const unsigned char c = byte(i + static_cast<std::size_t>(k));
    if ((c >> 6) != 0x2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += static_cast<std::size_t>(length);
  return cp;
}

}  // namespace

std::string html(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t cp = nextCodePoint(utf8, i);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (cp >= 0x20 && cp < 0x7F) {
          out += static_cast<char>(cp);
        } else if (cp == '\n' || cp == '\t') {
          out += static_cast<char>(cp);
        } else if (cp >= 0xA0 && cp != 0xFFFE && cp != 0xFFFF) {
          char ref[16];
          std::snprintf(ref, sizeof ref, "&#x%X;", static_cast<unsigned>(cp));
          out += ref;
        } else {
          out += ' ';  // control characters are not allowed in XHTML
        }
    }
  }
  return out;
}

std::string readableName(std::string_view personName) {
  std::string groups[3];
  int g = 0;
  for (char c : personName) {
    if (c == '=') {
      if (g < 2) ++g;
      continue;
    }
    groups[g] += c == '^' ? ' ' : c;
  }
  const auto tidy = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
      out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };
  std::string name = tidy(groups[0]);
  const std::string ideographic = tidy(groups[1]);
  if (!ideographic.empty()) name += name.empty() ? ideographic : " (" + ideographic + ")";
  return name;
}

std::string numbered(char prefix, int number) {
  char name[16];
  std::snprintf(name, sizeof name, "%c%07d", prefix, number);
  return name;
}

void writeWorkFile(const std::filesystem::path& file, std::string_view bytes) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
  }
}

}  // namespace burnstation::viewer_bundle
