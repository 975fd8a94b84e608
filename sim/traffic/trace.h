#pragma once
// A request and the hops it takes: client -> DNS -> load balancer -> listener -> rule -> action ->
// target group -> target -> (node port -> kube-proxy) -> pod (scenario-format.md "Output").

#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::traffic {

struct Request {
  std::string url;
  std::string method = "GET";
  std::map<std::string, std::string> headers;  // as given; Host from the URL unless set here
  std::string from = "internet";               // internet | vpc | CIDR or IP
  // Parsed from url.
  std::string scheme;  // http | https
  std::string host;    // URL host (the DNS name the client resolves)
  int port = 0;
  std::string path = "/";
  std::string query;   // without '?'
  std::string source_ip;  // resolved client address
  // Set by the router: the lower-cased host that host-header conditions compare (Host header
  // without port, else the URL host). Empty = computed on each condition.
  std::string match_host;
};

// Parses `url` into scheme/host/port/path/query. False with `error` set when malformed.
bool ParseUrl(Request* req, std::string* error);

struct HopField {
  std::string key;
  std::string value;
};

// Why one higher-priority rule did not match the request (rule hops), in parts: the rule's
// priority, the description of its first condition that missed, and what of the request that
// condition did not match.
struct SkippedRule {
  std::string_view priority;   // "7"
  std::string_view condition;  // DescribeCondition: `host-header [a.example.com]`
  std::string_view value;      // `host "b.example.com"`, `path "/web"`, `method POST`...
};

// `priority 7: host-header [a.example.com] does not match host "b.example.com"`.
std::string SkippedText(const SkippedRule& s);

// The rules a rule hop skipped, in priority order. The parts live in one buffer (a value shared with
// one of the two rules before is kept once), so that a trace allocates little however many rules it skips.
// The views of a SkippedRule stay valid until this list is changed or destroyed.
class SkippedRules {
 public:
  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = SkippedRule;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = SkippedRule;
    const_iterator(const SkippedRules* list, size_t i) : list_(list), i_(i) {}
    SkippedRule operator*() const { return (*list_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator was = *this;
      ++i_;
      return was;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const SkippedRules* list_;
    size_t i_;
  };

  // Room for `rules` entries of about `bytes_each` bytes of text.
  void Reserve(size_t rules, size_t bytes_each = 48);
  void Add(std::string_view priority, std::string_view condition, std::string_view value);
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  SkippedRule operator[](size_t i) const;
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, entries_.size()}; }
  // SkippedText of each, in order.
  std::vector<std::string> Texts() const;
  bool operator==(const SkippedRules& o) const;

 private:
  struct Span {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct Entry {
    Span priority, condition, value;
  };
  Span Append(std::string_view s);
  std::string_view View(Span s) const { return std::string_view(text_).substr(s.offset, s.size); }

  std::string text_;
  std::vector<Entry> entries_;
};

struct Hop {
  std::string kind;    // client | dns | load-balancer | security-group | listener | rule | action |
                       // target-group | target | node-port | pod
  std::string name;    // what this hop is (ARN-free short name, e.g. "listener HTTP:80")
  bool ok = true;      // false at the hop where the request stopped
  std::string detail;  // one-line explanation
  std::vector<HopField> fields;
  SkippedRules skipped;  // rule hop: why each higher-priority rule did not match
};

struct TraceResult {
  int status = 0;            // HTTP status the client gets; 0 = no response (connection failed)
  std::string failed_at;     // hop kind where it stopped ("" = served)
  std::string reason;        // why it failed, or what answered
  std::string service;       // NS/NAME of the Service reached
  std::string pod;           // pod name reached
  std::string pod_ip;
  std::string location;      // redirect Location
  std::optional<int> rule_priority;  // 0 = default action
  std::string target_group;  // name
  std::string target;        // id:port
};

struct Trace {
  Request request;
  std::vector<Hop> hops;
  TraceResult result;
};

}  // namespace sim::traffic
