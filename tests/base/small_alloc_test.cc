#include "sim/base/small_alloc.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

extern char** environ;

namespace sim {
namespace {

TEST_SUITE("base.small_alloc") {
bool InRange(const void* p) {
  const SmallAllocState s = SmallAlloc();
  const auto a = reinterpret_cast<uintptr_t>(p);
  return a >= s.begin && a < s.end;
}

// Whether the allocator was turned off for this process (tools/runtime-env's switch).
bool OffByEnvironment() {
  const char* defaults = std::getenv("ALBTWIN_DEFAULT_MALLOC");
  return defaults != nullptr && *defaults != 0;
}

// The cases below need the allocator on: they say so and pass when the switch turned it off.
#define REQUIRE_ACTIVE_OR_SKIP()                                                      \
  do {                                                                                \
    if (!SmallAlloc().active) {                                                       \
      MESSAGE("small-block allocator off here: " << SmallAlloc().why_not);            \
      CHECK(OffByEnvironment());                                                      \
      return;                                                                         \
    }                                                                                 \
  } while (false)

TEST_CASE("the test binaries allocate through it or say why not") {
  const SmallAllocState s = SmallAlloc();
  if (OffByEnvironment()) {
    auto probe = std::make_unique<int>(7);
    const bool off = !s.active && std::string(s.why_not).find("ALBTWIN_DEFAULT_MALLOC") == 0 && s.begin == 0 &&
                     !InRange(probe.get());
    if (std::getenv("ALBTWIN_SMALL_ALLOC_PROBE") != nullptr) {
      // Run by the last test case below in a fresh process: answers by its exit status.
      _exit(off ? 42 : 43);
    }
    CHECK(off);
    return;
  }
  REQUIRE(s.active);
  CHECK(std::string(s.why_not).empty());
  CHECK(s.begin % (size_t{2} << 20) == 0);
  CHECK(s.begin < s.frontier);
  CHECK(s.frontier <= s.end);
  CHECK((s.frontier - s.begin) % kSmallAllocSlabBytes == 0);
}

TEST_CASE("every size up to the largest small block gets an aligned block of its own from the range") {
  REQUIRE_ACTIVE_OR_SKIP();
  std::vector<std::pair<unsigned char*, size_t>> blocks;
  for (size_t n = 0; n <= kSmallAllocMaxBlock; ++n) {
    auto* p = static_cast<unsigned char*>(::operator new(n));
    REQUIRE(p != nullptr);
    CHECK(reinterpret_cast<uintptr_t>(p) % __STDCPP_DEFAULT_NEW_ALIGNMENT__ == 0);
    CHECK(InRange(p));
    std::memset(p, static_cast<int>(n % 251), n);
    blocks.emplace_back(p, n);
  }
  // No two blocks overlap: each still holds its own pattern.
  size_t wrong = 0;
  for (const auto& [p, n] : blocks) {
    for (size_t i = 0; i < n; ++i) wrong += p[i] != static_cast<unsigned char>(n % 251);
  }
  CHECK(wrong == 0);
  std::set<unsigned char*> distinct;
  for (const auto& b : blocks) distinct.insert(b.first);
  CHECK(distinct.size() == blocks.size());
  for (const auto& [p, n] : blocks) ::operator delete(p, n);
}

TEST_CASE("a freed block is the next one of its size class; other classes and large blocks are apart") {
  REQUIRE_ACTIVE_OR_SKIP();
  void* a = ::operator new(40);  // class of 48-byte blocks
  ::operator delete(a);          // unsized delete finds the class from the address
  void* b = ::operator new(33);  // same class: the block just freed
  CHECK(b == a);
  void* c = ::operator new(64);  // another class: not that block
  CHECK(c != a);
  ::operator delete(b, 33);
  ::operator delete(c, 64);
  // Larger blocks and arrays of them are glibc's, outside the range; new[] of small ones is ours.
  void* big = ::operator new(kSmallAllocMaxBlock + 1);
  CHECK_FALSE(InRange(big));
  ::operator delete(big);
  auto* arr = new std::string[4];
  CHECK(InRange(arr) == (sizeof(std::string) * 4 + sizeof(size_t) <= kSmallAllocMaxBlock));
  delete[] arr;
  // A nothrow new of a small block is ours too.
  void* nt = ::operator new(24, std::nothrow);
  CHECK(InRange(nt));
  ::operator delete(nt, std::nothrow);
}

TEST_CASE("the range grows by slabs, one size class each, as blocks are taken") {
  REQUIRE_ACTIVE_OR_SKIP();
  const uintptr_t before = SmallAlloc().frontier;
  // 3 slabs' worth of 1,024-byte blocks: at least 2 new slabs are carved.
  std::vector<void*> blocks;
  for (size_t i = 0; i < 3 * kSmallAllocSlabBytes / kSmallAllocMaxBlock; ++i) blocks.push_back(::operator new(kSmallAllocMaxBlock));
  const uintptr_t after = SmallAlloc().frontier;
  CHECK(after >= before + 2 * kSmallAllocSlabBytes);
  for (void* p : blocks) ::operator delete(p);
  // Freed blocks are taken again before any new slab is carved.
  for (size_t i = 0; i < blocks.size(); ++i) blocks[i] = ::operator new(kSmallAllocMaxBlock);
  CHECK(SmallAlloc().frontier == after);
  for (void* p : blocks) ::operator delete(p);
}

TEST_CASE("threads allocating at once take the lock and lose no block (in a child process)") {
  // In a child: once a thread has been started, the C library counts the process as
  // multi-threaded for good, and other tests here expect a single-threaded one.
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    constexpr int kThreads = 4, kRounds = 200, kBlocks = 500;
    std::vector<std::thread> threads;
    std::vector<int> bad(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([t, &bad] {
        for (int r = 0; r < kRounds; ++r) {
          std::vector<std::pair<unsigned char*, size_t>> held;
          for (int i = 0; i < kBlocks; ++i) {
            const size_t n = 1 + static_cast<size_t>((i * 37 + t * 11 + r) % kSmallAllocMaxBlock);
            auto* p = static_cast<unsigned char*>(::operator new(n));
            std::memset(p, t + 1, n);
            held.emplace_back(p, n);
          }
          for (const auto& [p, n] : held) {
            for (size_t k = 0; k < n; ++k) bad[t] += p[k] != t + 1;
            ::operator delete(p, n);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    int total = 0;
    for (int b : bad) total += b;
    _exit(total == 0 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("ALBTWIN_DEFAULT_MALLOC=1 leaves every block to glibc (checked in a fresh process)") {
  // Runs this binary again with the variable set, on the first test case above, which then
  // checks that the allocator is off and says why, and answers 42 if so (43 if not).
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "ALBTWIN_DEFAULT_MALLOC=", 23) != 0) env_text.emplace_back(*e);
  }
  env_text.emplace_back("ALBTWIN_DEFAULT_MALLOC=1");
  env_text.emplace_back("ALBTWIN_SMALL_ALLOC_PROBE=1");
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe", filter = "-tc=the test binaries allocate through it or say why not";
  std::string quiet = "--no-intro";
  char* argv[] = {self.data(), filter.data(), quiet.data(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, envp.data()) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 42);
}
}

}  // namespace
}  // namespace sim
