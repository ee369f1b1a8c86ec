#pragma once
// Method + path pattern → handler, with a pre-routing hook, an error handler (run on every answer of
// status >= 400 — a route's own or one the transport gives, such as 413 or 503) and an exception
// handler. It also carries what the routes ask of the transport (body cap, TCP_NODELAY), which the
// Server applies. Names follow cpp-httplib's Server (see message.hpp).
//
// Threads: routes and handlers are registered on one thread before the Server starts; handle() and
// refuse() are then called from the server's event and worker threads at once, and only read.

#include <cstddef>
#include <exception>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "central/http/message.hpp"

namespace central::http {

/// What the routes ask of the transport.
struct Transport {
    std::size_t payloadMaxLength = 1u << 20;
    bool tcpNoDelay = false;
};

class Router {
  public:
    using Handler = std::function<void(const Request&, Response&)>;
    enum class HandlerResponse { Handled, Unhandled };
    using PreRoutingHandler = std::function<HandlerResponse(const Request&, Response&)>;
    using ExceptionHandler = std::function<void(const Request&, Response&, std::exception_ptr)>;

    // cpp-httplib's names (see message.hpp).
    // NOLINTBEGIN(readability-identifier-naming)
    Router& Get(const std::string& pattern, Handler handler);
    Router& Post(const std::string& pattern, Handler handler);
    Router& Put(const std::string& pattern, Handler handler);
    void set_pre_routing_handler(PreRoutingHandler handler) { m_preRouting = std::move(handler); }
    void set_error_handler(Handler handler) { m_error = std::move(handler); }
    void set_exception_handler(ExceptionHandler handler) { m_exception = std::move(handler); }

    void set_payload_max_length(std::size_t bytes) { m_transport.payloadMaxLength = bytes; }
    void set_tcp_nodelay(bool on) { m_transport.tcpNoDelay = on; }
    // NOLINTEND(readability-identifier-naming)
    [[nodiscard]] const Transport& transport() const { return m_transport; }

    /// Runs the pre-routing hook, then the matching route (404 when none), then the error handler
    /// for a status >= 400. Exceptions from handlers become 500 through the exception handler.
    void handle(Request& req, Response& res) const;
    /// An answer the transport decided on its own (413, 415, 431, 503...), in the error shape.
    void refuse(const Request& req, Response& res, int status) const;

  private:
    struct Route {
        std::string method;
        std::regex pattern;
        Handler handler;
    };
    Router& add(const char* method, const std::string& pattern, Handler handler);
    void route(Request& req, Response& res) const;

    std::vector<Route> m_routes;
    PreRoutingHandler m_preRouting;
    Handler m_error;
    ExceptionHandler m_exception;
    Transport m_transport;
};

}  // namespace central::http
