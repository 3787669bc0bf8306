// Text for web content and data files: every generated file is ASCII (file:// gives a page's
// scripts no charset, and a disc may be read on any system), so non-ASCII characters become
// numeric character references in HTML and \u escapes in JavaScript.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace burnstation::viewer_bundle {

// HTML/XHTML text or attribute value: & < > " ' escaped, non-ASCII as &#xHHHH;.
std::string html(std::string_view utf8);

// A DICOM person name for reading: "Yamada^Tarou=山田^太郎" -> "Yamada Tarou (山田 太郎)".
std::string readableName(std::string_view personName);

// "Image 3 of 120" style seven-digit names: S0000001, P0000012.
std::string numbered(char prefix, int number);

// Writes a generated work file (not the medium: a scratch copy regenerated on a restart), 0640.
// Throws std::runtime_error naming the file.
void writeWorkFile(const std::filesystem::path& file, std::string_view bytes);

}  // namespace burnstation::viewer_bundle
