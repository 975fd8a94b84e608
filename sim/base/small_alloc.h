#pragma once
// The program's operator new / delete for small blocks: a size-class allocator.
//
// A simulated world is millions of small, short-lived heap blocks (the strings, map nodes and
// vectors of every stored object version, Event, request and index entry): the 2,000-Ingress
// settle made ~6 million allocations and spent ~29 % of its time (perf, session 24) in glibc's
// malloc and free, most of it outside their per-thread cache (finding a fitting free chunk,
// coalescing freed neighbours). Blocks of up to kMaxSmall bytes now come from here instead:
//
//   - one reserved address range (kRegionBytes of address space, memory only as it is used),
//     carved front to back into kSlabBytes slabs, each slab holding blocks of one size class
//     (multiples of 16 bytes, so every block has new's default alignment); a byte per slab says
//     which class it holds, so delete finds the class of any block from its address alone;
//   - a free list per class: delete pushes the block, new pops the most recently freed one, or
//     takes the next block of the class' current slab. No headers, no coalescing, no search.
//
// Memory freed to a class is reused by that class only and never goes back to the system while
// the process lives (the tools run one scenario per process). Larger blocks, over-aligned ones
// (operator new with std::align_val_t) and everything malloc'd stay with glibc. Outputs do not
// depend on it: set ALBTWIN_DEFAULT_MALLOC=1 to leave every block to glibc (the tools' switch for
// glibc's defaults, tools/runtime-env). It is also off when the address range cannot be reserved.
// While the C library knows of a second thread (__libc_single_threaded false) every call takes a
// spin lock; the tools' simulation is single-threaded (the heap prefault helper never allocates,
// heap_prefault.h), so they take none.
//
// Not fork-safe for a multi-threaded parent (as with any lock without pthread_atfork handlers): a
// child forked while another thread holds the lock would find it taken. The tools fork only while
// single-threaded, to exec (reports/graph.cc).
//
// The heap prefault helper follows this range too: it populates ahead of SmallAlloc().frontier.

#include <cstddef>
#include <cstdint>

namespace sim {

constexpr size_t kSmallAllocMaxBlock = 1024;              // larger blocks: glibc's malloc
constexpr size_t kSmallAllocSlabBytes = size_t{64} << 10;  // one size class per slab

struct SmallAllocState {
  bool active = false;   // blocks up to kSmallAllocMaxBlock come from the range
  const char* why_not = "";  // why not, when not active ("" before the first allocation)
  uintptr_t begin = 0;   // the reserved range [begin, end)
  uintptr_t end = 0;
  uintptr_t frontier = 0;  // [begin, frontier) has been carved into slabs
};

// The allocator's state now (safe from any thread: the range is fixed once reserved and the
// frontier is an atomic).
SmallAllocState SmallAlloc();

}  // namespace sim
