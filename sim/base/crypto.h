#pragma once
// SHA-256 and base64 via OpenSSL (never hand-rolled).

#include <string>
#include <string_view>

namespace sim {

// Lowercase hex SHA-256 of the bytes of `data`.
std::string Sha256Hex(std::string_view data);
std::string Base64Encode(std::string_view data);

}  // namespace sim
