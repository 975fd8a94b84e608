#include "sim/base/heap_prefault.h"

#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <system_error>

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
// ENOMEM answers in a row (without the heap shrinking) after which the thread gives up.
constexpr int kMaxFailures = 8;

// Why the thread would not help here, or null when it would.
const char* WhyNot() {
  const char* env = std::getenv("ALBTWIN_PREFAULT");
  if (env != nullptr && std::strcmp(env, "0") == 0) return "ALBTWIN_PREFAULT=0";
  // Part of the tuned malloc set-up (tools/runtime-env): it changes glibc's top pad, so it stays
  // off where glibc's defaults were asked for.
  const char* defaults = std::getenv("ALBTWIN_DEFAULT_MALLOC");
  if (defaults != nullptr && *defaults != 0) return "ALBTWIN_DEFAULT_MALLOC is set: glibc's malloc defaults";
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

uintptr_t HeapEnd() { return reinterpret_cast<uintptr_t>(sbrk(0)); }

}  // namespace

HeapPrefaulter::HeapPrefaulter() {
  if (const char* why = WhyNot()) {
    why_not_ = why;
    return;
  }
  // The heap so far is in use, so faulted in already: the thread starts from its end as it is now,
  // before this constructor returns (not when the thread first runs).
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t start = (HeapEnd() + page - 1) & ~(page - 1);
  try {
    thread_ = std::thread([this, start, page] { Run(start, page); });
  } catch (const std::system_error&) {  // no thread for us (a pids limit): run without
    why_not_ = "could not start a thread";
    return;
  }
  // Raising the top pad also makes glibc stop adjusting its mmap threshold dynamically (it stays
  // where it is: 32 MiB with tools/runtime-env's tunables, else 128 KiB).
  mallopt(M_TOP_PAD, static_cast<int>(kMinTopPad));
}

HeapPrefaulter::~HeapPrefaulter() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_relaxed);
  thread_.join();
}

double HeapPrefaulter::cpu_seconds() const {
  if (!thread_.joinable()) return 0;
  clockid_t clock;
  struct timespec ts {};
  if (pthread_getcpuclockid(const_cast<std::thread&>(thread_).native_handle(), &clock) != 0 ||
      clock_gettime(clock, &ts) != 0) {
    return 0;
  }
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

void HeapPrefaulter::Run(uintptr_t start, uintptr_t page) {
  // A range is populated from the poll after the one that first saw it: glibc advises huge pages
  // for the heap's new range (glibc.malloc.hugetlb=1) just after growing it, and populating before
  // that would fault it in as small pages.
  uintptr_t done = start;
  uintptr_t seen = start;
  size_t pad = kMinTopPad;
  auto poll = kPollMin;
  int failures = 0;  // ENOMEM in a row while the heap did not shrink
  while (!stop_.load(std::memory_order_relaxed)) {
    std::this_thread::sleep_for(poll);
    const uintptr_t end = HeapEnd() & ~(page - 1);
    if (end < done) {  // trimmed: what grows again from here is fresh
      done = end;
      failures = 0;
    }
    const uintptr_t target = std::min(seen, end);
    if (end != seen) {
      poll = kPollMin;
      const size_t want = std::clamp(std::bit_floor(end > start ? (end - start) / kPadDivisor : 0), kMinTopPad, kMaxTopPad);
      if (want != pad) {
        pad = want;
        mallopt(M_TOP_PAD, static_cast<int>(pad));  // takes the arena's lock: safe beside the main thread
      }
    } else if (done >= target) {
      poll = std::min<std::chrono::microseconds>(poll * 2, kPollMax);
    }
    seen = end;
    while (done < target && !stop_.load(std::memory_order_relaxed)) {
      const size_t n = std::min<uintptr_t>(target - done, kStep);
      if (madvise(reinterpret_cast<void*>(done), n, MADV_POPULATE_WRITE) == 0) {
        done += n;
        failures = 0;
        populated_bytes_.fetch_add(n, std::memory_order_relaxed);
        continue;
      }
      if (errno == EINTR) continue;
      // ENOMEM: the range is no longer mapped (the heap was trimmed meanwhile: the next poll sees
      // its new end) or the memory is not there (out of memory: the next polls fail alike). Any
      // other error would fail again. Either way: after a few, give up.
      if (errno != ENOMEM || ++failures >= kMaxFailures) {
        gave_up_.store(true, std::memory_order_relaxed);
        return;
      }
      poll = kPollMax;
      break;
    }
  }
}

}  // namespace sim
