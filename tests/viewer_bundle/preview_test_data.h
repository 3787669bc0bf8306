// Test images whose pixel values a test chooses (made with the factory, then their pixels
// replaced), and an independent JPEG reader: ffmpeg decodes what the previews wrote.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation::previewtest {

// Replaces the pixels of an uncompressed monochrome 16-bit instance: value(x, y, frame) is the
// stored value (frame 0-based); extra attributes are put as strings.
inline void setPixels16(const std::filesystem::path& file, int columns, int rows, int frames,
                        const std::function<std::uint16_t(int, int, int)>& value,
                        const std::vector<std::pair<DcmTagKey, std::string>>& extra = {}) {
  DcmFileFormat dicom;
  if (dicom.loadFile(file.c_str()).bad()) throw std::runtime_error("load " + file.string());
  DcmDataset& ds = *dicom.getDataset();
  std::vector<Uint16> pixels(static_cast<std::size_t>(columns) * rows * frames);
  for (int f = 0; f < frames; ++f)
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < columns; ++x)
        pixels[(static_cast<std::size_t>(f) * rows + y) * columns + x] = value(x, y, f);
  ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(),
                             static_cast<unsigned long>(pixels.size()));
  for (const auto& [tag, text] : extra) ds.putAndInsertString(tag, text.c_str());
  if (dicom.saveFile(file.c_str(), ds.getOriginalXfer()).bad())
    throw std::runtime_error("save " + file.string());
}

// An RGB 8-bit image of the factory's secondary capture: rgb(x, y) -> {r, g, b}.
inline void setRgbPixels(const std::filesystem::path& file, int columns, int rows,
                         const std::function<std::array<std::uint8_t, 3>(int, int)>& rgb) {
  DcmFileFormat dicom;
  if (dicom.loadFile(file.c_str()).bad()) throw std::runtime_error("load " + file.string());
  DcmDataset& ds = *dicom.getDataset();
  std::vector<Uint8> pixels(static_cast<std::size_t>(columns) * rows * 3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < columns; ++x) {
      const auto c = rgb(x, y);
      for (int k = 0; k < 3; ++k)
        pixels[(static_cast<std::size_t>(y) * columns + x) * 3 + k] = c[k];
    }
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 3);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB");
  ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ds.putAndInsertUint16(DCM_BitsAllocated, 8);
  ds.putAndInsertUint16(DCM_BitsStored, 8);
  ds.putAndInsertUint16(DCM_HighBit, 7);
  ds.putAndInsertUint8Array(DCM_PixelData, pixels.data(),
                            static_cast<unsigned long>(pixels.size()));
  if (dicom.saveFile(file.c_str(), ds.getOriginalXfer()).bad())
    throw std::runtime_error("save " + file.string());
}

// A JPEG decoded by ffmpeg (not DCMTK): size and 8-bit samples, row by row.
struct Decoded {
  int width = 0;
  int height = 0;
  int channels = 1;
  std::string pixels;
  // Mean of channel c over the rectangle [x0,x1) x [y0,y1) given in fractions of the size.
  double mean(double x0, double x1, double y0, double y1, int c = 0) const {
    double sum = 0;
    int n = 0;
    for (int y = static_cast<int>(y0 * height); y < static_cast<int>(y1 * height); ++y)
      for (int x = static_cast<int>(x0 * width); x < static_cast<int>(x1 * width); ++x) {
        sum += static_cast<unsigned char>(
            pixels[(static_cast<std::size_t>(y) * width + x) * channels + c]);
        ++n;
      }
    return n ? sum / n : -1;
  }
};

// A binary PGM (P5) or PPM (P6) with maxval 255.
inline Decoded parsePnm(const std::string& bytes) {
  Decoded d;
  char magic[3] = {};
  int maxval = 0;
  int consumed = 0;
  if (std::sscanf(bytes.c_str(), "%2s %d %d %d%n", magic, &d.width, &d.height, &maxval,
                  &consumed) != 4 ||
      maxval != 255) {
    ADD_FAILURE() << "not a PNM with maxval 255";
    return {};
  }
  d.channels = std::string(magic) == "P6" ? 3 : 1;
  d.pixels = bytes.substr(static_cast<std::size_t>(consumed) + 1);
  EXPECT_EQ(d.pixels.size(), static_cast<std::size_t>(d.width) * d.height * d.channels);
  return d;
}

inline Decoded decodeJpeg(const std::filesystem::path& file, bool colour = false) {
  const auto raw =
      harness::runCommand({"ffmpeg", "-v", "error", "-i", file.string(), "-f", "image2pipe", "-c:v",
                           colour ? "ppm" : "pgm", "-pix_fmt", colour ? "rgb24" : "gray", "-"},
                          {}, 60);
  EXPECT_EQ(raw.exitCode, 0) << raw.err;
  return parsePnm(raw.out);
}

// ffprobe's pixel format of a JPEG: yuvj444p for 4:4:4 colour, gray for monochrome.
inline std::string pixelFormat(const std::filesystem::path& file) {
  const auto probe =
      harness::runCommand({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                           "stream=pix_fmt", "-of", "csv=p=0", file.string()},
                          {}, 60);
  std::string out = probe.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace burnstation::previewtest
