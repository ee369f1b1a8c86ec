#include "central/http/server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "central/http/forwarded.hpp"

namespace central::http {

using Clock = std::chrono::steady_clock;

/// Cuts the connections whose request is not read within the read timeout. libmicrohttpd only knows
/// idle timeouts: a client sending a header line or a body byte just often enough would otherwise keep
/// its connection for as long as it likes. Connections are known by socket: one is forgotten when
/// libmicrohttpd reports it closed, which it does before it closes the socket, so a socket number
/// used again is never cut by mistake.
class Server::Deadlines {
  public:
    explicit Deadlines(std::chrono::seconds limit) : m_limit(limit), m_thread([this] { run(); }) {}
    ~Deadlines() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    Deadlines(const Deadlines&) = delete;
    Deadlines& operator=(const Deadlines&) = delete;

    /// A request begins on `socket` (the connection opened, or its previous request was answered).
    void begin(int socket) {
        std::lock_guard lock(m_mutex);
        m_reading[socket] = Clock::now();
    }
    /// The request on `socket` is read (or the connection closed).
    void done(int socket) {
        std::lock_guard lock(m_mutex);
        m_reading.erase(socket);
    }

  private:
    void run() {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, std::chrono::milliseconds(250), [this] { return m_stop; })) {
            const auto now = Clock::now();
            // libmicrohttpd sees the end of the stream and closes the connection (and reports it).
            for (const auto& [socket, start] : m_reading)
                if (now - start > m_limit) ::shutdown(socket, SHUT_RDWR);
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::unordered_map<int, Clock::time_point> m_reading;
    std::chrono::seconds m_limit;
    std::thread m_thread;
};

/// One request on a connection: created when its request line arrives, deleted when MHD is done.
struct Server::Exchange {
    Server* server = nullptr;
    Request req;
    Response res;
    bool headersRead = false;
    int refusal = 0;                 ///< the status this request gets instead of a route, 0 = none
    std::size_t declaredLength = 0;  ///< Content-Length, 0 when absent (a chunked body)
    std::size_t dropped = 0;
    bool dispatched = false;
};

/// libmicrohttpd's C callbacks, with access to Server's members.
struct ServerCallbacks {
    using Exchange = Server::Exchange;

    struct ConnectionState {
        int socket = -1;
        std::size_t requests = 0;
    };

    static ConnectionState* connectionState(MHD_Connection* conn) {
        const auto* info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        return info ? static_cast<ConnectionState*>(info->socket_context) : nullptr;
    }

    static void onConnection(void* cls, MHD_Connection* conn, void** socketContext,
                             MHD_ConnectionNotificationCode code) {
        auto* server = static_cast<Server*>(cls);
        if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
            std::unique_ptr<ConnectionState> state(static_cast<ConnectionState*>(*socketContext));
            *socketContext = nullptr;
            if (state) server->m_deadlines->done(state->socket);
            return;
        }
        const auto* info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!info) return;
        auto* state = new ConnectionState{info->connect_fd};
        *socketContext = state;
        server->m_deadlines->begin(state->socket);
        // Answers go out as one buffer; without TCP_NODELAY the tail of one waited for the client's
        // delayed ACK (~40 ms per answer on a keep-alive connection).
        if (server->m_router.transport().tcpNoDelay) {
            const int on = 1;
            ::setsockopt(state->socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        }
    }

    /// The request line arrived: from now on the read timeout applies instead of the keep-alive one.
    static void* onRequestLine(void* cls, const char*, MHD_Connection* conn) {
        auto* server = static_cast<Server*>(cls);
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                  static_cast<unsigned>(server->m_options.readTimeoutSeconds));
        auto* ex = new Exchange;
        ex->server = server;
        return ex;
    }

    static void onCompleted(void* cls, MHD_Connection* conn, void** reqCls, MHD_RequestTerminationCode code) {
        auto* server = static_cast<Server*>(cls);
        std::unique_ptr<Exchange> ex(static_cast<Exchange*>(*reqCls));
        *reqCls = nullptr;
        if (ex && ex->dispatched) --server->m_inFlight;
        if (auto* state = connectionState(conn); state && code == MHD_REQUEST_TERMINATED_COMPLETED_OK)
            server->m_deadlines->begin(state->socket);
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                  static_cast<unsigned>(server->m_options.keepAliveTimeoutSeconds));
    }

    static MHD_Result collect(void* cls, MHD_ValueKind, const char* key, const char* value) {
        static_cast<Params*>(cls)->emplace(key, value ? value : "");
        return MHD_YES;
    }
    static MHD_Result collectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
        static_cast<Headers*>(cls)->emplace(key, value ? value : "");
        return MHD_YES;
    }

    static std::string clientAddress(MHD_Connection* conn) {
        const auto* info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (!info || !info->client_addr) return {};
        char text[INET6_ADDRSTRLEN] = {};
        const auto* addr = info->client_addr;
        if (addr->sa_family == AF_INET)
            ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, text, sizeof text);
        else if (addr->sa_family == AF_INET6)
            ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, text, sizeof text);
        return text;
    }

    /// Reads the head of the request; the status it must be refused with, or 0.
    static int readHead(MHD_Connection* conn, const char* url, const char* method, Exchange& ex) {
        ex.req.method = method;
        ex.req.path = url;
        const int headers = MHD_get_connection_values(conn, MHD_HEADER_KIND, collectHeader, &ex.req.headers);
        const auto peer = clientAddress(conn);
        ex.req.remote_addr = forwardedClient(peer, ex.req.headers, ex.server->m_options.trustedProxies);
        ex.req.secure = forwardedHttps(peer, ex.req.headers, ex.server->m_options.trustedProxies);
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &ex.req.params);
        if (static_cast<std::size_t>(headers) > ex.server->m_options.maxHeaders) return 431;
        // Inflating a body would let a small one become a huge one: bodies are taken as sent, or not.
        if (const auto coding = ex.req.get_header_value("Content-Encoding");
            !coding.empty() && coding != "identity")
            return 415;
        // A Content-Length too big to parse counts as too big.
        const auto length = ex.req.get_header_value("Content-Length");
        if (!length.empty() &&
            std::from_chars(length.data(), length.data() + length.size(), ex.declaredLength).ec !=
                std::errc())
            ex.declaredLength = std::numeric_limits<std::size_t>::max();
        return ex.declaredLength > ex.server->m_router.transport().payloadMaxLength ? 413 : 0;
    }

    static MHD_Result send(MHD_Connection* conn, Exchange& ex) {
        auto& res = ex.res;
        // From the answer on, a client that stops reading it is cut after the write timeout.
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                  static_cast<unsigned>(ex.server->m_options.writeTimeoutSeconds));
        auto* state = connectionState(conn);
        if (state && ++state->requests >= ex.server->m_options.keepAliveMaxCount &&
            res.headers.find("Connection") == res.headers.end())
            res.set_header("Connection", "close");
        auto* response =
            MHD_create_response_from_buffer(res.body.size(), res.body.data(), MHD_RESPMEM_MUST_COPY);
        for (const auto& [key, value] : res.headers)
            MHD_add_response_header(response, key.c_str(), value.c_str());
        const auto result = MHD_queue_response(conn, static_cast<unsigned>(res.status), response);
        MHD_destroy_response(response);
        return result;
    }

    static MHD_Result refuse(MHD_Connection* conn, Exchange& ex) {
        ex.server->m_router.refuse(ex.req, ex.res, ex.refusal);
        return send(conn, ex);
    }

    /// Hands the whole request to a worker; the connection sleeps until the answer is ready.
    static MHD_Result dispatch(MHD_Connection* conn, Exchange& ex) {
        ex.dispatched = true;
        ++ex.server->m_inFlight;
        MHD_suspend_connection(conn);
        const bool queued = ex.server->m_queue.enqueue([&ex, conn] {
            ex.server->m_router.handle(ex.req, ex.res);
            MHD_resume_connection(conn);
        });
        if (!queued) {  // stopping: answer at once
            ex.refusal = 503;
            ex.server->m_router.refuse(ex.req, ex.res, 503);
            MHD_resume_connection(conn);
        }
        return MHD_YES;
    }

    /// A chunk of body: kept while under the cap, dropped (up to kDrainBytes) once refused.
    static MHD_Result takeBody(Exchange& ex, const char* data, std::size_t size) {
        if (!ex.refusal && ex.req.body.size() + size > ex.server->m_router.transport().payloadMaxLength) {
            ex.refusal = 413;
            std::string().swap(ex.req.body);
        }
        if (!ex.refusal) {
            ex.req.body.append(data, size);
            return MHD_YES;
        }
        ex.dropped += size;
        return ex.dropped > Server::kDrainBytes ? MHD_NO : MHD_YES;  // MHD_NO closes the connection
    }

    static MHD_Result onRequest(void*, MHD_Connection* conn, const char* url, const char* method, const char*,
                                const char* data, std::size_t* size, void** reqCls) {
        auto* ex = static_cast<Exchange*>(*reqCls);
        if (!ex) return MHD_NO;
        if (!ex->headersRead) {
            ex->headersRead = true;
            ex->refusal = readHead(conn, url, method, *ex);
            // A refused request's body is drained so the client reads the answer; one declared too big
            // to drain is answered now, and MHD closes the connection after the answer.
            const auto drainable = ex->server->m_router.transport().payloadMaxLength + Server::kDrainBytes;
            if (ex->refusal && ex->declaredLength > drainable) return refuse(conn, *ex);
            return MHD_YES;
        }
        if (*size != 0) {
            const auto result = takeBody(*ex, data, *size);
            *size = 0;
            return result;
        }
        if (auto* state = connectionState(conn); state && !ex->dispatched)
            ex->server->m_deadlines->done(state->socket);
        if (ex->refusal && !ex->dispatched) return refuse(conn, *ex);
        if (!ex->dispatched) return dispatch(conn, *ex);
        return send(conn, *ex);
    }
};

Server::Server(const Router& router, BoundedTaskQueue& queue, ServerOptions options)
    : m_router(router),
      m_queue(queue),
      m_options(std::move(options)),
      m_deadlines(std::make_unique<Deadlines>(std::chrono::seconds(m_options.readTimeoutSeconds))) {}

Server::~Server() {
    stop(std::chrono::milliseconds(0));
}

int Server::start(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    const auto service = std::to_string(port);
    if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
        throw std::runtime_error("cannot resolve " + host);
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> address(found, ::freeaddrinfo);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_TURBO;
    if (found->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    // A pool, not one event thread: one collapsed to a few hundred req/s at 256 connections with this
    // libmicrohttpd (0.9.75); a pool of two did not (docs/performance.md). Settings refuse fewer than 2.
    m_daemon = MHD_start_daemon(
        flags, static_cast<std::uint16_t>(port), nullptr, nullptr, &ServerCallbacks::onRequest, this,
        MHD_OPTION_SOCK_ADDR, found->ai_addr, MHD_OPTION_THREAD_POOL_SIZE, m_options.eventThreads,
        MHD_OPTION_CONNECTION_LIMIT, m_options.maxConnections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        m_options.maxConnectionsPerAddress, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        m_options.connectionBufferBytes, MHD_OPTION_CONNECTION_TIMEOUT,
        static_cast<unsigned>(m_options.keepAliveTimeoutSeconds), MHD_OPTION_LISTEN_BACKLOG_SIZE,
        static_cast<unsigned>(m_options.listenBacklog), MHD_OPTION_URI_LOG_CALLBACK,
        &ServerCallbacks::onRequestLine, this, MHD_OPTION_NOTIFY_COMPLETED, &ServerCallbacks::onCompleted,
        this, MHD_OPTION_NOTIFY_CONNECTION, &ServerCallbacks::onConnection, this, MHD_OPTION_END);
    if (!m_daemon) throw std::runtime_error("cannot listen on " + host + ":" + service);
    const auto* info = MHD_get_daemon_info(m_daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : port;
}

void Server::stop(std::chrono::milliseconds grace) {
    if (!m_daemon) return;
    if (const MHD_socket listening = MHD_quiesce_daemon(m_daemon); listening != MHD_INVALID_SOCKET)
        ::close(listening);
    const auto deadline = Clock::now() + grace;
    while (m_inFlight > 0 && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // Every worker job has run (and resumed its connection) before MHD closes the connections.
    m_queue.shutdown();
    MHD_stop_daemon(m_daemon);
    m_daemon = nullptr;
}

}  // namespace central::http
