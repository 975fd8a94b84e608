#pragma once
// Every AWS call any fake served, in order: who called, what, with which parameters (digest), and
// how it ended. The scenario report prints it ("apiCalls") and `expect: apiCalls:` counts it.
// One log is shared by all fakes (constructor reference, STYLE.md §3).
//
// Storage is compact (about 40 bytes a call, in fixed-size chunks that never move), so that a
// million calls a second can be logged; records are materialised as ApiCallRecord on read.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/base/clock.h"
#include "sim/base/status.h"

namespace sim::aws {

struct ApiCallRecord {
  SimTime t{0};               // sim time when the call was served
  std::string caller;         // CallContext::caller: "controller", "console", ...
  const char* service = "";   // "elbv2" | "ec2" | ... (static storage)
  const char* call = "";      // AWS operation name, e.g. "CreateLoadBalancer" (static storage)
  std::string params_digest;  // first 16 hex of sha256 over the request rendered as canonical
                              // AWS-shaped JSON; empty when digests are off (see set_record_digests)
  bool ok = true;
  std::string error_code;     // AWS error code (Error::aws_code) when !ok, e.g. "Throttling"
  std::string error_message;  // AWS error message when !ok
  bool injected = false;      // the error came from the FaultPlan, not from the fake's logic
};

// The calls of `caller` among records[begin, end) of a materialised log (a run record's): how
// many, how many per operation, and the failed ones per (operation, error code). The reports' step
// summaries and the bench read a run with it.
struct CallTally {
  size_t total = 0;
  std::map<std::string, size_t> by_operation;
  std::map<std::pair<std::string, std::string>, size_t> errors;  // (operation, error code)
};
CallTally TallyCalls(const std::vector<ApiCallRecord>& records, std::string_view caller, size_t begin = 0,
                     size_t end = SIZE_MAX);

class ApiCallLog {
 public:
  using Observer = std::function<void(const ApiCallRecord& record, size_t index)>;

  void Append(const ApiCallRecord& record);
  // Same, without building an ApiCallRecord (the fakes' fast path). `service` and `call` must have
  // static storage; `digest` is the params digest as a number (its 16 hex digits), nullopt when
  // digests are off; `error` is null when ok.
  void Append(SimTime t, const std::string& caller, const char* service, const char* call,
              std::optional<uint64_t> digest, const Error* error, bool injected);

  size_t size() const { return size_; }
  // Record `index` (0 ≤ index < size()), materialised.
  ApiCallRecord at(size_t index) const;
  // Records [from, to) (to clamped to size()).
  std::vector<ApiCallRecord> Slice(size_t from, size_t to = SIZE_MAX) const;

  // Number of records with index >= `since` whose call name is `call`; an empty `caller` / `service`
  // matches every caller / service.
  size_t Count(std::string_view call, size_t since = 0, std::string_view caller = "",
               std::string_view service = "") const;
  // Calls per operation name for records with index >= `since` (and the given caller, "" = all).
  std::map<std::string, size_t> CountByCall(size_t since = 0, std::string_view caller = "") const;

  // Params digests cost a JSON rendering and a SHA-256 per call; benchmarks may turn them off.
  // Default: on.
  void set_record_digests(bool on) { record_digests_ = on; }
  bool record_digests() const { return record_digests_; }

  // Called after every Append (e.g. a live trace). Runs synchronously inside the AWS call, after
  // the call's effects: it must not call back into the fakes.
  void SetObserver(Observer observer) { observer_ = std::move(observer); }

  void Clear();

 private:
  struct Packed {
    int64_t t_ms;
    uint64_t digest;      // 16 hex digits as a number
    const char* service;
    const char* call;
    uint32_t error;       // 1-based index into errors_; 0 = ok
    uint16_t caller;      // index into callers_
    uint8_t flags;        // 1 = has digest, 2 = injected
  };
  // Records live in 2 MiB chunks, 2 MiB aligned and marked for transparent huge pages: a million
  // calls a second write 40 MB/s of fresh memory, and one page fault per 2 MiB instead of one per
  // 4 KiB is most of the cost of logging them.
  static constexpr size_t kChunkBytes = size_t{2} << 20;
  static constexpr size_t kChunk = kChunkBytes / sizeof(Packed);
  struct FreeChunk {
    void operator()(Packed* p) const;
  };
  using Chunk = std::unique_ptr<Packed[], FreeChunk>;
  static Chunk NewChunk();

  const Packed& packed(size_t index) const { return chunks_[index / kChunk][index % kChunk]; }
  uint16_t CallerId(const std::string& caller);
  // Caller id for a filter; -1 when `caller` never called (then nothing matches).
  int CallerFilter(std::string_view caller) const;

  std::vector<Chunk> chunks_;
  size_t size_ = 0;
  std::vector<std::string> callers_;
  std::vector<std::pair<std::string, std::string>> errors_;
  bool record_digests_ = true;
  Observer observer_;
};

}  // namespace sim::aws
