#include "sim/base/small_alloc.h"

#include <sys/mman.h>
#include <sys/single_threaded.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace sim {
namespace {

constexpr size_t kGranule = 16;  // __STDCPP_DEFAULT_NEW_ALIGNMENT__ on the targets we build for
static_assert(kGranule >= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "blocks must have new's default alignment");
static_assert(kSmallAllocMaxBlock % kGranule == 0 && kSmallAllocSlabBytes % kSmallAllocMaxBlock == 0);
constexpr size_t kClasses = kSmallAllocMaxBlock / kGranule + 1;  // class c holds blocks of c * 16 bytes
constexpr size_t kHugePage = size_t{2} << 20;
// Address space to reserve, largest first (a 10x bench world uses ~3 GiB of small blocks; an
// address-space limit, ulimit -v, may refuse the larger ones).
constexpr size_t kRegionBytes[] = {size_t{64} << 30, size_t{16} << 30, size_t{4} << 30};

enum class Mode : uint8_t { kUninit, kActive, kOff };

struct FreeBlock {
  FreeBlock* next;
};

// All state is constant-initialized: operator new may run before any dynamic initializer.
constinit std::atomic<Mode> mode{Mode::kUninit};  // set once, under the lock when threaded
constinit const char* why_not = "";
constinit char* region = nullptr;  // 2 MiB-aligned start
constinit char* region_end = nullptr;
constinit std::atomic<uintptr_t> frontier{0};  // next slab's address (relaxed: read by the prefault helper)
constinit uint8_t* slab_class = nullptr;       // one byte per slab of the range
constinit FreeBlock* free_list[kClasses] = {};
constinit char* slab_next[kClasses] = {};  // the next unused block of the class' current slab
constinit char* slab_end[kClasses] = {};
constinit std::atomic_flag lock = ATOMIC_FLAG_INIT;

void* MapReserved(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void Init() {
  const char* defaults = std::getenv("ALBTWIN_DEFAULT_MALLOC");
  if (defaults != nullptr && *defaults != 0) {
    why_not = "ALBTWIN_DEFAULT_MALLOC is set: glibc's malloc for every block";
    mode.store(Mode::kOff, std::memory_order_release);
    return;
  }
  for (size_t bytes : kRegionBytes) {
    void* table = MapReserved(bytes / kSmallAllocSlabBytes);
    if (table == nullptr) continue;
    void* range = MapReserved(bytes + kHugePage);
    if (range == nullptr) {
      munmap(table, bytes / kSmallAllocSlabBytes);
      continue;
    }
    const uintptr_t start = (reinterpret_cast<uintptr_t>(range) + kHugePage - 1) & ~(kHugePage - 1);
    region = reinterpret_cast<char*>(start);
    region_end = region + bytes;
    // Transparent huge pages where the system allows them (as glibc.malloc.hugetlb=1 asks for the
    // malloc heap): far fewer page faults and TLB misses for a heap of small blocks.
    madvise(region, bytes, MADV_HUGEPAGE);
    slab_class = static_cast<uint8_t*>(table);
    frontier.store(start, std::memory_order_relaxed);
    mode.store(Mode::kActive, std::memory_order_release);
    return;
  }
  why_not = "no address space for the block range";
  mode.store(Mode::kOff, std::memory_order_release);
}

// Takes the spin lock only while another thread can be allocating.
class Guard {
 public:
  Guard() : locked_(!__libc_single_threaded) {
    if (locked_) {
      while (lock.test_and_set(std::memory_order_acquire)) CpuRelax();
    }
  }
  ~Guard() {
    if (locked_) lock.clear(std::memory_order_release);
  }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;

 private:
  static void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  const bool locked_;
};

void* MallocOrThrow(size_t n) {
  if (n == 0) n = 1;
  for (;;) {
    if (void* p = std::malloc(n)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

// A block of class `c` (c * 16 bytes), or null when the range is used up.
void* Take(size_t c) {
  if (FreeBlock* f = free_list[c]) {
    FreeBlock* next = f->next;
    free_list[c] = next;
    // The next block of this class is most likely not in the cache any more (freed a while ago):
    // reading its link on the next take would wait for memory. Fetch it now (null is harmless).
    __builtin_prefetch(next, 1);
    return f;
  }
  const size_t size = c * kGranule;
  if (static_cast<size_t>(slab_end[c] - slab_next[c]) < size) {
    char* slab = reinterpret_cast<char*>(frontier.load(std::memory_order_relaxed));
    if (slab >= region_end) return nullptr;
    frontier.store(reinterpret_cast<uintptr_t>(slab + kSmallAllocSlabBytes), std::memory_order_relaxed);
    slab_class[static_cast<size_t>(slab - region) / kSmallAllocSlabBytes] = static_cast<uint8_t>(c);
    slab_next[c] = slab;
    slab_end[c] = slab + kSmallAllocSlabBytes;
  }
  void* p = slab_next[c];
  slab_next[c] += size;
  return p;
}

void* Allocate(size_t n) {
  if (n <= kSmallAllocMaxBlock) {
    Mode m = mode.load(std::memory_order_acquire);
    if (m == Mode::kUninit) {
      Guard g;
      if (mode.load(std::memory_order_acquire) == Mode::kUninit) Init();
      m = mode.load(std::memory_order_acquire);
    }
    if (m == Mode::kActive) {
      const size_t c = n == 0 ? 1 : (n + kGranule - 1) / kGranule;
      void* p;
      {
        Guard g;
        p = Take(c);
      }
      if (p != nullptr) return p;
    }
  }
  return MallocOrThrow(n);
}

void Deallocate(void* p) noexcept {
  const auto q = reinterpret_cast<uintptr_t>(p);
  const auto begin = reinterpret_cast<uintptr_t>(region);
  if (q - begin < static_cast<uintptr_t>(region_end - region)) {  // never for null: the range is empty until reserved
    Guard g;
    auto* f = static_cast<FreeBlock*>(p);
    const size_t c = slab_class[(q - begin) / kSmallAllocSlabBytes];
    f->next = free_list[c];
    free_list[c] = f;
    return;
  }
  std::free(p);
}

void* AllocateNoThrow(size_t n) noexcept {
  try {
    return Allocate(n);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

SmallAllocState SmallAlloc() {
  SmallAllocState s;
  const Mode m = mode.load(std::memory_order_acquire);
  s.active = m == Mode::kActive;
  if (m == Mode::kUninit) return s;  // why_not is written by the first allocation
  s.why_not = why_not;
  if (s.active) {
    s.begin = reinterpret_cast<uintptr_t>(region);
    s.end = reinterpret_cast<uintptr_t>(region_end);
    s.frontier = frontier.load(std::memory_order_relaxed);
  }
  return s;
}

}  // namespace sim

// The replaceable global allocation functions ([new.delete.single], [new.delete.array]). The
// std::align_val_t forms are not replaced: glibc's aligned_alloc and free serve them.
void* operator new(size_t n) { return sim::Allocate(n); }
void* operator new[](size_t n) { return sim::Allocate(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return sim::AllocateNoThrow(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return sim::AllocateNoThrow(n); }
void operator delete(void* p) noexcept { sim::Deallocate(p); }
void operator delete[](void* p) noexcept { sim::Deallocate(p); }
void operator delete(void* p, size_t) noexcept { sim::Deallocate(p); }
void operator delete[](void* p, size_t) noexcept { sim::Deallocate(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { sim::Deallocate(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { sim::Deallocate(p); }
