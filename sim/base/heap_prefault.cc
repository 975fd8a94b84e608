#include "sim/base/heap_prefault.h"

#include "sim/base/small_alloc.h"

#include <linux/futex.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
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
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
// How often the thread looks at the heap's end: every kPollMin while the heap grows, backing off
// to kPollMax while it does not. The heap's next step is faulted in by the simulation itself until
// the thread looks again (a 2,000-Ingress world consumes ~0.25 MiB per ms): with a 50 ms backoff
// the simulation took half of its huge-page faults itself; 1 ms costs ~1,000 wake-ups a second.
constexpr long kPollMinNs = 200'000;
constexpr long kPollMaxNs = 1'000'000;
// ENOMEM answers in a row (without the heap shrinking) after which the thread gives up.
constexpr int kMaxFailures = 8;
// The helper's stack: its loop needs a few hundred bytes; the lowest page is a guard.
constexpr size_t kStackBytes = size_t{64} << 10;

// The helper's system calls, made without the C library (whose wrappers set errno, which lives in
// the simulation thread's thread-local storage: the helper has none of its own). They return what
// the kernel does: a negative errno on failure.
#if defined(__x86_64__)
constexpr bool kHelperSupported = true;
long RawSyscall(long n, long a = 0, long b = 0, long c = 0, long d = 0) {
  long ret;
  register long r10 __asm__("r10") = d;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
constexpr bool kHelperSupported = true;
long RawSyscall(long n, long a = 0, long b = 0, long c = 0, long d = 0) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}
#else
constexpr bool kHelperSupported = false;
long RawSyscall(long, long = 0, long = 0, long = 0, long = 0) { return -ENOSYS; }
#endif

// Why the thread would not help here, or null when it would.
const char* WhyNot() {
  const char* env = std::getenv("ALBTWIN_PREFAULT");
  if (env != nullptr && std::strcmp(env, "0") == 0) return "ALBTWIN_PREFAULT=0";
  // Part of the tuned malloc set-up (tools/runtime-env): it changes glibc's top pad, so it stays
  // off where glibc's defaults were asked for.
  const char* defaults = std::getenv("ALBTWIN_DEFAULT_MALLOC");
  if (defaults != nullptr && *defaults != 0) return "ALBTWIN_DEFAULT_MALLOC is set: glibc's malloc defaults";
  if (!kHelperSupported) return "the helper's system calls are only written for x86-64 and AArch64";
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

// `x` rounded up to a multiple of `to` (a power of two).
constexpr uintptr_t RoundUp(uintptr_t x, uintptr_t to) { return (x + to - 1) & ~(to - 1); }

// How far ahead to keep of what has grown by `growth`: 1/`divisor` of it as a power of two, from
// HeapPrefaulter::kMinTopPad to `max` (the heap's top pad, the small-block range's lead).
size_t Lead(uintptr_t growth, size_t divisor, size_t max) {
  return std::clamp(std::bit_floor(growth / divisor), HeapPrefaulter::kMinTopPad, max);
}

// The main heap's end: brk(0) answers the current break (sbrk(0) would read the C library's copy).
uintptr_t HeapEnd() { return static_cast<uintptr_t>(RawSyscall(SYS_brk, 0)); }

void SleepNs(long ns) {
  struct timespec ts {0, ns};
  RawSyscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, reinterpret_cast<long>(&ts), 0);
}

uint64_t ThreadCpuNs() {
  struct timespec ts {};
  if (RawSyscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, reinterpret_cast<long>(&ts)) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

std::atomic<size_t> HeapPrefaulter::wanted_pad_{0};
std::atomic<size_t> HeapPrefaulter::applied_pad_{0};

HeapPrefaulter::HeapPrefaulter() {
  if (const char* why = WhyNot()) {
    why_not_ = why;
    return;
  }
  // The heap so far is in use, so faulted in already: the helper starts from its end as it is now,
  // before this constructor returns (not when the helper first runs).
  page_ = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  start_ = RoundUp(HeapEnd(), page_);
  // Likewise the small-block range's frontier (0: not reserved yet; the helper starts from the
  // range's beginning once it is).
  blocks_start_ = SmallAlloc().frontier;
  stack_ = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack_ == MAP_FAILED) {
    stack_ = nullptr;
    why_not_ = "no memory for the helper's stack";
    return;
  }
  mprotect(stack_, page_, PROT_NONE);  // guard page: an overflow faults instead of writing below
  // Raising the top pad also makes glibc stop adjusting its mmap threshold dynamically (it stays
  // where it is: 32 MiB with tools/runtime-env's tunables, else 128 KiB).
  mallopt(M_TOP_PAD, static_cast<int>(kMinTopPad));
  applied_pad_.store(kMinTopPad, std::memory_order_relaxed);
  wanted_pad_.store(kMinTopPad, std::memory_order_relaxed);
  // The helper starts with every signal blocked (it inherits the mask), so signals sent to the
  // process are handled on the simulation's thread, where the C library expects them.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
  int* tid = reinterpret_cast<int*>(&tid_);
  const int got = clone(&HeapPrefaulter::Main, static_cast<char*>(stack_) + kStackBytes, flags, this, tid, nullptr, tid);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (got == -1) {  // no task for us (a pids limit): run without
    munmap(stack_, kStackBytes);
    stack_ = nullptr;
    applied_pad_.store(0, std::memory_order_relaxed);
    wanted_pad_.store(0, std::memory_order_relaxed);
    why_not_ = "could not start the helper";
    return;
  }
  started_ = true;
}

HeapPrefaulter::~HeapPrefaulter() {
  if (!started_) return;
  stop_.store(true, std::memory_order_relaxed);
  // The kernel zeroes tid_ and wakes this futex once the helper has ended and no longer uses its
  // stack.
  int* tid = reinterpret_cast<int*>(&tid_);
  for (int t = tid_.load(std::memory_order_acquire); t != 0; t = tid_.load(std::memory_order_acquire)) {
    syscall(SYS_futex, tid, FUTEX_WAIT, t, nullptr, nullptr, 0);
  }
  munmap(stack_, kStackBytes);
  wanted_pad_.store(0, std::memory_order_relaxed);
  applied_pad_.store(0, std::memory_order_relaxed);
}

void HeapPrefaulter::ApplyPad(size_t want) {
  applied_pad_.store(want, std::memory_order_relaxed);
  if (want != 0) mallopt(M_TOP_PAD, static_cast<int>(want));
}

int HeapPrefaulter::Main(void* self) {
  // Inherited from the creator: every signal but the two glibc keeps for itself (SIGCANCEL and
  // SIGSETXID, which pthread_sigmask will not block; glibc only sends them to threads it knows).
  // Block those too, with the kernel's call.
  const uint64_t all = ~uint64_t{0};
  RawSyscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&all), 0, sizeof(all));
  static_cast<HeapPrefaulter*>(self)->Run();
  return 0;  // clone's entry code ends the task with exit(2), the system call
}

void HeapPrefaulter::Run() {
  int failures = 0;  // ENOMEM in a row (while the heap did not shrink)
  // Populates [*done, target) in kStep pieces. False when it should not go on this poll: stopped,
  // or ENOMEM (the next poll tries again), or given up (gave_up_ is set; any other error, or
  // kMaxFailures ENOMEM in a row).
  auto populate = [&](uintptr_t* done, uintptr_t target) {
    while (*done < target) {
      if (stop_.load(std::memory_order_relaxed)) return false;
      const size_t n = std::min<uintptr_t>(target - *done, kStep);
      const long err = RawSyscall(SYS_madvise, static_cast<long>(*done), static_cast<long>(n), MADV_POPULATE_WRITE);
      if (err == 0) {
        *done += n;
        failures = 0;
        populated_bytes_.fetch_add(n, std::memory_order_relaxed);
        continue;
      }
      if (err == -EINTR) continue;
      // ENOMEM: the range is no longer mapped (the heap was trimmed meanwhile: the next poll sees
      // its new end) or the memory is not there (out of memory: the next polls fail alike). Any
      // other error would fail again. Either way: after a few, give up.
      if (err != -ENOMEM || ++failures >= kMaxFailures) gave_up_.store(true, std::memory_order_relaxed);
      return false;
    }
    return true;
  };

  // The malloc heap. A range is populated from the poll after the one that first saw it: glibc
  // advises huge pages for the heap's new range (glibc.malloc.hugetlb=1) just after growing it,
  // and populating before that would fault it in as small pages.
  uintptr_t done = start_;
  uintptr_t seen = start_;
  size_t pad = kMinTopPad;
  // The small-block range (small_alloc.h), once it is reserved: populated ahead of its frontier by
  // a part of what has been carved since the helper started (kBlocksLeadDivisor, kMaxBlocksLead),
  // in huge pages (the range is advised for them when it is reserved). What lies below the frontier's
  // huge page when the helper starts is in use already.
  uintptr_t blocks_start = 0, blocks_done = 0, blocks_end = 0;
  long poll = kPollMinNs;
  while (!stop_.load(std::memory_order_relaxed) && !gave_up_.load(std::memory_order_relaxed)) {
    SleepNs(poll);
    cpu_ns_.store(ThreadCpuNs(), std::memory_order_relaxed);
    bool busy = false;  // something grew or is left to populate: poll again soon

    if (blocks_end == 0) {
      if (const SmallAllocState b = SmallAlloc(); b.active) {
        blocks_start = blocks_start_ != 0 ? blocks_start_ : b.begin;
        blocks_done = RoundUp(blocks_start, kHugePage);
        blocks_end = b.end;
      }
    }
    if (blocks_end != 0) {
      const uintptr_t f = SmallAlloc().frontier;
      const uintptr_t target =
          std::min(blocks_end, RoundUp(f + Lead(f - blocks_start, kBlocksLeadDivisor, kMaxBlocksLead), kHugePage));
      if (blocks_done < target) {
        busy = true;
        if (!populate(&blocks_done, target)) {
          poll = kPollMaxNs;  // as for the heap below: the next poll tries again, not at once
          continue;
        }
      }
    }

    const uintptr_t end = HeapEnd() & ~(page_ - 1);
    if (end < done) {  // trimmed: what grows again from here is fresh
      done = end;
      failures = 0;
    }
    const uintptr_t target = std::min(seen, end);
    if (end != seen) {
      busy = true;
      const size_t want = Lead(end > start_ ? end - start_ : 0, kPadDivisor, kMaxTopPad);
      if (want != pad) {
        pad = want;
        wanted_pad_.store(pad, std::memory_order_relaxed);  // set by the simulation's thread (Tend)
      }
    }
    seen = end;
    if (done < target) {
      busy = true;
      if (!populate(&done, target)) {
        poll = kPollMaxNs;
        continue;
      }
    }
    poll = busy ? kPollMinNs : std::min(poll * 2, kPollMaxNs);
  }
}

}  // namespace sim
