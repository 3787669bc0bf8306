// The local API's server through the real service and curl on its Unix socket: error
// documents, the body limit, who may connect (a client run as `nobody`), the socket's file
// (mode, group, a stale one, a file that is not ours), and the event stream.
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "api_curl.h"
#include "jobs_fixture.h"

extern char** environ;

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using Clock = std::chrono::steady_clock;
using harness::curl;
using harness::HttpAnswer;

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A test configuration (as the harness writes one) with extra settings.
fs::path writeConfig(const fs::path& file, const std::string& extra) {
  std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                         "[acceptance]\nany_called_ae = true\n"
                      << extra;
  return file;
}

// A folder under /tmp that the user nobody can reach (the test's own folders are private).
class PublicFolder {
 public:
  PublicFolder() {
    std::string pattern = "/tmp/bs-api-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    fs::permissions(path_, fs::perms(0755));
  }
  ~PublicFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A child process whose standard output goes to a file, killed if still running at the end.
class Background {
 public:
  Background(const std::vector<std::string>& args, const fs::path& output) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Background() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // The exit status once it ended within seconds, else -1.
  int waitExit(int seconds) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (pid_ > 0 && Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
};

// Whether the file comes to hold text within seconds.
bool appears(const fs::path& file, const std::string& text, int seconds) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < deadline) {
    if (readAll(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The documents of the stream's `event: kind` events so far.
std::vector<nlohmann::json> eventsOf(const std::string& stream, const std::string& kind) {
  std::vector<nlohmann::json> found;
  std::size_t start = 0;
  while (start < stream.size()) {
    std::size_t end = stream.find("\n\n", start);
    if (end == std::string::npos) break;  // not complete yet
    const std::string block = "\n" + stream.substr(start, end - start) + "\n";
    start = end + 2;
    if (block.find("\nevent: " + kind + "\n") == std::string::npos) continue;
    const auto data = block.find("\ndata: ");
    if (data == std::string::npos) continue;
    const auto line = block.substr(data + 7, block.find('\n', data + 1) - data - 7);
    found.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  return found;
}

// A socket file nobody listens on any more, as a crashed service leaves it.
void leaveStaleSocket(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(fd);
}

class LocalApiTest : public JobsTest {
 protected:
  fs::path socket() const { return data() / "api.sock"; }
};

TEST_F(LocalApiTest, AnswersErrorsAsDocuments) {
  Station station(data());
  EXPECT_NE(station.log().find("api " + socket().string()), std::string::npos) << station.log();

  const auto unknown = curl(socket(), {"http://localhost/no-such-thing"});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_NE(unknown.error(), "") << unknown.body;

  const auto wrongMethod = curl(socket(), {"-X", "POST", "http://localhost/events"});
  EXPECT_EQ(wrongMethod.status, 405) << wrongMethod.body;
  EXPECT_NE(wrongMethod.error(), "") << wrongMethod.body;

  const auto malformed = curl(socket(), {"http://localhost/patients/a%zzb"});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_NE(malformed.error().find("malformed"), std::string::npos) << malformed.body;
  const auto badQuery = curl(socket(), {"http://localhost/patients?q=%4"});
  EXPECT_EQ(badQuery.status, 400) << badQuery.body;

  // Over 1 MiB: refused from its length, and a chunked one (no length) once it passes the limit.
  const fs::path big = dir.path() / "big.json";
  std::ofstream(big) << std::string((1 << 20) + 10, 'x');
  const auto tooLarge =
      curl(socket(), {"--data-binary", "@" + big.string(), "http://localhost/jobs"});
  EXPECT_EQ(tooLarge.status, 413) << tooLarge.body;
  EXPECT_NE(tooLarge.error(), "") << tooLarge.body;
  const auto chunked = curl(socket(), {"-H", "Transfer-Encoding: chunked", "--data-binary",
                                       "@" + big.string(), "http://localhost/jobs"});
  EXPECT_EQ(chunked.status, 413) << chunked.body;

  // The service's user only, by default; the file goes when the service stops.
  struct stat st {};
  ASSERT_EQ(::stat(socket().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(station.stop(), 0);
  EXPECT_FALSE(fs::exists(fs::symlink_status(socket())));
}

TEST_F(LocalApiTest, RefusesAUserNotAllowedAndLetsInOneAllowed) {
  PublicFolder run;
  const fs::path sock = run.path() / "run" / "api.sock";  // "run" does not exist yet
  const std::string api = "[api]\nsocket = \"" + sock.string() + "\"\nsocket_group = \"nogroup\"\n";
  {
    Station station(data(), writeConfig(dir.path() / "closed.toml", api));
    struct stat st {};
    ASSERT_EQ(::stat(sock.c_str(), &st), 0) << station.log();
    EXPECT_EQ(st.st_mode & 0777, 0660u);
    const group* nogroup = ::getgrnam("nogroup");
    ASSERT_NE(nogroup, nullptr);
    EXPECT_EQ(st.st_gid, nogroup->gr_gid);
    ASSERT_EQ(::stat(sock.parent_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0755u);

    const auto refused = curl(sock, {"http://localhost/events"}, true);
    EXPECT_EQ(refused.status, 403) << refused.body << " exit " << refused.exitCode;
    EXPECT_NE(refused.error().find("nobody"), std::string::npos) << refused.body;
    EXPECT_NE(refused.error().find("[api]"), std::string::npos) << refused.body;
    EXPECT_TRUE(harness::eventAppears(data(), "api-refused", "nobody"));
    // Root is always let in.
    EXPECT_EQ(curl(sock, {"http://localhost/no-such-thing"}).status, 404);
  }
  for (const std::string allow :
       {"allowed_users = [\"nobody\"]\n", "allowed_groups = [\"nogroup\"]\n"}) {
    Station station(data(), writeConfig(dir.path() / "open.toml", api + allow));
    const auto allowed = curl(sock, {"-N", "http://localhost/events"}, true, 2);
    EXPECT_EQ(allowed.status, 200) << allow << allowed.body;
    EXPECT_NE(allowed.body.find(": burnstation events"), std::string::npos) << allowed.body;
    EXPECT_NE(allowed.body.find("event: drives"), std::string::npos) << allowed.body;
  }
}

TEST_F(LocalApiTest, ReplacesAStaleSocketAndRefusesAFileNotItsOwn) {
  fs::create_directories(data());
  leaveStaleSocket(socket());
  ASSERT_TRUE(fs::is_socket(socket()));
  {
    Station station(data());
    EXPECT_EQ(curl(socket(), {"http://localhost/no-such-thing"}).status, 404) << station.log();

    // A second service on the same socket is refused; the first keeps it.
    const std::string same = "[api]\nsocket = \"" + socket().string() + "\"\n";
    Station second(dir.path() / "second", writeConfig(dir.path() / "second.toml", same));
    EXPECT_NE(second.log().find("another service already answers"), std::string::npos)
        << second.log();
    EXPECT_NE(second.log().find("still receiving DICOM"), std::string::npos) << second.log();
    EXPECT_EQ(second.stop(), 0);
    EXPECT_EQ(curl(socket(), {"http://localhost/no-such-thing"}).status, 404);
  }

  std::ofstream(socket()) << "not a socket\n";
  {
    Station station(data());  // still receives DICOM without its API
    EXPECT_NE(station.log().find("is not a socket"), std::string::npos) << station.log();
    const auto echo =
        harness::runCommand({"echoscu", "-aec", "BURNSTATION", "localhost", station.portText()});
    EXPECT_EQ(echo.exitCode, 0) << echo.err;
  }
  EXPECT_EQ(readAll(socket()), "not a socket\n");

  fs::remove(socket());
  Station badGroup(data(), writeConfig(dir.path() / "group.toml",
                                       "[api]\nsocket_group = \"no-such-group-bs\"\n"));
  EXPECT_NE(badGroup.log().find("\"no-such-group-bs\" does not exist"), std::string::npos)
      << badGroup.log();
  EXPECT_FALSE(fs::exists(fs::symlink_status(socket())));
}

TEST_F(LocalApiTest, EventStreamShowsASubmittedJobAndEndsWhenTheServiceStops) {
  receive(2);
  Station station(data());
  const fs::path stream = dir.path() / "events.txt";
  Background client({"curl", "-q", "-sS", "-N", "--max-time", "60", "--unix-socket",
                     socket().string(), "http://localhost/events"},
                    stream);
  ASSERT_TRUE(appears(stream, ": burnstation events", 10)) << readAll(stream);

  const auto burn = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--json"});
  ASSERT_EQ(burn.exitCode, 0) << burn.err;
  const int id = nlohmann::json::parse(burn.out)["id"];
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  bool seen = false;
  while (!seen && Clock::now() < deadline) {
    for (const auto& job : eventsOf(readAll(stream), "job")) seen = seen || job["id"] == id;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(seen) << readAll(stream);
  EXPECT_NE(readAll(stream).find("\nid: "), std::string::npos);
  // Its progress follows, up to the end (then stopping does not wait for a burn).
  const auto burnDeadline = Clock::now() + std::chrono::seconds(kBurnSeconds);
  bool done = false;
  while (!done && Clock::now() < burnDeadline) {
    for (const auto& job : eventsOf(readAll(stream), "job")) {
      done = done || (job["id"] == id && job["state"] == "done");
    }
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(done) << readAll(stream) << station.log();

  // The open stream does not hold the service up.
  const auto before = Clock::now();
  EXPECT_EQ(station.stop(10), 0);
  EXPECT_LT(Clock::now() - before, std::chrono::seconds(5));
  EXPECT_EQ(client.waitExit(5), 0) << readAll(stream);
}

TEST_F(LocalApiTest, EventStreamsAreBoundedAndTheOthersStillAnswered) {
  Station station(data());
  std::vector<std::unique_ptr<Background>> clients;
  for (int i = 0; i < 8; ++i) {
    const fs::path out = dir.path() / ("stream" + std::to_string(i) + ".txt");
    clients.push_back(std::make_unique<Background>(
        std::vector<std::string>{"curl", "-q", "-sS", "-N", "--max-time", "60", "--unix-socket",
                                 socket().string(), "http://localhost/events"},
        out));
    ASSERT_TRUE(appears(out, ": burnstation events", 10)) << i;
  }
  const auto ninth = curl(socket(), {"http://localhost/events"});
  EXPECT_EQ(ninth.status, 503) << ninth.body;
  EXPECT_NE(ninth.error().find("event streams"), std::string::npos) << ninth.body;
  // The open streams do not hold up other requests.
  EXPECT_EQ(curl(socket(), {"http://localhost/no-such-thing"}).status, 404);

  // A client that leaves gives its place back.
  clients.pop_back();
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  HttpAnswer again;
  do {
    again = curl(socket(), {"-N", "http://localhost/events"}, false, 1);
  } while (again.status != 200 && Clock::now() < deadline);
  EXPECT_EQ(again.status, 200) << again.body;
}

}  // namespace
}  // namespace burnstation
