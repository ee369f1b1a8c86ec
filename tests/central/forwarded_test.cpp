// central/http/forwarded: which client a request names behind a reverse proxy (no sockets needed).

#include "central/http/forwarded.hpp"

#include <gtest/gtest.h>

namespace central::http {
namespace {

Headers xff(std::initializer_list<std::string> lines) {
    Headers headers;
    for (const auto& line : lines) headers.emplace("x-forwarded-for", line);
    return headers;
}

TEST(CanonicalAddress, AcceptsBareAddressesOnlyInOneSpelling) {
    EXPECT_EQ(canonicalAddress("127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(canonicalAddress("0:0:0:0:0:0:0:1"), "::1");
    EXPECT_EQ(canonicalAddress("::ffff:10.1.2.3"), "10.1.2.3");
    for (const char* bad : {"", "127.0.0.1:80", "[::1]", "localhost", "10.0.0.0/8", "999.1.1.1", " 1.2.3.4",
                            "unknown", "1.2.3.4\n"})
        EXPECT_EQ(canonicalAddress(bad), std::nullopt) << bad;
}

TEST(ForwardedClient, TheRightMostUntrustedHopFromATrustedPeer) {
    const std::vector<std::string> trusted{"127.0.0.1", "10.0.0.2"};
    EXPECT_EQ(forwardedClient("127.0.0.1", xff({"198.51.100.1, 203.0.113.7"}), trusted), "203.0.113.7");
    EXPECT_EQ(forwardedClient("::ffff:127.0.0.1", xff({"203.0.113.7,10.0.0.2"}), trusted), "203.0.113.7");
    // Several header lines are one list, in order.
    EXPECT_EQ(forwardedClient("127.0.0.1", xff({"203.0.113.7", "198.51.100.1"}), trusted), "198.51.100.1");
    // Only trusted hops: the first of them.
    EXPECT_EQ(forwardedClient("127.0.0.1", xff({"10.0.0.2, 127.0.0.1"}), trusted), "10.0.0.2");
    EXPECT_EQ(forwardedClient("127.0.0.1", {}, trusted), "127.0.0.1");
}

TEST(ForwardedClient, IgnoredFromAnUntrustedPeerOrWhenMalformed) {
    const std::vector<std::string> trusted{"127.0.0.1"};
    EXPECT_EQ(forwardedClient("192.0.2.5", xff({"203.0.113.7"}), trusted), "192.0.2.5");
    EXPECT_EQ(forwardedClient("127.0.0.1", xff({"203.0.113.7"}), {}), "127.0.0.1");
    for (const char* bad : {"203.0.113.7:4711", "unknown", "203.0.113.7,,", "", " , ", "a, 203.0.113.7"})
        EXPECT_EQ(forwardedClient("127.0.0.1", xff({bad}), trusted), "127.0.0.1") << bad;
    EXPECT_EQ(forwardedClient("127.0.0.1", xff({"203.0.113.7", "garbage"}), trusted), "127.0.0.1");
}

TEST(ForwardedHttps, OnlyATrustedPeerSayingHttpsForEveryHop) {
    const std::vector<std::string> trusted{"127.0.0.1"};
    const auto proto = [](std::initializer_list<std::string> lines) {
        Headers headers;
        for (const auto& line : lines) headers.emplace("x-forwarded-proto", line);
        return headers;
    };
    EXPECT_TRUE(forwardedHttps("127.0.0.1", proto({"https"}), trusted));
    EXPECT_TRUE(forwardedHttps("::ffff:127.0.0.1", proto({"HTTPS", " https "}), trusted));
    EXPECT_FALSE(forwardedHttps("127.0.0.1", {}, trusted));
    EXPECT_FALSE(forwardedHttps("192.0.2.5", proto({"https"}), trusted));
    EXPECT_FALSE(forwardedHttps("127.0.0.1", proto({"https"}), {}));
    for (const char* notHttps : {"http", "https, http", "https,", "httpsx", "", "wss"})
        EXPECT_FALSE(forwardedHttps("127.0.0.1", proto({notHttps}), trusted)) << notHttps;
}

}  // namespace
}  // namespace central::http
