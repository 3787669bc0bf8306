// Read-back verification (see verification.h). The MD5s compared are the ones libisofs
// recorded when the image was made; the data is read again from the image itself.
#include "burnstation/mediawriter/verification.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/store/counted.h"
#include "iso_handles.h"
#include "md5.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

class ImageFileReader : public MediumReader {
 public:
  explicit ImageFileReader(const fs::path& image) : path_(image) {
    fd_ = ::open(image.c_str(), O_RDONLY | O_CLOEXEC);
    // Clean pages are dropped, so what follows comes from the disk, not from memory.
    if (fd_ >= 0) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED);
  }
  ~ImageFileReader() override {
    if (fd_ >= 0) ::close(fd_);
  }
  bool open() const { return fd_ >= 0; }
  bool read(std::uint32_t block, std::uint32_t count, char* out) override {
    std::size_t want = static_cast<std::size_t>(count) * 2048;
    off_t position = static_cast<off_t>(block) * 2048;
    while (want > 0) {
      const ssize_t n = ::pread(fd_, out, want, position);
      if (n <= 0) return false;
      out += n;
      want -= static_cast<std::size_t>(n);
      position += n;
    }
    return true;
  }
  std::string name() const override { return path_.string(); }

 private:
  fs::path path_;
  int fd_ = -1;
};

// libisofs reads the image through this, so a disc in a drive and a file are read alike.
IsoDataSource* dataSourceOver(MediumReader& medium) {
  auto* source = static_cast<IsoDataSource*>(std::calloc(1, sizeof(IsoDataSource)));
  source->refcount = 1;
  source->open = [](IsoDataSource*) { return 1; };
  source->close = [](IsoDataSource*) { return 1; };
  source->read_block = [](IsoDataSource* self, uint32_t lba, uint8_t* buffer) -> int {
    auto* reader = static_cast<MediumReader*>(self->data);
    return reader->read(lba, 1, reinterpret_cast<char*>(buffer)) ? 1 : ISO_DATA_SOURCE_FAILURE;
  };
  source->free_data = [](IsoDataSource*) {};
  source->data = &medium;
  return source;
}

struct DataSourceFree {
  void operator()(IsoDataSource* source) const {
    if (--source->refcount == 0) std::free(source);
  }
};

// MD5 of blocks [start, end) of the medium.
bool sessionMd5(MediumReader& medium, uint32_t start, uint32_t end, std::array<char, 16>& out) {
  Md5 md5;
  constexpr std::uint32_t kChunk = 64;
  std::vector<char> buffer(kChunk * 2048);
  for (std::uint32_t block = start; block < end;) {
    const std::uint32_t count = std::min(kChunk, end - block);
    if (!medium.read(block, count, buffer.data())) return false;
    md5.add(buffer.data(), static_cast<int>(count * 2048));
    block += count;
  }
  out = md5.finish();
  return true;
}

// Walks the tree: checks every file's recorded MD5 and collects the paths of all files.
void walk(IsoImage* image, IsoDir* dir, const std::string& path,
          std::map<std::string, std::string>& files, int& checked, std::vector<std::string>& bad) {
  IsoDirIter* raw = nullptr;
  if (iso_dir_get_children(dir, &raw) < 0) return;
  DirIter iter(raw);
  IsoNode* node = nullptr;
  while (iso_dir_iter_next(iter.get(), &node) == 1) {
    const std::string name = path + "/" + iso_node_get_name(node);
    if (iso_node_get_type(node) == LIBISO_DIR) {
      walk(image, reinterpret_cast<IsoDir*>(node), name, files, checked, bad);
      continue;
    }
    if (iso_node_get_type(node) != LIBISO_FILE) continue;
    std::string& md5Text = files[name.substr(1)];
    auto* file = reinterpret_cast<::IsoFile*>(node);
    char recorded[16];
    if (iso_file_get_md5(image, file, recorded, 0) != 1) {
      bad.push_back(name + ": no MD5 recorded");
      continue;
    }
    IsoStream* stream = iso_file_get_stream(file);
    if (iso_stream_open(stream) < 0) {
      bad.push_back(name + ": unreadable");
      continue;
    }
    Md5 md5;
    std::vector<char> buffer(65536);
    int n;
    while ((n = iso_stream_read(stream, buffer.data(), buffer.size())) > 0)
      md5.add(buffer.data(), n);
    iso_stream_close(stream);
    auto digest = md5.finish();
    md5Text = hex(digest);
    if (n < 0 || !iso_md5_match(recorded, digest.data())) {
      bad.push_back(name + (n < 0 ? ": read error" : ": MD5 mismatch"));
    }
    ++checked;
  }
}

std::string readWholeFile(IsoImage* image, const std::string& path) {
  IsoNode* node = nullptr;
  if (iso_image_path_to_node(image, path.c_str(), &node) != 1 ||
      iso_node_get_type(node) != LIBISO_FILE) {
    return {};
  }
  IsoStream* stream = iso_file_get_stream(reinterpret_cast<::IsoFile*>(node));
  if (iso_stream_open(stream) < 0) return {};
  std::string bytes;
  std::vector<char> buffer(65536);
  int n;
  while ((n = iso_stream_read(stream, buffer.data(), buffer.size())) > 0)
    bytes.append(buffer.data(), n);
  iso_stream_close(stream);
  return bytes;
}

}  // namespace

std::unique_ptr<MediumReader> openImageFile(const fs::path& image) {
  auto reader = std::make_unique<ImageFileReader>(image);
  if (!reader->open()) throw MediaError(MediaError::Code::Io, "cannot open " + image.string());
  return reader;
}

VerificationReport verifyIsoImage(const fs::path& imagePath) {
  std::unique_ptr<MediumReader> reader, second;
  try {
    reader = openImageFile(imagePath);
    second = openImageFile(imagePath);
  } catch (const MediaError& e) {
    return {{{"image", false, e.what()}}};
  }
  return verifyMedium(*reader, second.get());
}

VerificationReport verifyMedium(MediumReader& medium, MediumReader* second) {
  IsoLibrary::ensure();
  VerificationReport report;
  const std::unique_ptr<IsoDataSource, DataSourceFree> source(dataSourceOver(medium));
  IsoReadOpts* rawOptions = nullptr;
  check(iso_read_opts_new(&rawOptions, 0), "cannot create read options");
  ReadOptions options(rawOptions);
  iso_read_opts_set_no_aaip(rawOptions, 0);  // MD5 records live in AAIP
  iso_read_opts_set_no_md5(rawOptions, 2);
  IsoImage* rawImage = nullptr;
  std::unique_lock tree(isoTreeMutex());  // see iso_handles.h
  check(iso_image_new("verify", &rawImage), "cannot create an image");
  Image image(rawImage);
  IsoReadImageFeatures* rawFeatures = nullptr;
  const int imported = iso_image_import(image.get(), source.get(), options.get(), &rawFeatures);
  tree.unlock();
  Features features(rawFeatures);
  if (imported < 0) {
    report.checks.push_back(
        {"image", false,
         std::string("not a readable ISO 9660 image: ") + iso_error_to_msg(imported)});
    return report;
  }
  const char* volumeId = iso_image_get_volume_id(image.get());
  report.checks.push_back(
      {"image", true, std::string("ISO 9660 volume ") + (volumeId ? volumeId : "")});

  uint32_t start = 0, end = 0;
  char recorded[16];
  const bool sessionRecorded =
      iso_image_get_session_md5(image.get(), &start, &end, recorded, 0) == 1;
  // With a second reader (an image file), the session MD5 and the files' MD5s are read on
  // two cores at once; a drive is read by one reader, one pass after the other.
  std::array<char, 16> actual{};
  bool sessionRead = false;
  // jthread: joined on every way out, also when the walk below throws.
  std::jthread sessionThread;
  if (sessionRecorded && second) {
    sessionThread = std::jthread([&] {
      try {
        sessionRead = sessionMd5(*second, start, end, actual);
      } catch (...) {
        sessionRead = false;  // reported below as a session that does not read back
      }
    });
  } else if (sessionRecorded) {
    sessionRead = sessionMd5(medium, start, end, actual);
  }

  std::map<std::string, std::string> files;
  int checked = 0;
  std::vector<std::string> bad;
  walk(image.get(), iso_image_get_root(image.get()), "", files, checked, bad);
  if (sessionThread.joinable()) sessionThread.join();
  if (!sessionRecorded) {
    report.checks.push_back({"session_md5", false, "no session MD5 recorded in the image"});
  } else {
    const bool match = sessionRead && iso_md5_match(recorded, actual.data());
    report.checks.push_back(
        {"session_md5", match,
         match ? "blocks " + std::to_string(start) + " to " + std::to_string(end) + " match"
               : (sessionRead ? "MD5 mismatch: the medium differs from what was written"
                              : "the image is shorter than its session")});
  }
  report.checks.push_back({"file_md5", bad.empty(),
                           bad.empty()
                               ? (checked == 1 ? std::string("1 file matches its MD5")
                                               : std::to_string(checked) + " files match their MD5")
                               : std::to_string(bad.size()) + " bad: " + bad.front()});

  const std::string manifestText = readWholeFile(image.get(), std::string("/") + kManifestName);
  if (manifestText.empty()) {
    report.checks.push_back(
        {"manifest", false, std::string("no ") + kManifestName + " on the medium"});
  } else {
    std::string problem;
    const auto manifest = parseChecksumManifest(manifestText, problem);
    std::map<std::string, std::string> actual = files;
    actual.erase(kManifestName);
    report.checks.push_back(problem.empty() ? compareWithManifest(manifest, actual)
                                            : VerificationCheck{"manifest", false, problem});
  }

  const std::string dicomdirBytes = readWholeFile(image.get(), "/DICOMDIR");
  if (dicomdirBytes.empty()) {
    report.checks.push_back({"file_set", false, "no DICOMDIR at the root of the image"});
    return report;
  }
  char temp[] = "/tmp/burnstation-verify-XXXXXX";
  if (!::mkdtemp(temp)) {
    report.checks.push_back({"file_set", false, "cannot make a temporary folder"});
    return report;
  }
  const fs::path dicomdirCopy = fs::path(temp) / "DICOMDIR";
  std::ofstream(dicomdirCopy, std::ios::binary) << dicomdirBytes;
  std::string missing;
  std::size_t referenced = 0;
  const std::size_t underDicom = static_cast<std::size_t>(std::count_if(
      files.begin(), files.end(), [](const auto& f) { return f.first.rfind("DICOM/", 0) == 0; }));
  try {
    for (const auto& id : dicomdir::referencedFileIds(dicomdirCopy)) {
      ++referenced;
      if (!files.count(dicomdir::toPath(id))) missing = dicomdir::toPath(id);
    }
  } catch (const std::exception& e) {
    missing = e.what();
  }
  std::error_code ignored;
  fs::remove_all(temp, ignored);
  const bool allReferenced = referenced == underDicom;
  report.checks.push_back(
      {"file_set", missing.empty() && allReferenced,
       !missing.empty() ? "referenced but absent: " + missing
       : allReferenced  ? store::counted(referenced, "referenced file")
                        : store::counted(underDicom - std::min(underDicom, referenced), "file") +
                             " under DICOM/ that the DICOMDIR does not reference"});
  return report;
}

VerificationReport verifyFileSetFolder(const fs::path& root) {
  VerificationReport report;
  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(root);
  report.checks.push_back({"file_set", check.ok(),
                           check.ok() ? store::counted(check.entries.size(), "referenced file") +
                                            " present and matching"
                                      : check.problems.front()});
  // Media we write carry a manifest; a folder written by others may not.
  const fs::path manifestFile = root / kManifestName;
  if (fs::exists(manifestFile)) {
    std::ifstream in(manifestFile, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string problem;
    const auto manifest = parseChecksumManifest(text, problem);
    try {
      report.checks.push_back(problem.empty() ? compareWithManifest(manifest, md5OfTree(root))
                                              : VerificationCheck{"manifest", false, problem});
    } catch (const MediaError& e) {
      report.checks.push_back({"manifest", false, e.what()});
    }
  }
  return report;
}

}  // namespace burnstation::mediawriter
