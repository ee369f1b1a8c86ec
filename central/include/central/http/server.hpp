#pragma once
// central's HTTP/1.1 server: libmicrohttpd's epoll event loop reads requests (headers and bodies)
// on a couple of event threads; only a whole, admitted request is handed to the worker pool
// (BoundedTaskQueue), its connection suspended until the answer is ready. docs/performance.md has the
// measurements behind the choice.
//
// Limits a hostile client meets before a worker is involved:
// - connections: a total cap and a cap per client address (refused at accept);
// - time: a connection silent for the keep-alive timeout between requests, the read timeout within
//   one or the write timeout while its answer goes out is closed; so is one whose request (line,
//   headers and body, counted from the connection or the previous answer) takes longer than the
//   read timeout to arrive, however steadily it dribbles;
// - size: request line + headers fit in a fixed per-connection buffer (over it: 431), at most
//   ServerOptions::maxHeaders header lines (431); the body cap holds for chunked bodies too (413), and a body
//   is never inflated — any Content-Encoding but identity is answered 415;
// - a keep-alive connection is closed after ServerOptions::keepAliveMaxCount requests.
// Every limit is a central.toml option ([http], docs/deploy.md); the defaults below are the shipped ones.
// A refused body is read and dropped up to kDrainBytes more, so the client sees the answer rather
// than a reset; past that the connection is closed.
//
// Threads: start() and stop() from one thread (central's main thread). The Router and the queue must
// outlive the Server; stop() (also run by the destructor) shuts the queue down.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "central/bounded_task_queue.hpp"
#include "central/http/router.hpp"

struct MHD_Daemon;

namespace central::http {

struct ServerOptions {
    unsigned maxConnections = 2048;
    unsigned maxConnectionsPerAddress = 512;        ///< per TCP peer (a reverse proxy counts as one)
    std::size_t connectionBufferBytes = 64u << 10;  ///< request line + headers must fit
    std::size_t maxHeaders = 100;
    unsigned eventThreads = 2;  ///< one collapsed at 256 connections (docs/performance.md)
    int listenBacklog = 1024;
    std::size_t keepAliveMaxCount = 1000;  ///< requests on one connection before it is closed
    int keepAliveTimeoutSeconds = 1;       ///< idle time allowed between two requests
    int readTimeoutSeconds = 10;           ///< a request's line, headers and body must arrive within this
    int writeTimeoutSeconds = 10;          ///< a client must read its answer within this
    /// TCP peers whose X-Forwarded-For names the client (forwarded.hpp); empty = the header is ignored.
    std::vector<std::string> trustedProxies;
};

class Server {
  public:
    static constexpr std::size_t kDrainBytes = 16u << 20;

    Server(const Router& router, BoundedTaskQueue& queue, ServerOptions options = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds host:port (0 = any free port) and starts serving; returns the port. Throws
    /// std::runtime_error when it cannot.
    int start(const std::string& host, int port);
    /// Stops accepting, lets the requests in flight finish (bounded by `grace`), closes everything.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  private:
    struct Exchange;
    class Deadlines;
    friend struct ServerCallbacks;

    const Router& m_router;
    BoundedTaskQueue& m_queue;
    ServerOptions m_options;
    MHD_Daemon* m_daemon = nullptr;
    std::atomic<int> m_inFlight{0};  ///< requests handed to a worker and not answered yet
    std::unique_ptr<Deadlines> m_deadlines;
};

}  // namespace central::http
