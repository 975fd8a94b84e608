#include "sim/base/heap_prefault.h"

#include <malloc.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older C library headers do not name it
#endif

namespace sim {
namespace {

// Populated in steps of this many bytes, lowest addresses first (where the heap hands out memory
// first), so the thread can stop between two steps.
constexpr size_t kStep = size_t{2} << 20;
// How often the thread looks at the heap's end: every kPollMin while the heap grows, backing off
// to kPollMax while it does not. The heap's next step is faulted in by the simulation itself until
// the thread looks again (a 2,000-Ingress world consumes ~0.25 MiB per ms): with a 50 ms backoff
// the simulation took half of its huge-page faults itself; 1 ms costs ~1,000 wake-ups a second.
constexpr auto kPollMin = std::chrono::microseconds(200);
constexpr auto kPollMax = std::chrono::microseconds(1'000);

// Why the thread would not help here, or null when it would.
const char* WhyNot() {
  const char* env = std::getenv("ALBTWIN_PREFAULT");
  if (env != nullptr && std::strcmp(env, "0") == 0) return "ALBTWIN_PREFAULT=0";
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0 || CPU_COUNT(&cpus) < 2) return "one usable CPU";
  // The kernel must know MADV_POPULATE_WRITE: try it on one page of our own.
  const long page = sysconf(_SC_PAGESIZE);
  void* probe = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (probe == MAP_FAILED) return "no memory for a probe page";
  const bool known = madvise(probe, page, MADV_POPULATE_WRITE) == 0;
  munmap(probe, page);
  return known ? nullptr : "the kernel has no MADV_POPULATE_WRITE (Linux < 5.14)";
}

double ThreadCpuSeconds() {
  struct rusage r {};
  getrusage(RUSAGE_THREAD, &r);
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  return secs(r.ru_utime) + secs(r.ru_stime);
}

uintptr_t HeapEnd() { return reinterpret_cast<uintptr_t>(sbrk(0)); }

}  // namespace

HeapPrefaulter::HeapPrefaulter() {
  if (const char* why = WhyNot()) {
    why_not_ = why;
    return;
  }
  mallopt(M_TOP_PAD, static_cast<int>(kMinTopPad));
  thread_ = std::thread([this] { Run(); });
}

HeapPrefaulter::~HeapPrefaulter() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_relaxed);
  thread_.join();
}

void HeapPrefaulter::Run() {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  // The heap so far is in use, so faulted in already. A range is populated one poll after it was
  // first seen: glibc advises huge pages for the heap's new range (glibc.malloc.hugetlb=1) just
  // after growing it, and populating before that would fault it in as small pages.
  uintptr_t done = (HeapEnd() + page - 1) & ~(page - 1);
  uintptr_t seen = done;
  const uintptr_t start = done;
  size_t pad = kMinTopPad;
  auto poll = kPollMin;
  while (!stop_.load(std::memory_order_relaxed)) {
    const uintptr_t end = HeapEnd() & ~(page - 1);
    if (end < done) done = end;  // trimmed: what grows again from here is fresh
    const uintptr_t target = std::min(seen, end);
    if (end != seen) {
      poll = kPollMin;
      const size_t want = std::clamp(std::bit_floor(end > start ? (end - start) / 16 : 0), kMinTopPad, kMaxTopPad);
      if (want != pad) {
        pad = want;
        mallopt(M_TOP_PAD, static_cast<int>(pad));  // takes the arena's lock: safe beside the main thread
      }
    }
    seen = end;
    if (done >= target) {
      std::this_thread::sleep_for(poll);
      poll = std::min<std::chrono::microseconds>(poll * 2, kPollMax);
      continue;
    }
    while (done < target && !stop_.load(std::memory_order_relaxed)) {
      const size_t n = std::min<uintptr_t>(target - done, kStep);
      if (madvise(reinterpret_cast<void*>(done), n, MADV_POPULATE_WRITE) != 0) {
        if (errno == EINTR) continue;
        if (errno == ENOMEM) break;  // the heap was trimmed meanwhile: the next poll sees its new end
        stop_.store(true, std::memory_order_relaxed);  // anything else would fail again: give up
        break;
      }
      done += n;
      populated_bytes_.fetch_add(n, std::memory_order_relaxed);
    }
    cpu_seconds_.store(ThreadCpuSeconds(), std::memory_order_relaxed);
  }
  cpu_seconds_.store(ThreadCpuSeconds(), std::memory_order_relaxed);
}

}  // namespace sim
