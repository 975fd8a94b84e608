#include "sim/aws/api_call_log.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace sim::aws {
namespace {

uint64_t ParseHex64(std::string_view hex) {
  uint64_t v = 0;
  for (char c : hex) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<uint64_t>(c - 'a' + 10);
  }
  return v;
}

std::string FormatHex64(uint64_t v) {
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kHex[v & 15];
    v >>= 4;
  }
  return out;
}

}  // namespace

void ApiCallLog::FreeChunk::operator()(Packed* p) const { std::free(p); }

ApiCallLog::Chunk ApiCallLog::NewChunk() {
  void* mem = std::aligned_alloc(kChunkBytes, kChunkBytes);
  if (mem == nullptr) throw std::bad_alloc();
  madvise(mem, kChunkBytes, MADV_HUGEPAGE);  // a hint: without THP it is 4 KiB pages, as before
  return Chunk(static_cast<Packed*>(mem));
}

uint16_t ApiCallLog::CallerId(const std::string& caller) {
  for (size_t i = 0; i < callers_.size(); ++i) {
    if (callers_[i] == caller) return static_cast<uint16_t>(i);
  }
  callers_.push_back(caller);
  return static_cast<uint16_t>(callers_.size() - 1);
}

int ApiCallLog::CallerFilter(std::string_view caller) const {
  for (size_t i = 0; i < callers_.size(); ++i) {
    if (callers_[i] == caller) return static_cast<int>(i);
  }
  return -1;
}

void ApiCallLog::Append(SimTime t, const std::string& caller, const char* service, const char* call,
                        std::optional<uint64_t> digest, const Error* error, bool injected) {
  if (size_ == chunks_.size() * kChunk) chunks_.push_back(NewChunk());
  Packed p;
  p.t_ms = t.count();
  p.digest = digest.value_or(0);
  p.service = service;
  p.call = call;
  p.error = 0;
  if (error != nullptr) {
    errors_.emplace_back(error->aws_code, error->message);
    p.error = static_cast<uint32_t>(errors_.size());
  }
  p.caller = CallerId(caller);
  p.flags = static_cast<uint8_t>((digest ? 1 : 0) | (injected ? 2 : 0));
  chunks_.back()[size_ % kChunk] = p;
  ++size_;
  if (observer_) observer_(at(size_ - 1), size_ - 1);
}

void ApiCallLog::Append(const ApiCallRecord& r) {
  Error err{ErrorCode::kInternal, r.error_code, r.error_message};
  std::optional<uint64_t> digest;
  if (r.params_digest.size() == 16) digest = ParseHex64(r.params_digest);
  Append(r.t, r.caller, r.service, r.call, digest, r.ok ? nullptr : &err, r.injected);
}

ApiCallRecord ApiCallLog::at(size_t index) const {
  const Packed& p = packed(index);
  ApiCallRecord r;
  r.t = SimTime(p.t_ms);
  r.caller = callers_[p.caller];
  r.service = p.service;
  r.call = p.call;
  if (p.flags & 1) r.params_digest = FormatHex64(p.digest);
  r.ok = p.error == 0;
  if (p.error != 0) {
    r.error_code = errors_[p.error - 1].first;
    r.error_message = errors_[p.error - 1].second;
  }
  r.injected = (p.flags & 2) != 0;
  return r;
}

std::vector<ApiCallRecord> ApiCallLog::Slice(size_t from, size_t to) const {
  std::vector<ApiCallRecord> out;
  if (to > size_) to = size_;
  for (size_t i = from; i < to; ++i) out.push_back(at(i));
  return out;
}

size_t ApiCallLog::Count(std::string_view call, size_t since, std::string_view caller,
                         std::string_view service) const {
  int caller_id = caller.empty() ? -2 : CallerFilter(caller);
  if (caller_id == -1) return 0;
  size_t n = 0;
  for (size_t i = since; i < size_; ++i) {
    const Packed& p = packed(i);
    if (caller_id >= 0 && p.caller != caller_id) continue;
    if (call != p.call) continue;
    if (!service.empty() && service != p.service) continue;
    ++n;
  }
  return n;
}

CallTally TallyCalls(const std::vector<ApiCallRecord>& records, std::string_view caller, size_t begin, size_t end) {
  CallTally t;
  for (size_t i = begin; i < end && i < records.size(); ++i) {
    const ApiCallRecord& c = records[i];
    if (c.caller != caller) continue;
    ++t.total;
    ++t.by_operation[c.call];
    if (!c.ok) ++t.errors[{c.call, c.error_code}];
  }
  return t;
}

std::map<std::string, size_t> ApiCallLog::CountByCall(size_t since, std::string_view caller) const {
  std::map<std::string, size_t> out;
  int caller_id = caller.empty() ? -2 : CallerFilter(caller);
  if (caller_id == -1) return out;
  for (size_t i = since; i < size_; ++i) {
    const Packed& p = packed(i);
    if (caller_id >= 0 && p.caller != caller_id) continue;
    ++out[p.call];
  }
  return out;
}

void ApiCallLog::Clear() {
  chunks_.clear();
  size_ = 0;
  errors_.clear();
}

}  // namespace sim::aws
