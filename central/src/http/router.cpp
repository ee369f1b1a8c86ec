#include "central/http/router.hpp"

#include <algorithm>
#include <cctype>

namespace central::http {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
}

std::string Request::get_header_value(const std::string& key, std::size_t id) const {
    auto [first, last] = headers.equal_range(key);
    for (std::size_t i = 0; first != last; ++first, ++i)
        if (i == id) return first->second;
    return {};
}

std::size_t Request::get_header_value_count(const std::string& key) const {
    return headers.count(key);
}

std::string Request::get_param_value(const std::string& key) const {
    const auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
}

void Response::set_header(const std::string& key, const std::string& value) {
    headers.emplace(key, value);
}

void Response::set_content(std::string content, const std::string& contentType) {
    body = std::move(content);
    headers.erase("Content-Type");
    headers.emplace("Content-Type", contentType);
}

Router& Router::Get(const std::string& pattern, Handler handler) {
    return add("GET", pattern, std::move(handler));
}
Router& Router::Post(const std::string& pattern, Handler handler) {
    return add("POST", pattern, std::move(handler));
}
Router& Router::Put(const std::string& pattern, Handler handler) {
    return add("PUT", pattern, std::move(handler));
}

Router& Router::add(const char* method, const std::string& pattern, Handler handler) {
    m_routes.push_back(Route{method, std::regex(pattern), std::move(handler)});
    return *this;
}

void Router::route(Request& req, Response& res) const {
    if (m_preRouting && m_preRouting(req, res) == HandlerResponse::Handled) {
        if (res.status == -1) res.status = 200;
        return;
    }
    for (const auto& route : m_routes) {
        if (route.method != req.method || !std::regex_match(req.path, req.matches, route.pattern)) continue;
        route.handler(req, res);
        if (res.status == -1) res.status = 200;
        return;
    }
    res.status = 404;
}

void Router::handle(Request& req, Response& res) const {
    try {
        route(req, res);
    } catch (...) {
        res = Response{};
        res.status = 500;
        if (m_exception) m_exception(req, res, std::current_exception());
    }
    if (res.status >= 400 && m_error) m_error(req, res);
}

void Router::refuse(const Request& req, Response& res, int status) const {
    res = Response{};
    res.status = status;
    if (m_error) m_error(req, res);
    res.set_header("Connection", "close");
}

}  // namespace central::http
