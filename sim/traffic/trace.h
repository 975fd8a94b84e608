#pragma once
// A request and the hops it takes: client -> DNS -> load balancer -> listener -> rule -> action ->
// target group -> target -> (node port -> kube-proxy) -> pod (scenario-format.md "Output").

#include <map>
#include <optional>
#include <string>
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

struct Hop {
  std::string kind;    // client | dns | load-balancer | security-group | listener | rule | action |
                       // target-group | target | node-port | pod
  std::string name;    // what this hop is (ARN-free short name, e.g. "listener HTTP:80")
  bool ok = true;      // false at the hop where the request stopped
  std::string detail;  // one-line explanation
  std::vector<HopField> fields;
  std::vector<std::string> skipped;  // rule hop: why each higher-priority rule did not match
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
