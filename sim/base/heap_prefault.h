#pragma once
// Faults the malloc heap's fresh memory in on a second core, ahead of the simulation.
//
// A large world (2,000 Ingresses: a ~500 MiB heap) spends a good share of its settle in the kernel,
// handing out and zeroing fresh pages as the heap grows, and more so on a VM whose host takes back
// the memory the guest frees (virtio-balloon free page reporting: each fresh page is then faulted in
// on the host as well). While one of these is alive, a helper task on another core watches the main
// heap's end (brk) and, when it grows, populates the new range with madvise(MADV_POPULATE_WRITE),
// which faults pages in without changing what they hold: racing the simulation on a page is
// harmless. So the heap grows in larger steps (M_TOP_PAD, see kMaxTopPad), which gives the helper a
// lead. It does the same, a little ahead, for the range the small-block allocator carves its slabs
// from (small_alloc.h; most of the world's memory since session 24).
//
// The helper is a bare thread of the process (a task sharing its memory, started with clone(2) and
// CLONE_VM | CLONE_THREAD, with its own small stack and every signal blocked) that makes system
// calls only, never a C library call. So the C
// library never learns of a second thread (__libc_single_threaded stays true), and the simulation
// keeps the single-threaded fast paths it would have without the helper: libstdc++ counts
// shared_ptr references with plain increments instead of locked ones, and glibc's malloc does not
// lock its arena. (Session 24, 2,000-Ingress settle, 22 interleaved pairs against the pthread
// version: less user time in 17, by a median 0.01 s while the host ran at full speed and 0.11 s,
// ~5 %, while it ran slower.)
// For the same reason the helper does not call mallopt itself: it says which top pad it wants, and
// the simulation's thread sets it between two events (Tend(), called by EventQueue::RunNext).
//
// Nothing the simulation computes depends on it: the output is the same with it on or off. The
// CPU time does not shrink (the same pages are faulted in, on the other core), the wall time does
// when a second core is free: the bench reports the helper's own time apart. It does nothing on a
// machine with one usable CPU, on a kernel without MADV_POPULATE_WRITE (Linux < 5.14), on a CPU
// other than x86-64 or AArch64 (the helper's system calls are written for those), when the helper
// cannot be started, when ALBTWIN_PREFAULT=0, or when ALBTWIN_DEFAULT_MALLOC is set (it changes
// glibc's top pad, and with it glibc stops adjusting its mmap threshold). It only covers the main
// arena: the tools' simulation runs on the main thread. It gives up after repeated ENOMEM.
// Like a JVM's AlwaysPreTouch, but following the heap as it grows instead of touching it up front.

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>

namespace sim {

class HeapPrefaulter {
 public:
  // Starts the helper (when it can help, see above).
  HeapPrefaulter();
  // Stops the helper and waits for it to end.
  ~HeapPrefaulter();
  HeapPrefaulter(const HeapPrefaulter&) = delete;
  HeapPrefaulter& operator=(const HeapPrefaulter&) = delete;

  // Whether the helper runs, and why not when it does not ("" when it does).
  bool active() const { return started_ && !gave_up_.load(std::memory_order_relaxed); }
  const char* why_not() const { return active() ? "" : started_ ? "gave up: madvise(MADV_POPULATE_WRITE) kept failing" : why_not_; }
  // The helper's CPU time so far (user + system, seconds, as of its last look at the heap; 0 when
  // it never started) and how much memory it has faulted in (bytes).
  double cpu_seconds() const { return cpu_ns_.load(std::memory_order_relaxed) / 1e9; }
  size_t populated_bytes() const { return populated_bytes_.load(std::memory_order_relaxed); }

  // The top pad last set for a helper (0 when none runs).
  static size_t top_pad() { return applied_pad_.load(std::memory_order_relaxed); }
  // Sets the top pad a running helper asked for: called by the thread that allocates, between two
  // steps of its work (EventQueue::RunNext does, before each event). One relaxed atomic load when
  // nothing changed; does nothing without a helper.
  static void Tend() {
    const size_t want = wanted_pad_.load(std::memory_order_relaxed);
    if (want != applied_pad_.load(std::memory_order_relaxed)) ApplyPad(want);
  }

  // How far ahead of its needs the main heap grows while prefaulting (M_TOP_PAD): 1/kPadDivisor of
  // what it has grown by since the start, a power of two from kMinTopPad to kMaxTopPad. Peak RSS
  // grows by up to that much (memory faulted in that the world may not use): 2 MiB for a small
  // scenario, 64 MiB from 256 MiB of growth on. The simulation faults in the first page of each
  // step itself (malloc writes the new top chunk's header there at once): fewer, larger steps
  // leave it fewer such faults (session 23, 2,000-Ingress world, cold: 1/16 up to 32 MiB took
  // 0.13-0.16 s of its system time, 1/4 up to 64 MiB 0.06-0.10 s, for 22 MiB more peak RSS).
  static constexpr size_t kMinTopPad = size_t{2} << 20;
  static constexpr size_t kMaxTopPad = size_t{64} << 20;
  static constexpr size_t kPadDivisor = 4;
  static_assert(kMaxTopPad <= static_cast<size_t>(INT_MAX), "mallopt(M_TOP_PAD) takes an int");
  // How far ahead of the small-block range's frontier (small_alloc.h) the helper populates:
  // 1/kBlocksLeadDivisor of what has been carved since it started, kMinTopPad to kMaxBlocksLead.
  // No step of its own to get ahead of here (the range is reserved up front), so a lead that covers
  // a few polls is enough.
  static constexpr size_t kMaxBlocksLead = size_t{16} << 20;
  static constexpr size_t kBlocksLeadDivisor = 16;

 private:
  // The helper's entry point (clone's): `self` is this object.
  static int Main(void* self);
  // The helper's loop.
  void Run();
  static void ApplyPad(size_t want);

  // The top pad the helper wants and the one last set (0: no helper). The top pad is the
  // process's, so one HeapPrefaulter lives at a time (the tools make one).
  static std::atomic<size_t> wanted_pad_;
  static std::atomic<size_t> applied_pad_;
  static_assert(sizeof(std::atomic<int>) == sizeof(int) && std::atomic<int>::is_always_lock_free,
                "tid_ is the kernel's futex word");

  const char* why_not_ = "";
  bool started_ = false;
  uintptr_t start_ = 0, page_ = 0;  // the heap's end (page-aligned) when created; the page size
  uintptr_t blocks_start_ = 0;  // the small-block range's frontier when created (0: not reserved)
  void* stack_ = nullptr;  // the helper's stack mapping (kStackBytes, a guard page at its low end)
  // The helper's thread id while it runs: the kernel clears it and wakes a futex waiter when the
  // helper has ended (CLONE_CHILD_CLEARTID), which is what the destructor waits for.
  std::atomic<int> tid_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> gave_up_{false};
  std::atomic<size_t> populated_bytes_{0};
  std::atomic<uint64_t> cpu_ns_{0};
};

}  // namespace sim
