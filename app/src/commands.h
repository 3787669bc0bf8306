// The station's commands (ARCHITECTURE.md "Command line contract"); each returns the
// process exit code and reports bad input as one line on stderr.
#pragma once

#include <string>
#include <vector>

namespace burnstation::app {

int runServe(const std::vector<std::string>& args);
int runPatients(const std::vector<std::string>& args);
int runCheck(const std::vector<std::string>& args);
int runPlan(const std::vector<std::string>& args);
int runExport(const std::vector<std::string>& args);
int runVerify(const std::vector<std::string>& args);
int runBurn(const std::vector<std::string>& args);
int runJobs(const std::vector<std::string>& args);
int runCancel(const std::vector<std::string>& args);
int runDrives(const std::vector<std::string>& args);
int runAdminPin(const std::vector<std::string>& args);

// Prints a one-line reason (and {"error": ...} on stdout when json) and returns 2.
int reportError(const std::string& message, bool json);

}  // namespace burnstation::app
