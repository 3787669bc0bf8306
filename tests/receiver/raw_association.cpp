// Raw A-ASSOCIATE-RQ encoding and a raw TCP peer (see raw_association.h).
#include "raw_association.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace burnstation::rawdicom {
namespace {

std::string big16(std::size_t v) {
  return std::string{char((v >> 8) & 0xff), char(v & 0xff)};
}

std::string big32(std::size_t v) {
  return std::string{char((v >> 24) & 0xff), char((v >> 16) & 0xff), char((v >> 8) & 0xff),
                     char(v & 0xff)};
}

std::string aeField(const std::string& title) {
  std::string field = title.substr(0, 16);
  field.resize(16, ' ');
  return field;
}

std::string variableItems(const AssociateRequest& r) {
  std::string items;
  if (r.applicationContext) items += item(0x10, r.applicationContextName);
  for (const PresentationContext& pc : r.contexts) {
    std::string body{char(pc.id), 0, 0, 0};
    body += item(0x30, pc.abstractSyntax);
    for (const std::string& ts : pc.transferSyntaxes) body += item(0x40, ts);
    items += item(0x20, body);
  }
  if (r.userInformation) items += item(0x50, item(0x51, big32(16384)));
  return items;
}

}  // namespace

std::string item(std::uint8_t type, const std::string& body) {
  return std::string{char(type), 0} + big16(body.size()) + body;
}

std::string encodeWithRawAeFields(const AssociateRequest& r, const std::string& called16,
                                  const std::string& calling16) {
  std::string body = big16(r.protocolVersion) + std::string(2, '\0') + called16 + calling16 +
                     std::string(32, '\0') + variableItems(r);
  return std::string{0x01, 0} + big32(body.size()) + body;
}

std::string encode(const AssociateRequest& r) {
  return encodeWithRawAeFields(r, aeField(r.calledAe), aeField(r.callingAe));
}

std::string pDataPdu(std::uint8_t contextId, const std::string& fragment, bool command, bool last) {
  const char header = static_cast<char>((command ? 0x01 : 0x00) | (last ? 0x02 : 0x00));
  const std::string pdv =
      big32(fragment.size() + 2) + std::string{char(contextId), header} + fragment;
  return std::string{0x04, 0} + big32(pdv.size()) + pdv;
}

namespace {

std::string element(std::uint16_t group, std::uint16_t number, const std::string& value) {
  const std::size_t n = value.size();
  return std::string{char(group & 0xff),     char(group >> 8),      char(number & 0xff),
                     char(number >> 8),      char(n & 0xff),        char((n >> 8) & 0xff),
                     char((n >> 16) & 0xff), char((n >> 24) & 0xff)} +
         value;
}

std::string us(std::uint16_t v) {
  return std::string{char(v & 0xff), char(v >> 8)};
}

}  // namespace

std::string echoCommand() {
  const std::string body = element(0x0000, 0x0002, std::string("1.2.840.10008.1.1\0", 18)) +
                           element(0x0000, 0x0100, us(0x0030)) + element(0x0000, 0x0110, us(1)) +
                           element(0x0000, 0x0800, us(0x0101));
  return element(0x0000, 0x0000,
                 std::string{char(body.size() & 0xff), char(body.size() >> 8), 0, 0}) +
         body;
}

std::string nestedSequences(int depth) {
  // (0008,1115) is SQ in the dictionary, so an implicit-VR parser descends into it.
  const std::string level("\x08\x00\x15\x11\xff\xff\xff\xff\xfe\xff\x00\xe0\xff\xff\xff\xff", 16);
  std::string out;
  out.reserve(level.size() * static_cast<std::size_t>(depth));
  for (int i = 0; i < depth; ++i) out += level;
  return out;
}

bool RawPeer::associate(const AssociateRequest& request, int deadlineSeconds) {
  if (!send(encode(request))) return false;
  const std::string header = receive(6, deadlineSeconds);
  if (header.size() != 6) return false;
  const std::size_t length = (std::size_t(std::uint8_t(header[2])) << 24) |
                             (std::size_t(std::uint8_t(header[3])) << 16) |
                             (std::size_t(std::uint8_t(header[4])) << 8) | std::uint8_t(header[5]);
  return receive(length, deadlineSeconds).size() == length && header[0] == 0x02;
}

RawPeer::RawPeer(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawPeer::~RawPeer() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawPeer::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string RawPeer::receive(std::size_t n, int deadlineSeconds) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deadlineSeconds);
  while (out.size() < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char buffer[4096];
    const ssize_t got = ::recv(fd_, buffer, std::min(sizeof buffer, n - out.size()), 0);
    if (got <= 0) break;
    out.append(buffer, static_cast<std::size_t>(got));
  }
  return out;
}

bool RawPeer::closedByPeer(int deadlineSeconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deadlineSeconds);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char buffer[256];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return true;  // EOF or reset
  }
}

}  // namespace burnstation::rawdicom
