#pragma once
// Faults the malloc heap's fresh memory in on a second core, ahead of the simulation.
//
// A large world (2,000 Ingresses: a ~500 MiB heap) spends a good share of its settle in the kernel,
// handing out and zeroing fresh pages as the heap grows, and more so on a VM whose host takes back
// the memory the guest frees (virtio-balloon free page reporting: each fresh page is then faulted in
// on the host as well). While one of these is alive, a background thread watches the main heap's
// end (sbrk(0)) and, when it grows, populates the new range with madvise(MADV_POPULATE_WRITE), which
// faults pages in without changing what they hold: racing the simulation on a page is harmless. So
// the heap grows in larger steps (M_TOP_PAD, see kMaxTopPad), which gives the thread a lead.
//
// Nothing the simulation computes depends on it: the output is the same with it on or off. The
// CPU time does not shrink (the same pages are faulted in, on the other core), the wall time does
// when a second core is free: the bench reports the thread's own time apart. It does nothing on a
// machine with one usable CPU, on a kernel without MADV_POPULATE_WRITE (Linux < 5.14), when the
// thread cannot be created, when ALBTWIN_PREFAULT=0, or when ALBTWIN_DEFAULT_MALLOC is set (it
// changes glibc's top pad, and with it glibc stops adjusting its mmap threshold). It only covers the
// main arena: the tools' simulation runs on the main thread. It gives up after repeated ENOMEM.
// Like a JVM's AlwaysPreTouch, but following the heap as it grows instead of touching it up front.

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <thread>

namespace sim {

class HeapPrefaulter {
 public:
  // Starts the thread (when it can help, see above).
  HeapPrefaulter();
  // Stops and joins the thread.
  ~HeapPrefaulter();
  HeapPrefaulter(const HeapPrefaulter&) = delete;
  HeapPrefaulter& operator=(const HeapPrefaulter&) = delete;

  // Whether the thread runs, and why not when it does not ("" when it does).
  bool active() const { return thread_.joinable() && !gave_up_.load(std::memory_order_relaxed); }
  const char* why_not() const { return active() ? "" : thread_.joinable() ? "gave up: madvise(MADV_POPULATE_WRITE) kept failing" : why_not_; }
  // The thread's CPU time so far (user + system, seconds; 0 when it never started) and how much
  // memory it has faulted in (bytes).
  double cpu_seconds() const;
  size_t populated_bytes() const { return populated_bytes_.load(std::memory_order_relaxed); }

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

 private:
  // The thread: `start` is the heap's end (page-aligned) when it was created.
  void Run(uintptr_t start, uintptr_t page);

  const char* why_not_ = "";
  std::atomic<bool> stop_{false};
  std::atomic<bool> gave_up_{false};
  std::atomic<size_t> populated_bytes_{0};
  std::thread thread_;
};

}  // namespace sim
