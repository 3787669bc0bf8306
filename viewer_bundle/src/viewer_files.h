// The viewer's static files (viewer_bundle/web), embedded in the binary at build time.
#pragma once

#include <cstddef>
#include <vector>

namespace burnstation::viewer_bundle {

struct EmbeddedFile {
  const char* mediumPath;  // "VIEWER.HTM", "VIEWER/VIEWER.JS"
  const unsigned char* data;
  std::size_t size;
};

const std::vector<EmbeddedFile>& viewerFiles();

}  // namespace burnstation::viewer_bundle
