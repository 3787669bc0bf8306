// Readers nobody here wrote (dciodvfy, pydicom, dcmdump) and our own file-set reader must
// all accept a written file-set: shared by the export and burn tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "burnstation/dicomdir/file_set.h"
#include "station_harness.h"

namespace burnstation {

inline void expectReadersAccept(const std::filesystem::path& root, std::size_t instances) {
  const auto dciodvfy = harness::runCommand({"dciodvfy", (root / "DICOMDIR").string()});
  EXPECT_EQ((dciodvfy.out + dciodvfy.err).find("Error"), std::string::npos)
      << dciodvfy.out << dciodvfy.err;
  const std::string script =
      "import sys\nfrom pydicom.fileset import FileSet\nfs = FileSet(sys.argv[1])\nn = 0\n"
      "for i in fs:\n  ds = i.load()\n  assert ds.SOPInstanceUID == "
      "i.ReferencedSOPInstanceUIDInFile\n"
      "  n += 1\nprint(n)\n";
  const auto pydicom =
      harness::runCommand({"/usr/bin/python3", "-c", script, (root / "DICOMDIR").string()});
  EXPECT_EQ(pydicom.exitCode, 0) << pydicom.err;
  EXPECT_EQ(pydicom.out, std::to_string(instances) + "\n");
  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(root);
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  EXPECT_EQ(check.entries.size(), instances);
  for (const auto& e : check.entries) {
    const auto dump =
        harness::runCommand({"dcmdump", "-q", (root / dicomdir::toPath(e.fileId)).string()});
    EXPECT_EQ(dump.exitCode, 0) << dicomdir::toPath(e.fileId) << dump.err;
  }
}

}  // namespace burnstation
