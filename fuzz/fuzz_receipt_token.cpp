// Receipt token parser (loyalty/receipt_token.hpp): any text, as a camera or a kiosk sends it.
// Invariants: a decoded token holds valid fields; re-encoding its receipt and decoding again gives the
// same receipt; verification never accepts what decoding refuses, and agrees with it on the receipt.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "loyalty/receipt_token.hpp"

namespace {

const loyalty::SigningKeyPair& fuzzKeys() {
    static const auto keys = loyalty::SigningKeyPair::fromSeed(loyalty::KeySeed{7, 7, 7});
    return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto decoded = loyalty::decodeReceiptToken(text);

    loyalty::StoreKeyring keyring;
    if (decoded) keyring.add(decoded->receipt.store, fuzzKeys().publicKey());
    const auto verified = loyalty::verifyReceiptToken(text, keyring, decoded ? decoded->receipt.issuedAt : 0);
    if (!decoded) {
        FUZZ_CHECK(!verified);
        return 0;
    }
    FUZZ_CHECK(loyalty::validateReceiptFields(decoded->receipt).has_value());
    if (verified) FUZZ_CHECK(*verified == decoded->receipt);

    const auto reencoded = loyalty::encodeReceiptToken(decoded->receipt, fuzzKeys());
    FUZZ_CHECK(reencoded.has_value());
    FUZZ_CHECK(reencoded->size() <= loyalty::kMaxReceiptTokenChars);
    const auto again = loyalty::decodeReceiptToken(*reencoded);
    FUZZ_CHECK(again.has_value() && again->receipt == decoded->receipt);
    const auto reverified = loyalty::verifyReceiptToken(*reencoded, keyring, decoded->receipt.issuedAt);
    FUZZ_CHECK(reverified.has_value() && *reverified == decoded->receipt);
    return 0;
}
