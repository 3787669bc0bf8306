// Checksum manifest (see checksum_manifest.h). Paths are relative, '/'-separated and as the
// files are named on the medium, which is what md5sum -c run at the medium's root expects.
#include "burnstation/mediawriter/checksum_manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "burnstation/mediawriter/media_error.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/durable_file.h"
#include "burnstation/store/store_error.h"
#include "md5.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

std::string md5OfFile(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw MediaError(MediaError::Code::Io, "cannot read " + file.string());
  Md5 md5;
  std::vector<char> buffer(1 << 20);
  ssize_t n;
  while ((n = ::read(fd, buffer.data(), buffer.size())) > 0)
    md5.add(buffer.data(), static_cast<int>(n));
  ::close(fd);
  if (n < 0) throw MediaError(MediaError::Code::Io, "cannot read " + file.string());
  return hex(md5.finish());
}

}  // namespace

namespace {

bool isOurs(const std::string& relative) {
  for (const char* file : {"DICOMDIR", "README.TXT", "INDEX.HTM", "VIEWER.HTM"}) {
    if (relative == file) return true;
  }
  for (const char* folder : {"DICOM/", "VIEWER/", "IHE_PDI/", "PDF/", "VIDEO/"}) {
    if (relative.rfind(folder, 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::map<std::string, std::string> md5OfTree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), root).generic_string();
    // The file-set and the web content only: a stick may also hold files that are not ours
    // to vouch for.
    if (!isOurs(relative)) continue;
    out[relative] = md5OfFile(entry.path());
  }
  return out;
}

namespace {

std::string manifestText(const std::map<std::string, std::string>& md5ByPath) {
  std::ostringstream text;
  for (const auto& [path, md5] : md5ByPath) text << md5 << "  " << path << "\n";
  return text.str();
}

void writeDurably(const fs::path& root, const std::string& bytes) {
  try {
    store::writeFileDurably(root / kManifestName, bytes);
  } catch (const store::StoreError& e) {
    throw MediaError(MediaError::Code::Io,
                     "cannot write the checksum manifest in " + root.string() + ": " + e.what());
  }
}

}  // namespace

void writeChecksumManifest(const fs::path& root) {
  writeDurably(root, manifestText(md5OfTree(root)));
}

void addChecksumManifest(IsoVolumeContent& content, const fs::path& workDir, bool digests) {
  // MD5 is CPU-bound: the files are split between the cores.
  std::vector<std::string> md5s(content.files.size(), std::string(32, '0'));
  if (digests) {
    const std::size_t workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    std::vector<std::future<void>> running;
    for (std::size_t w = 0; w < workers; ++w) {
      running.push_back(std::async(std::launch::async, [&, w] {
        for (std::size_t i = w; i < content.files.size(); i += workers) {
          md5s[i] = md5OfFile(content.files[i].source);
        }
      }));
    }
    for (auto& r : running) r.get();  // rethrows a worker's MediaError
  }
  std::map<std::string, std::string> md5ByPath;
  for (std::size_t i = 0; i < content.files.size(); ++i) {
    md5ByPath[content.files[i].mediumPath] = md5s[i];
  }
  fs::create_directories(workDir);
  writeDurably(workDir, manifestText(md5ByPath));
  content.files.push_back({kManifestName, workDir / kManifestName});
}

std::map<std::string, std::string> parseChecksumManifest(const std::string& text,
                                                         std::string& problem) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    if (line.size() < 35 || line[32] != ' ' || line[33] != ' ' ||
        line.find_first_not_of("0123456789abcdef") < 32) {
      if (problem.empty()) problem = "manifest line " + std::to_string(number) + " is malformed";
      continue;
    }
    out[line.substr(34)] = line.substr(0, 32);
  }
  return out;
}

VerificationCheck compareWithManifest(const std::map<std::string, std::string>& manifest,
                                      const std::map<std::string, std::string>& actual) {
  for (const auto& [path, md5] : actual) {
    const auto listed = manifest.find(path);
    if (listed == manifest.end()) return {"manifest", false, path + " is not in " + kManifestName};
    if (listed->second != md5) {
      return {"manifest", false, path + " differs from its checksum in " + kManifestName};
    }
  }
  for (const auto& [path, md5] : manifest) {
    if (!actual.count(path)) return {"manifest", false, path + " is listed but absent"};
  }
  return {"manifest", true,
          store::counted(manifest.size(), "file") +
              (manifest.size() == 1 ? " matches " : " match ") + kManifestName};
}

}  // namespace burnstation::mediawriter
