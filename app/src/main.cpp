// burnstation: the service and its command line in one binary.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/oflog.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "burnstation/mediawriter/label_image.h"
#include "burnstation/station/station_config.h"
#include "commands.h"

namespace {

// The command-line contract of ARCHITECTURE.md, line for line, then the admin's extras.
constexpr const char* kUsage = R"(usage:
burnstation serve [--config FILE] [--data-dir DIR] [--port N] [--ae-title AE]
                                                  run the service in the foreground; the
                                                  flags override the file; prints
                                                  `listening AE@host:port` once it accepts
                                                  associations (--port 0 picks a free port)
burnstation patients [--json]                     collections: patients, studies, sizes, conflicts
burnstation plan --patient KEY [--study UID]... --profile NAME [--capacity SIZE] [--json]
                                                  the volumes it would need, without writing
burnstation burn --patient KEY [--study UID]... --profile NAME [--drive ADDR]
                 [--capacity SIZE] [--copies N] [--wait] [--json]
                                                  queue a job for the service (and wait for it)
burnstation export --patient KEY [--study UID]... --profile NAME --to DIR
                 [--capacity SIZE] [--update] [--json]
                                                  write the file-set(s) into DIR now
burnstation jobs [--json]                         queue and history with progress
burnstation cancel JOB                            cancel a queued or running job
burnstation drives [--json]                       drives, media status, capacity
burnstation verify PATH|ADDR [--json]             read a medium, image or file-set back and check it

also:
burnstation check [--json]                        check that the index and the stored files agree
burnstation config --defaults                     print the default configuration file
burnstation admin-pin [--config FILE] [--data-dir DIR]
                                                  set or change the admin PIN (6 or more
                                                  digits, read twice from standard input);
                                                  root or the service's user only

Every command but `serve` finds the service's database through the same
`--config`/`--data-dir` flags.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace burnstation::app;
  const burnstation::mediawriter::LabelFonts fonts;  // font caches released at exit
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  // DCMTK warns on every header-only parse and meta kept on purpose; errors still show.
  OFLog::configure(OFLogger::WARN_LOG_LEVEL);
  OFLog::getLogger("dcmtk.dcmdata").setLogLevel(OFLogger::ERROR_LOG_LEVEL);
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") return runServe(args);
  if (command == "patients") return runPatients(args);
  if (command == "check") return runCheck(args);
  if (command == "plan") return runPlan(args);
  if (command == "export") return runExport(args);
  if (command == "verify") return runVerify(args);
  if (command == "burn") return runBurn(args);
  if (command == "jobs") return runJobs(args);
  if (command == "cancel") return runCancel(args);
  if (command == "drives") return runDrives(args);
  if (command == "admin-pin") return runAdminPin(args);
  if (command == "config" && args.size() == 1 && args[0] == "--defaults") {
    std::cout << burnstation::station::defaultConfigText();
    return 0;
  }
  return reportError("unknown command \"" + command + "\" (see burnstation --help)", false);
}
