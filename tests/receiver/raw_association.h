// A-ASSOCIATE-RQ PDUs built byte by byte, as an attacker or a broken device would send
// them, and a raw TCP peer to send them with (DCMTK's tools refuse to send most of these).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace burnstation::rawdicom {

struct PresentationContext {
  std::uint8_t id = 1;
  std::string abstractSyntax = "1.2.840.10008.1.1";  // Verification
  std::vector<std::string> transferSyntaxes = {"1.2.840.10008.1.2"};
};

struct AssociateRequest {
  std::uint16_t protocolVersion = 1;
  std::string calledAe = "BURNSTATION";  // written as 16 bytes, space padded
  std::string callingAe = "ATTACKER";
  bool applicationContext = true;
  std::string applicationContextName = "1.2.840.10008.3.1.1.1";
  std::vector<PresentationContext> contexts = {PresentationContext{}};
  bool userInformation = true;
};

// Item: type, reserved, 16-bit big-endian length, body.
std::string item(std::uint8_t type, const std::string& body);
// The whole PDU with its 6-byte header.
std::string encode(const AssociateRequest& request);
// A 16-byte AE field taken exactly as given (for NULs and control characters).
std::string encodeWithRawAeFields(const AssociateRequest& request, const std::string& called16,
                                  const std::string& calling16);

// A P-DATA-TF PDU with one PDV: a command or data fragment, last or not.
std::string pDataPdu(std::uint8_t contextId, const std::string& fragment, bool command, bool last);
// A C-ECHO-RQ command set (implicit VR little endian).
std::string echoCommand();
// Undefined-length sequences and items nested depth times, never closed (implicit VR LE).
std::string nestedSequences(int depth);

// A TCP connection to 127.0.0.1:port with a receive deadline, closed when destroyed.
class RawPeer {
 public:
  explicit RawPeer(int port);
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;
  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  // Reads until n bytes arrived, the peer closed, or the deadline passed.
  std::string receive(std::size_t n, int deadlineSeconds);
  // True when the station closes the connection within the deadline.
  bool closedByPeer(int deadlineSeconds);
  // Sends a well-formed request and reads the whole answer PDU; true for an A-ASSOCIATE-AC.
  bool associate(const AssociateRequest& request, int deadlineSeconds);

 private:
  int fd_ = -1;
};

}  // namespace burnstation::rawdicom
