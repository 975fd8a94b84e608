#pragma once
// SHA-256 and base64 via OpenSSL (never hand-rolled).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sim {

// The 32 bytes of the SHA-256 of `data`.
std::array<unsigned char, 32> Sha256(std::string_view data);
// Lowercase hex SHA-256 of the bytes of `data`.
std::string Sha256Hex(std::string_view data);
// The first 8 bytes of the SHA-256 of `data`, big-endian: the number whose 16 lowercase hex digits
// are Sha256Hex(data).substr(0, 16).
uint64_t Sha256Prefix64(std::string_view data);
std::string Base64Encode(std::string_view data);

}  // namespace sim
