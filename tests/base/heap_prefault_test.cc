#include "sim/base/heap_prefault.h"

#include "sim/base/small_alloc.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <dirent.h>
#include <sys/single_threaded.h>

#include <doctest/doctest.h>

namespace sim {
namespace {

TEST_SUITE("base.heap_prefault") {
// Sets an environment variable for its lifetime, then puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Whether the helper has populated `bytes` within 10 s (a bound for a loaded machine, not a speed
// check).
bool PopulatesAtLeast(const HeapPrefaulter& prefault, size_t bytes) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (prefault.populated_bytes() < bytes && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return prefault.populated_bytes() >= bytes;
}

// The tasks (threads, to the kernel) of this process.
int TaskCount() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (const dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

TEST_CASE("the helper is a task of its own that the C library does not see, and it ends with its owner") {
  ScopedEnv on("ALBTWIN_PREFAULT", nullptr);
  ScopedEnv tuned("ALBTWIN_DEFAULT_MALLOC", nullptr);
  // This test binary starts no threads of its own: the C library sees one.
  REQUIRE(__libc_single_threaded);
  const int tasks = TaskCount();
  REQUIRE(tasks == 1);
  // The kernel wakes the destructor's wait a moment before it drops the ended task from the
  // process's list: counts are given up to 5 s to settle (not a speed check).
  auto settles_at = [](int want) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (TaskCount() != want && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return TaskCount() == want;
  };
  for (int i = 0; i < 20; ++i) {
    HeapPrefaulter prefault;
    if (!prefault.active()) {
      MESSAGE("heap prefault helper off here: " << prefault.why_not());
      CHECK(HeapPrefaulter::top_pad() == 0);
      return;
    }
    CHECK(settles_at(tasks + 1));
    // glibc's malloc and libstdc++'s shared_ptr keep their single-threaded paths.
    CHECK(__libc_single_threaded);
    CHECK(HeapPrefaulter::top_pad() == HeapPrefaulter::kMinTopPad);
  }
  // Each helper ended with its owner.
  CHECK(settles_at(tasks));
  CHECK(HeapPrefaulter::top_pad() == 0);
  CHECK(__libc_single_threaded);
}

TEST_CASE("ALBTWIN_PREFAULT=0 or ALBTWIN_DEFAULT_MALLOC keep the thread off and say so") {
  {
    ScopedEnv off("ALBTWIN_PREFAULT", "0");
    HeapPrefaulter prefault;
    CHECK_FALSE(prefault.active());
    CHECK(std::string(prefault.why_not()) == "ALBTWIN_PREFAULT=0");
    CHECK(prefault.populated_bytes() == 0);
    CHECK(prefault.cpu_seconds() == 0);
  }
  {
    ScopedEnv on("ALBTWIN_PREFAULT", nullptr);
    ScopedEnv defaults("ALBTWIN_DEFAULT_MALLOC", "1");
    HeapPrefaulter prefault;
    CHECK_FALSE(prefault.active());
    CHECK(std::string(prefault.why_not()).find("ALBTWIN_DEFAULT_MALLOC") == 0);
  }
}

TEST_CASE("a growing heap is faulted in behind the allocator's back without changing what it holds") {
  ScopedEnv on("ALBTWIN_PREFAULT", nullptr);
  ScopedEnv tuned("ALBTWIN_DEFAULT_MALLOC", nullptr);
  HeapPrefaulter prefault;
  if (!prefault.active()) {
    // One usable CPU or an old kernel: nothing to check but that it says why.
    MESSAGE("heap prefault thread off here: " << prefault.why_not());
    CHECK(std::string(prefault.why_not()) != "");
    return;
  }
  CHECK(std::string(prefault.why_not()).empty());
  // 64 MiB in 64 KiB blocks (below glibc's default mmap threshold, so from the main heap), each
  // filled with its own byte as soon as it is handed out, while the thread populates the heap.
  constexpr size_t kBlock = 64 << 10, kBlocks = 1024;
  std::vector<std::unique_ptr<unsigned char[]>> blocks;
  blocks.reserve(kBlocks);
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.emplace_back(new unsigned char[kBlock]);
    std::memset(blocks.back().get(), static_cast<int>(i % 251), kBlock);
  }
  // The heap grew by at least 64 MiB: the thread goes over most of it soon after.
  constexpr size_t kExpected = 32 << 20;
  CHECK(PopulatesAtLeast(prefault, kExpected));
  size_t changed = 0;
  for (size_t i = 0; i < kBlocks; ++i) {
    const unsigned char want = static_cast<unsigned char>(i % 251);
    for (size_t k = 0; k < kBlock; k += 512) changed += blocks[i][k] != want;
  }
  CHECK(changed == 0);
  CHECK(prefault.cpu_seconds() > 0);
  // Once the helper has seen the heap's growth (64 MiB) it asks for a top pad of a quarter of it;
  // the allocating thread sets it when it tends the helper, not before.
  CHECK(HeapPrefaulter::top_pad() == HeapPrefaulter::kMinTopPad);
  const auto pad_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    HeapPrefaulter::Tend();
  } while (HeapPrefaulter::top_pad() < (size_t{16} << 20) && std::chrono::steady_clock::now() < pad_deadline);
  CHECK(HeapPrefaulter::top_pad() >= (size_t{16} << 20));
}

TEST_CASE("the small-block range is faulted in ahead of its frontier without changing what it holds") {
  ScopedEnv on("ALBTWIN_PREFAULT", nullptr);
  ScopedEnv tuned("ALBTWIN_DEFAULT_MALLOC", nullptr);
  if (!SmallAlloc().active) {  // turned off when this process started (ALBTWIN_DEFAULT_MALLOC)
    MESSAGE("small-block allocator off here: " << SmallAlloc().why_not);
    CHECK(std::string(SmallAlloc().why_not).find("ALBTWIN_DEFAULT_MALLOC") == 0);
    return;
  }
  HeapPrefaulter prefault;
  if (!prefault.active()) {
    MESSAGE("heap prefault helper off here: " << prefault.why_not());
    return;
  }
  // 48 MiB in 512-byte blocks, each filled with its own byte as soon as it is handed out.
  constexpr size_t kBlock = 512, kBlocks = (48u << 20) / kBlock;
  const uintptr_t frontier0 = SmallAlloc().frontier;
  std::vector<unsigned char*> blocks;
  blocks.reserve(kBlocks);
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(static_cast<unsigned char*>(::operator new(kBlock)));
    std::memset(blocks.back(), static_cast<int>(i % 251), kBlock);
  }
  REQUIRE(SmallAlloc().frontier >= frontier0 + (size_t{40} << 20));
  // The helper goes over most of it soon after.
  constexpr size_t kExpected = 32 << 20;
  CHECK(PopulatesAtLeast(prefault, kExpected));
  size_t changed = 0;
  for (size_t i = 0; i < kBlocks; ++i) {
    for (size_t k = 0; k < kBlock; k += 64) changed += blocks[i][k] != static_cast<unsigned char>(i % 251);
  }
  CHECK(changed == 0);
  for (unsigned char* b : blocks) ::operator delete(b, kBlock);
}
}

}  // namespace
}  // namespace sim
