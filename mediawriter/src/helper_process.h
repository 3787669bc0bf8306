// Running the system's helper programs (mount, fusefat, mkfs.vfat) from a threaded service:
// without a shell, with a time limit, and reading /proc's escaped mount table.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace burnstation::mediawriter {

// Runs a program (looked up in PATH) without a shell and returns its exit status and what
// it printed (stdout and stderr). A program still running at the limit is killed with
// everything it started and the status is -1 with output saying so.
int runHelper(const std::vector<std::string>& argv, std::string& output,
              std::chrono::milliseconds limit);

// A running fusefat process (FUSE mounts name no source in the mount table, so the server's
// command line is the only place that says which file or device it serves).
struct FuseServer {
  pid_t pid = -1;
  std::vector<std::string> args;  // after the program: its options, the source, the mount point
};
std::vector<FuseServer> fusefatServers();

// /proc/self/mountinfo writes space, tab, newline and backslash in paths as \ooo.
std::string unescapeMountField(const std::string& field);

// One line of /proc/self/mountinfo, its paths unescaped.
struct MountEntry {
  std::string device;      // "major:minor" of the mounted filesystem
  std::string mountPoint;  // field 5
  std::string type;        // after " - ": the filesystem type
  std::string source;      // and the source ("" for a FUSE mount that names none)
};
std::vector<MountEntry> mountTable();

// A small file's whole content, "" when it cannot be read (/proc and /sys files).
std::string fileContent(const std::string& path);

}  // namespace burnstation::mediawriter
