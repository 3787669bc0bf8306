// Writing one volume as a DICOM file-set (see file_set.h). Files go into a hidden staging
// folder inside the target; the DICOMDIR is written last, everything is synced, and only
// then are DICOM/ and DICOMDIR moved into the target, DICOMDIR last.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/store/durable_file.h"
#include "burnstation/store/store_error.h"
#include "file_set_builder.h"

namespace burnstation::dicomdir {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStaging = ".burnstation-partial";

void syncFilesystemOf(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    failFileSet(FileSetError::Code::Target, "cannot open " + path.string() + " to sync it");
  const int rc = ::syncfs(fd);
  ::close(fd);
  if (rc != 0)
    failFileSet(FileSetError::Code::Target, "cannot flush " + path.string() + " to disk");
}

// Removes the staging folder unless the volume was completed.
// Moves a staged tree into place one file at a time: FUSE's fusefat, which mounts USB sticks
// where the kernel has no vfat, loses the content of a renamed folder.
void moveFileByFile(const fs::path& from, const fs::path& to, std::error_code& ec) {
  fs::create_directories(to, ec);
  for (auto it = fs::recursive_directory_iterator(from, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path target = to / fs::relative(it->path(), from);
    if (it->is_directory()) {
      fs::create_directories(target, ec);
    } else {
      fs::rename(it->path(), target, ec);
    }
    if (ec) return;
  }
}

struct Staging {
  fs::path path;
  bool done = false;
  ~Staging() {
    std::error_code ignored;
    if (!done) fs::remove_all(path, ignored);
  }
};

TextPolicy textPolicyFor(const store::Selection& selection,
                         const std::vector<std::size_t>& instances) {
  TextPolicy text;
  bool first = true;
  for (std::size_t i : instances) {
    const std::string& cs = selection.instances[i].specificCharacterSet;
    if (first) {
      text.charset = cs;
      first = false;
    } else if (cs != text.charset) {
      text.utf8 = true;  // the instances disagree: one encoding for the shared records
    }
  }
  return text;
}

}  // namespace

std::string newFileSetId(int volumeIndex) {
  // Time-based and random, never patient data: "BS" + 10 base-36 characters + volume.
  static const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::uint64_t seed =
      static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  seed ^= std::random_device{}();
  std::string id = "BS";
  for (int i = 0; i < 10; ++i, seed /= 36) id += digits[seed % 36];
  char volume[8];
  std::snprintf(volume, sizeof volume, "_%03d", volumeIndex % 1000);
  return id + volume;  // 16 characters
}

WrittenFileSet writeFileSet(const store::Selection& selection,
                            const std::vector<std::size_t>& instances,
                            const std::vector<MediaForm>& forms, const fs::path& root,
                            const std::string& fileSetId, const std::string& stationAe) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    failFileSet(FileSetError::Code::Target, "cannot create " + root.string() + ": " + ec.message());
  if (::access(root.c_str(), W_OK) != 0) {
    failFileSet(FileSetError::Code::Target, root.string() + " is not writable");
  }
  if (fs::exists(root / "DICOMDIR") || fs::exists(root / "DICOM")) {
    failFileSet(FileSetError::Code::Target, root.string() + " already holds a file-set");
  }
  Staging staging{root / kStaging};
  fs::remove_all(staging.path, ec);
  fs::create_directories(staging.path, ec);
  if (ec)
    failFileSet(FileSetError::Code::Target,
                "cannot write in " + root.string() + ": " + ec.message());

  WrittenFileSet written{root, fileSetId, {}, 0, 0};
  DicomDirFile dicomdir(staging.path / "DICOMDIR", fileSetId.c_str());
  FileSetBuilder builder(dicomdir, staging.path, selection, textPolicyFor(selection, instances),
                         stationAe);
  for (std::size_t index : instances) {
    written.entries.push_back(builder.add(selection.instances[index], forms[index]));
  }
  const auto writeStart = std::chrono::steady_clock::now();
  const OFCondition status = dicomdir.writeWithOurIdentity(stationAe);
  if (status.bad())
    failFileSet(FileSetError::Code::Target,
                std::string("cannot write the DICOMDIR: ") + status.text());
  written.dicomdirSeconds =
      builder.recordSeconds() +
      std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count();
  written.bytes = builder.bytes() + fs::file_size(staging.path / "DICOMDIR");
  syncFilesystemOf(staging.path);

  moveFileByFile(staging.path / "DICOM", root / "DICOM", ec);
  if (!ec) fs::rename(staging.path / "DICOMDIR", root / "DICOMDIR", ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(root / "DICOM", ignored);
    failFileSet(FileSetError::Code::Target,
                "cannot move the file-set into " + root.string() + ": " + ec.message());
  }
  syncFilesystemOf(root);
  staging.done = true;
  fs::remove_all(staging.path, ec);
  return written;
}

FileSetPreview previewFileSet(const store::Selection& selection,
                              const std::vector<std::size_t>& instances,
                              const std::vector<MediaForm>& forms, const fs::path& workDir,
                              const std::string& fileSetId, const std::string& stationAe) {
  std::error_code ec;
  fs::create_directories(workDir, ec);
  FileSetPreview preview{workDir / "DICOMDIR", {}};
  fs::remove(preview.dicomdir, ec);
  DicomDirFile dicomdir(preview.dicomdir, fileSetId.c_str());
  FileSetBuilder builder(dicomdir, workDir, selection, textPolicyFor(selection, instances),
                         stationAe);
  builder.recordsOnly();
  for (std::size_t index : instances) {
    const auto entry = builder.add(selection.instances[index], forms[index]);
    preview.files.emplace_back(entry.fileId, selection.instances[index].file);
  }
  const OFCondition status = dicomdir.writeWithOurIdentity(stationAe);
  if (status.bad())
    failFileSet(FileSetError::Code::Target,
                std::string("cannot write the DICOMDIR: ") + status.text());
  return preview;
}

WrittenFileSet updateFileSet(const store::Selection& selection,
                             const std::vector<std::size_t>& instances,
                             const std::vector<MediaForm>& forms, const fs::path& root,
                             const std::string& stationAe) {
  const FileSetCheck before = checkFileSet(root);
  if (!before.ok()) {
    failFileSet(FileSetError::Code::Target,
                "the file-set in " + root.string() +
                    " is not consistent, so it is not changed: " + before.problems.front());
  }
  const fs::path path = root / "DICOMDIR";
  const fs::path restore = path.string() + ".restore";
  // The set as it was, on the medium before anything changes: a rollback is then a rename,
  // which needs no free space, instead of a write that a full stick can tear.
  std::string original;
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in || !bytes) failFileSet(FileSetError::Code::Target, "cannot read " + path.string());
    original = bytes.str();
  }
  try {
    store::writeFileDurably(restore, original);
  } catch (const store::StoreError& e) {
    failFileSet(FileSetError::Code::Target,
                std::string("cannot keep a copy of the DICOMDIR before changing it, so the "
                            "file-set is not changed: ") +
                    e.what());
  }
  DicomDirFile dicomdir(path);
  FileSetBuilder builder(dicomdir, root, selection, textPolicyFor(selection, instances), stationAe);
  const auto present = builder.adoptExisting();
  WrittenFileSet written{root, dicomdir.fileSetId(), {}, 0, 0};
  try {
    // Readers that look while files are added must know the set is being changed.
    dicomdir.setConsistencyFlag(0xFFFF);
    OFCondition status = dicomdir.writeWithOurIdentity(stationAe);
    if (status.bad())
      failFileSet(FileSetError::Code::Target,
                  std::string("cannot mark the DICOMDIR: ") + status.text());
    for (std::size_t index : instances) {
      const auto& in = selection.instances[index];
      if (std::find(present.begin(), present.end(), in.sopInstanceUid) != present.end()) continue;
      written.entries.push_back(builder.add(in, forms[index]));
    }
    syncFilesystemOf(root);
    dicomdir.setConsistencyFlag(0x0000);
    status = dicomdir.writeWithOurIdentity(stationAe);
    if (status.bad())
      failFileSet(FileSetError::Code::Target,
                  std::string("cannot write the DICOMDIR: ") + status.text());
    syncFilesystemOf(root);
  } catch (const std::exception& e) {
    // Back to the set as it was: the new files go, the old DICOMDIR returns.
    std::error_code ignored;
    for (const fs::path& f : builder.writtenFiles()) fs::remove(f, ignored);
    try {
      store::renameDurably(restore, path);
    } catch (const store::StoreError& restoreError) {
      failFileSet(FileSetError::Code::Target,
                  std::string(e.what()) + "; the DICOMDIR could not be restored (" +
                      restoreError.what() + "), its copy is " + restore.string());
    }
    throw;
  }
  std::error_code ignored;
  fs::remove(restore, ignored);
  written.bytes = builder.bytes();
  return written;
}

}  // namespace burnstation::dicomdir
