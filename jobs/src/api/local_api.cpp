// The local API's HTTP server on libmicrohttpd (local_api.h).
//
// Threading: one thread per connection (MHD_USE_THREAD_PER_CONNECTION), bounded by the
// connection limit. A handler may take seconds (planning a burn, a C-ECHO to a remote) and
// an event stream waits for changes; with a thread of its own each of them blocks only its
// own client, and the event stream can simply wait on a condition variable between polls
// instead of suspending and resuming its connection (which that mode does not support and
// which would otherwise be the only way around a busy loop: a content reader returning 0
// with internal polling makes MHD call it again at once). A station has a kiosk or two, so
// a few dozen threads at most is cheap.
#include "burnstation/jobs/local_api.h"

#include <microhttpd.h>
#include <poll.h>

#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>

#include "api_socket.h"
#include "event_feed.h"
#include "peer_access.h"

namespace burnstation::jobs {

namespace fs = std::filesystem;

namespace {

// A body larger than this is not even read to its end: the connection is closed.
constexpr std::size_t kDiscardLimit = 16 << 20;

struct DaemonStop {
  void operator()(MHD_Daemon* daemon) const { MHD_stop_daemon(daemon); }
};
struct ResponseRelease {
  void operator()(MHD_Response* response) const { MHD_destroy_response(response); }
};
using ResponseHandle = std::unique_ptr<MHD_Response, ResponseRelease>;

// Per connection: who is on the other end, decided once when it connects.
struct ConnectionState {
  int fd = -1;
  std::optional<PeerCredentials> peer;
  std::string refusal;  // empty: allowed
};

// Per request: the URI as sent (MHD would decode it its own way) and the body so far.
struct RequestState {
  std::string uri;
  std::string body;
  bool started = false;
  bool tooLarge = false;
  std::size_t discarded = 0;
};

}  // namespace

struct LocalApi::Server {
  ApiContext& context;
  const ApiRouter& router;
  Log log;
  LocalApiLimits limits;
  fs::path socketPath;
  std::unique_ptr<ApiSocket> socket;
  std::unique_ptr<MHD_Daemon, DaemonStop> daemon;
  RefusalLog refusals;
  std::mutex stopMutex;
  std::condition_variable stopSignal;
  std::atomic<bool> stopping{false};
  std::atomic<int> streams{0};

  Server(ApiContext& c, const ApiRouter& r, Log l, LocalApiLimits m)
      : context(c), router(r), log(std::move(l)), limits(m) {}

  void say(const std::string& line) noexcept {
    try {
      if (log) log(line);
    } catch (...) {
    }
  }
};

namespace {

using Server = LocalApi::Server;

// One open GET /events: its own view of the store, and the text not yet sent.
struct EventStream {
  Server* server;
  int fd;
  EventFeed feed;
  std::string pending;
  std::chrono::steady_clock::time_point nextPoll;
  std::chrono::steady_clock::time_point lastSent;

  EventStream(Server* s, int socket, const fs::path& dataDir)
      : server(s), fd(socket), feed(dataDir) {
    // The first look comes before the greeting, so that a client that has read the greeting
    // sees every change made after it. retry: how long a browser's EventSource waits before
    // it reconnects.
    pending = feed.poll() + ": burnstation events\nretry: 2000\n\n";
    lastSent = std::chrono::steady_clock::now();
    nextPoll = lastSent + std::chrono::milliseconds(s->limits.eventPollMilliseconds);
  }
};

// The client hung up: without this a closed stream would hold its slot until the next
// keep-alive failed to send.
bool peerGone(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

ssize_t readEvents(void* cls, std::uint64_t /*pos*/, char* buffer, std::size_t max) noexcept {
  auto& stream = *static_cast<EventStream*>(cls);
  Server& server = *stream.server;
  try {
    const auto pollEvery = std::chrono::milliseconds(server.limits.eventPollMilliseconds);
    const auto keepAlive = std::chrono::seconds(server.limits.keepAliveSeconds);
    while (stream.pending.empty()) {
      if (server.stopping) return MHD_CONTENT_READER_END_OF_STREAM;
      if (peerGone(stream.fd)) return MHD_CONTENT_READER_END_OF_STREAM;  // quietly
      const auto now = std::chrono::steady_clock::now();
      if (now >= stream.nextPoll) {
        try {
          stream.pending = stream.feed.poll();
        } catch (const std::exception&) {
          // The index busy or briefly unreadable: the next poll catches up.
          stream.pending.clear();
        }
        stream.nextPoll = now + pollEvery;
      }
      if (stream.pending.empty() && now - stream.lastSent >= keepAlive) {
        stream.pending = ": keep-alive\n\n";
      }
      if (stream.pending.empty()) {
        std::unique_lock lock(server.stopMutex);
        server.stopSignal.wait_until(lock, stream.nextPoll, [&] { return server.stopping.load(); });
      }
    }
    const std::size_t n = std::min(max, stream.pending.size());
    std::memcpy(buffer, stream.pending.data(), n);
    stream.pending.erase(0, n);
    stream.lastSent = std::chrono::steady_clock::now();
    return static_cast<ssize_t>(n);
  } catch (...) {
    return MHD_CONTENT_READER_END_WITH_ERROR;
  }
}

void freeStream(void* cls) noexcept {
  auto* stream = static_cast<EventStream*>(cls);
  Server& server = *stream->server;
  delete stream;
  std::lock_guard lock(server.stopMutex);
  --server.streams;
  server.stopSignal.notify_all();  // stop() waits for the streams to end
}

MHD_Result send(MHD_Connection* connection, const ApiResponse& answer) noexcept {
  try {
    ResponseHandle response(MHD_create_response_from_buffer(
        answer.body.size(), const_cast<char*>(answer.body.data()), MHD_RESPMEM_MUST_COPY));
    if (!response) return MHD_NO;
    MHD_add_response_header(response.get(), MHD_HTTP_HEADER_CONTENT_TYPE,
                            answer.contentType.c_str());
    for (const auto& [name, value] : answer.headers) {
      MHD_add_response_header(response.get(), name.c_str(), value.c_str());
    }
    return MHD_queue_response(connection, static_cast<unsigned>(answer.status), response.get());
  } catch (...) {
    return MHD_NO;
  }
}

MHD_Result sendError(MHD_Connection* connection, int status, const std::string& message) noexcept {
  try {
    return send(connection, ApiResponse::error(status, message));
  } catch (...) {
    return MHD_NO;
  }
}

MHD_Result startStream(Server& server, MHD_Connection* connection, int fd) {
  if (server.stopping) {
    return sendError(connection, http::kServiceUnavailable, "the service is stopping");
  }
  if (++server.streams > server.limits.maxEventStreams) {
    --server.streams;
    return sendError(connection, http::kServiceUnavailable,
                     "too many event streams are open (" +
                         std::to_string(server.limits.maxEventStreams) +
                         " at most); close one and try again");
  }
  std::unique_ptr<EventStream> stream;
  try {
    stream = std::make_unique<EventStream>(&server, fd, server.context.config().dataDir);
  } catch (const std::exception& e) {
    --server.streams;
    return sendError(connection, http::kServiceUnavailable,
                     std::string("the event stream cannot read the station's index: ") + e.what());
  }
  // The stream's size is unknown, so HTTP/1.1 sends it chunked and it can go on for days.
  ResponseHandle response(MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, &readEvents,
                                                            stream.get(), &freeStream));
  if (!response) {
    --server.streams;
    return MHD_NO;
  }
  stream.release();  // freeStream owns it now
  MHD_add_response_header(response.get(), MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
  MHD_add_response_header(response.get(), MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  return MHD_queue_response(connection, MHD_HTTP_OK, response.get());
}

ConnectionState* connectionOf(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info ? static_cast<ConnectionState*>(info->socket_context) : nullptr;
}

MHD_Result collectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) noexcept {
  try {
    std::string name = key ? key : "";
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    (*static_cast<std::map<std::string, std::string>*>(cls))[name] = value ? value : "";
  } catch (...) {
  }
  return MHD_YES;
}

// "a=1&b=%20x" -> {a: 1, b: " x"}; false for a malformed escape.
bool parseQuery(const std::string& text, std::map<std::string, std::string>& query) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string pair = text.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      std::string key, value;
      if (!percentDecode(pair.substr(0, eq), key, true)) return false;
      if (eq != std::string::npos && !percentDecode(pair.substr(eq + 1), value, true)) {
        return false;
      }
      query[key] = value;
    }
    start = end + 1;
  }
  return true;
}

void recordRefusal(Server& server, const ConnectionState& state) {
  const uid_t uid = state.peer ? state.peer->uid : uid_t(-1);
  if (!server.refusals.shouldRecord(uid)) return;
  server.say("api: refused: " + state.refusal);
  if (server.context.store) server.context.store->logEvent("api-refused", state.refusal, {});
}

MHD_Result handle(Server& server, MHD_Connection* connection, const char* method,
                  const char* uploadData, std::size_t* uploadSize, RequestState& request) {
  if (!request.started) {
    request.started = true;
    ConnectionState* state = connectionOf(connection);
    if (!state) return sendError(connection, http::kForbidden, "the peer is unknown");
    if (!state->refusal.empty()) {
      recordRefusal(server, *state);
      return sendError(connection, http::kForbidden, state->refusal);
    }
    // Answered before any of the body is read (curl then does not even send it).
    const char* length =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && std::strtoull(length, nullptr, 10) > server.limits.maxBodyBytes) {
      return sendError(connection, http::kPayloadTooLarge,
                       "the request body is larger than " +
                           std::to_string(server.limits.maxBodyBytes) + " bytes");
    }
    return MHD_YES;
  }
  if (*uploadSize > 0) {
    // A response cannot be queued while a chunk of the body is handed over: past the limit
    // the rest is dropped unread, and 413 answers once the body has ended.
    if (!request.tooLarge && request.body.size() + *uploadSize <= server.limits.maxBodyBytes) {
      request.body.append(uploadData, *uploadSize);
    } else {
      request.tooLarge = true;
      request.discarded += *uploadSize + request.body.size();
      request.body.clear();
      request.body.shrink_to_fit();
      if (request.discarded > kDiscardLimit) return MHD_NO;
    }
    *uploadSize = 0;
    return MHD_YES;
  }
  if (request.tooLarge) {
    return sendError(
        connection, http::kPayloadTooLarge,
        "the request body is larger than " + std::to_string(server.limits.maxBodyBytes) + " bytes");
  }

  ConnectionState* state = connectionOf(connection);
  ApiRequest api;
  api.method = method;
  const std::size_t question = request.uri.find('?');
  api.path = request.uri.substr(0, question);
  if (question != std::string::npos && !parseQuery(request.uri.substr(question + 1), api.query)) {
    return sendError(connection, http::kBadRequest,
                     "the query string of \"" + request.uri + "\" has a malformed percent escape");
  }
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &collectHeader, &api.headers);
  api.body = std::move(request.body);
  if (state && state->peer) api.peer = *state->peer;

  std::vector<std::string> segments;
  if (splitPath(api.path, segments) && segments == std::vector<std::string>{"events"}) {
    if (api.method != "GET") {
      return sendError(connection, http::kMethodNotAllowed,
                       api.method + " is not allowed on " + api.path);
    }
    return startStream(server, connection, state ? state->fd : -1);
  }
  return send(connection, server.router.dispatch(api));
}

MHD_Result onRequest(void* cls, MHD_Connection* connection, const char* /*url*/, const char* method,
                     const char* /*version*/, const char* uploadData, std::size_t* uploadSize,
                     void** requestContext) noexcept {
  auto& server = *static_cast<Server*>(cls);
  try {
    if (*requestContext == nullptr) *requestContext = new RequestState;
    auto& request = *static_cast<RequestState*>(*requestContext);
    return handle(server, connection, method, uploadData, uploadSize, request);
  } catch (const std::exception& e) {
    *uploadSize = 0;
    return sendError(connection, http::kInternalError, e.what());
  } catch (...) {
    *uploadSize = 0;
    return sendError(connection, http::kInternalError, "unexpected failure");
  }
}

void* onUri(void* /*cls*/, const char* uri, MHD_Connection* /*connection*/) noexcept {
  try {
    auto* request = new RequestState;
    request->uri = uri ? uri : "";
    return request;
  } catch (...) {
    return nullptr;
  }
}

void onCompleted(void* /*cls*/, MHD_Connection* /*connection*/, void** requestContext,
                 MHD_RequestTerminationCode) noexcept {
  delete static_cast<RequestState*>(*requestContext);
  *requestContext = nullptr;
}

void onConnection(void* cls, MHD_Connection* connection, void** socketContext,
                  MHD_ConnectionNotificationCode code) noexcept {
  auto& server = *static_cast<Server*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    delete static_cast<ConnectionState*>(*socketContext);
    *socketContext = nullptr;
    return;
  }
  try {
    auto state = std::make_unique<ConnectionState>();
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info) state->fd = info->connect_fd;
    state->peer = state->fd >= 0 ? peerOf(state->fd) : std::nullopt;
    if (!state->peer) {
      state->refusal = "the API serves only local clients whose user the system can tell";
    } else {
      // The lists as configured now: a change to [api] applies to the next connection.
      state->refusal = refusalFor(*state->peer, server.context.config().api);
    }
    *socketContext = state.release();
  } catch (...) {
    *socketContext = nullptr;  // no state: every request on it is refused
  }
}

void onLog(void* cls, const char* format, va_list arguments) noexcept {
  char line[512];
  std::vsnprintf(line, sizeof line, format, arguments);
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  static_cast<Server*>(cls)->say("api: " + text);
}

}  // namespace

LocalApi::LocalApi(ApiContext& context, const ApiRouter& router, Log log, LocalApiLimits limits)
    : server_(std::make_unique<Server>(context, router, std::move(log), limits)) {
  const station::StationConfig config = context.config();
  server_->socketPath = config.apiSocket();
  server_->socket = std::make_unique<ApiSocket>(server_->socketPath, config.api.socketGroup);
  const unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                         MHD_USE_POLL | MHD_USE_ERROR_LOG;
  server_->daemon.reset(MHD_start_daemon(
      flags, 0, nullptr, nullptr, &onRequest, server_.get(), MHD_OPTION_EXTERNAL_LOGGER, &onLog,
      server_.get(), MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(server_->socket->fd()),
      MHD_OPTION_CONNECTION_LIMIT, limits.maxConnections, MHD_OPTION_CONNECTION_TIMEOUT,
      limits.connectionTimeoutSeconds, MHD_OPTION_NOTIFY_CONNECTION, &onConnection, server_.get(),
      MHD_OPTION_URI_LOG_CALLBACK, &onUri, server_.get(), MHD_OPTION_NOTIFY_COMPLETED, &onCompleted,
      server_.get(), MHD_OPTION_END));
  if (!server_->daemon) {
    throw ApiError(http::kServiceUnavailable,
                   "the HTTP server could not start on " + config.apiSocket().string());
  }
  server_->socket->releaseFd();  // MHD closes it when it stops
}

LocalApi::~LocalApi() {
  stop();
}

const fs::path& LocalApi::socketPath() const {
  return server_->socketPath;
}

void LocalApi::stop() {
  if (!server_->daemon) return;
  {
    // The streams end their responses properly (the last chunk sent) before MHD shuts
    // their sockets, so a client can tell a stop from a broken connection.
    std::unique_lock lock(server_->stopMutex);
    server_->stopping = true;
    server_->stopSignal.notify_all();
    server_->stopSignal.wait_for(lock, std::chrono::seconds(2),
                                 [&] { return server_->streams.load() <= 0; });
  }
  server_->daemon.reset();  // waits for every connection's thread
  server_->socket.reset();  // removes the file, after the last request
}

}  // namespace burnstation::jobs
