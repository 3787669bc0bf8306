// One interface for every medium a volume is written to: an image file, a disc in an optical
// drive, a FAT USB stick, a folder. Each says in typed states whether a medium is there and
// usable (check), writes one volume's content (write) and reads it back (verify). The
// volume's content (IsoVolumeContent: its File-set ID and every file by its path on the
// medium) is the one thing all of them write, so what is added to a volume (the viewer,
// README) reaches every kind of medium alike.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/mediawriter/optical_drive.h"
#include "burnstation/mediawriter/verification.h"

namespace burnstation::mediawriter {

using VolumeContent = IsoVolumeContent;

enum class MediumState {
  Ready,     // a usable medium is in place
  Absent,    // nothing to write on: the clerk inserts one
  Refused,   // a medium is there but cannot take this volume (reason says why): change it
  Erasable,  // a rewritable disc that holds data: erase() makes it Ready, if allowed
  Used,      // the medium this target just wrote (or failed on): change it for the next
};

const char* spelled(MediumState state);

struct MediumStatus {
  MediumState state = MediumState::Absent;
  std::string reason;               // for the clerk, whenever the state is not Ready
  std::uint64_t capacityBytes = 0;  // where known
  bool ready() const { return state == MediumState::Ready; }
  bool operator==(const MediumStatus&) const = default;
};

// What the volume about to be written needs from the medium (MediaNeed for discs).
using MediumNeed = MediaNeed;

class MediumTarget {
 public:
  virtual ~MediumTarget() = default;

  // Whether a medium is there and can take the volume. Never throws: a medium that cannot
  // be looked at is Absent or Refused with the reason.
  virtual MediumStatus check(const MediumNeed& need) = 0;
  // Erases an Erasable medium. Throws MediaError.
  virtual void erase(const WriteProgress& progress);
  // Writes the volume. Throws MediaError: Cancelled when progress says stop, Refused when
  // the medium turned out unable to take it (a different one may: check() then reports it
  // Refused until it is changed), Io or Image when writing failed.
  virtual void write(const VolumeContent& content, const WriteProgress& progress) = 0;
  // Reads what write() wrote back from the medium itself, not from a cache.
  virtual VerificationReport verify() = 0;
  // Gives the medium back to the clerk (opens a drive's tray); refused: the reason is kept
  // and check() says Refused with it until the medium is changed.
  virtual void release(const std::string& refusedBecause = {});
  // Where the last volume went, for the job's record: a path, a drive, a stick's name.
  virtual std::string writtenTo() const = 0;
};

// The built-in image drive: every volume to its own file; always Ready, never waits.
std::unique_ptr<MediumTarget> imageFileTarget(std::filesystem::path imageFile);

// A burner or a `stdio:FILE` pseudo-drive (see optical_drive.h).
// stop: asked while the drive settles or erases (a stopping service, a cancelled job).
std::unique_ptr<MediumTarget> opticalTarget(std::string address, std::function<bool()> stop = {});

// A folder that must be empty or absent (export). The file-set goes in file by file, the
// DICOMDIR and manifest last; a failure removes what was written.
std::unique_ptr<MediumTarget> folderTarget(std::filesystem::path root);

// A USB stick: the first allowed stick present (real sticks through libusb), or a FAT image
// file standing in for one (`pseudo`). A stick that already holds a file-set gets the
// volume added by updateFileSet (FSU) instead; without it such sticks are refused.
struct StickSource {
  std::filesystem::path pseudo;  // empty: real sticks
  std::vector<std::string> allowlist;
  std::filesystem::path mountParent;  // private mount points are made below it
};
// Adds the volume to the file-set at root. Throws dicomdir::FileSetError (Target: this
// stick cannot take it, e.g. another patient's) or MediaError.
using FileSetUpdate = std::function<void(const std::filesystem::path& root)>;
std::unique_ptr<MediumTarget> stickTarget(StickSource source, FileSetUpdate update);

}  // namespace burnstation::mediawriter
