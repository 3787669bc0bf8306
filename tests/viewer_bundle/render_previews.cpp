// bs_render_previews: renders the previews of files with PreviewCache, for bench/preview_bench.py.
// Usage: bs_render_previews --data DIR --tier full|light|thumbnails [--modality CT] FILE...
// Prints: instances images bytes seconds
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "burnstation/viewer_bundle/preview_cache.h"

int main(int argc, char** argv) {
  using namespace burnstation::viewer_bundle;
  std::string data, tierName = "full", modality = "CT";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (a == "--tier" && i + 1 < argc) {
      tierName = argv[++i];
    } else if (a == "--modality" && i + 1 < argc) {
      modality = argv[++i];
    } else {
      files.push_back(a);
    }
  }
  const auto tier = parsePreviewTier(tierName);
  if (data.empty() || !tier || files.empty()) {
    std::fprintf(stderr,
                 "usage: bs_render_previews --data DIR --tier TIER [--modality M] FILE...\n");
    return 2;
  }
  PreviewCache cache(data);
  std::size_t images = 0;
  std::uint64_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  try {
    for (const std::string& file : files) {
      const RenderedInstance r = cache.ensure({file, "bench", file, modality}, *tier);
      images += r.images.size();
      for (const auto& image : r.images) bytes += image.bytes;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bs_render_previews: %s\n", e.what());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu %zu %llu %.3f\n", files.size(), images, static_cast<unsigned long long>(bytes),
              seconds);
  return 0;
}
