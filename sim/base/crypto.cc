#include "sim/base/crypto.h"

#include <openssl/evp.h>

#include "sim/base/check.h"

namespace sim {
namespace {

// OpenSSL 3 looks the algorithm up again on every one-shot SHA256() call (about two thirds of
// its cost for short inputs); the digest is fetched once, and each thread reuses one context.
struct Sha256Context {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Sha256Context() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
};

}  // namespace

std::array<unsigned char, 32> Sha256(std::string_view data) {
  thread_local Sha256Context c;
  std::array<unsigned char, 32> digest{};
  unsigned int n = 0;
  const bool ok = c.md != nullptr && c.ctx != nullptr && EVP_DigestInit_ex(c.ctx, c.md, nullptr) == 1 &&
                  EVP_DigestUpdate(c.ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(c.ctx, digest.data(), &n) == 1 && n == digest.size();
  SIM_CHECK(ok) << "OpenSSL SHA-256 failed";
  return digest;
}

std::string Sha256Hex(std::string_view data) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char c : Sha256(data)) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

uint64_t Sha256Prefix64(std::string_view data) {
  const std::array<unsigned char, 32> d = Sha256(data);
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | d[i];
  return v;
}

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace sim
