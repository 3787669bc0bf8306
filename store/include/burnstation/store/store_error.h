// The one error type that crosses the store's boundary: a code for callers to act on,
// a message for a person to read.
#pragma once

#include <stdexcept>
#include <string>

namespace burnstation::store {

class StoreError : public std::runtime_error {
 public:
  enum class Code {
    Io,            // a file or directory operation failed
    Database,      // the SQLite index refused an operation
    Parse,         // a DICOM file could not be read
    NoSpace,       // the free-space reserve would be crossed
    Charset,       // text could not be decoded from its Specific Character Set
    NotFound,      // a requested patient, study or file does not exist
    Ambiguous,     // a Patient ID that names more than one collection
    Inconsistent,  // the store contradicts itself
    Locked,        // another service holds the data directory
    Invalid,       // a value the store refuses to keep (an admin PIN that is too short)
    InUse,         // held by a queued or running burn job
  };

  StoreError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

}  // namespace burnstation::store
