#include "sim/traffic/router.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <regex>
#include <string_view>

#include "sim/base/match.h"

namespace sim::traffic {
namespace {

using model::aws::Action;
using model::aws::RuleCondition;

std::string Join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// The header's value (names compare case-insensitively); null when absent.
const std::string* FindHeader(const Request& req, const std::string& name) {
  for (const auto& [k, v] : req.headers) {
    if (EqualsIgnoreCase(k, name)) return &v;
  }
  return nullptr;
}

std::string HeaderValue(const Request& req, const std::string& name) {
  const std::string* v = FindHeader(req, name);
  return v ? *v : std::string();
}

bool HasHeader(const Request& req, const std::string& name) { return FindHeader(req, name) != nullptr; }

// The Host header without its port, as a view into the request.
std::string_view RequestHostView(const Request& req) {
  static const std::string kHost = "Host";
  const std::string* h = FindHeader(req, kHost);
  std::string_view host = h ? std::string_view(*h) : std::string_view(req.host);
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']') == std::string_view::npos) return host.substr(0, colon);
  return host;
}

// The Host header without its port, as ALB compares it.
std::string RequestHost(const Request& req) {
  static const std::string kHost = "Host";
  const std::string* h = FindHeader(req, kHost);
  const std::string& host = h ? *h : req.host;
  auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']') == std::string::npos) return host.substr(0, colon);
  return host;
}

enum class Field { kHost, kPath, kHeader, kMethod, kQuery, kSourceIp, kOther };

// The condition field by its length first: one comparison instead of six.
Field FieldOf(const std::string& f) {
  switch (f.size()) {
    case 11:
      return std::memcmp(f.data(), "host-header", 11) == 0   ? Field::kHost
             : std::memcmp(f.data(), "http-header", 11) == 0 ? Field::kHeader
                                                             : Field::kOther;
    case 12:
      return std::memcmp(f.data(), "path-pattern", 12) == 0   ? Field::kPath
             : std::memcmp(f.data(), "query-string", 12) == 0 ? Field::kQuery
                                                              : Field::kOther;
    case 19:
      return std::memcmp(f.data(), "http-request-method", 19) == 0 ? Field::kMethod : Field::kOther;
    case 9:
      return std::memcmp(f.data(), "source-ip", 9) == 0 ? Field::kSourceIp : Field::kOther;
    default:
      return Field::kOther;
  }
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> QueryPairs(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i <= query.size() && !query.empty()) {
    size_t amp = query.find('&', i);
    std::string part = query.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string::npos) out.emplace_back(PercentDecode(part), "");
      else out.emplace_back(PercentDecode(part.substr(0, eq)), PercentDecode(part.substr(eq + 1)));
    }
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return out;
}

// Query-string patterns escape literal `*` and `?` with `\`; turn them into a pattern where the
// escape is honoured by matching them literally.
bool QueryWildcardMatch(const std::string& pattern, const std::string& text) {
  // Split into tokens; an escaped char matches itself only.
  struct Tok {
    char c;
    bool literal;
  };
  std::vector<Tok> toks;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) toks.push_back({pattern[++i], true});
    else toks.push_back({pattern[i], false});
  }
  const std::string t = AsciiLower(text);
  size_t p = 0, s = 0, star = std::string::npos, mark = 0;
  while (s < t.size()) {
    if (p < toks.size() && !toks[p].literal && toks[p].c == '*') {
      star = p++;
      mark = s;
    } else if (p < toks.size() && ((!toks[p].literal && toks[p].c == '?') ||
                                   AsciiLower(toks[p].c) == t[s])) {
      ++p;
      ++s;
    } else if (star != std::string::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < toks.size() && !toks[p].literal && toks[p].c == '*') ++p;
  return p == toks.size();
}

const std::vector<std::string>& HostValues(const RuleCondition& c) {
  if (c.host_header_config) return c.host_header_config->values;
  return c.values;
}
const std::vector<std::string>& PathValues(const RuleCondition& c) {
  if (c.path_pattern_config) return c.path_pattern_config->values;
  return c.values;
}

bool RegexLikeMatch(const std::string& re, const std::string& text);

}  // namespace

namespace {
bool RegexLikeMatch(const std::string& re, const std::string& text) {
  // ALB regex conditions (regexValues) use a PCRE subset; std::regex ECMAScript is close enough for
  // the patterns Ingresses use. A pattern std::regex rejects matches nothing.
  try {
    return std::regex_search(text, std::regex(re));
  } catch (...) {
    return false;
  }
}
std::string Attr(const TargetGroupView& tgv, const std::string& key, const std::string& def) {
  auto it = tgv.attributes.find(key);
  return it == tgv.attributes.end() || it->second.empty() ? def : it->second;
}

std::string TargetKey(const TargetView& t) {
  return t.target.id + ":" + std::to_string(t.target.port.value_or(0));
}

// The target of `tgv` for this request: the sticky one if the client holds a valid cookie, else
// by the target group's load_balancing.algorithm.type. Notes the choice on the target-group hop.
const TargetView* PickTarget(const TargetGroupView& tgv, const std::string& tg_arn,
                             const std::vector<const TargetView*>& candidates, const Request& req, RouterState& state,
                             Hop* hop) {
  const bool sticky = Attr(tgv, "stickiness.enabled", "false") == "true";
  const std::string sticky_key = sticky ? req.source_ip + "|" + tg_arn : std::string();
  const TargetView* chosen = nullptr;
  if (sticky) {
    auto s = state.sticky.find(sticky_key);
    if (s != state.sticky.end()) {
      for (const TargetView* t : candidates) {
        if (TargetKey(*t) == s->second) chosen = t;
      }
      if (chosen) {
        hop->fields.push_back({"stickiness", Attr(tgv, "stickiness.type", "lb_cookie") + ": the client's cookie names " + s->second});
      }
    }
  }
  const std::string algo = Attr(tgv, "load_balancing.algorithm.type", "round_robin");
  if (!chosen) {
    if (algo == "least_outstanding_requests") {
      uint64_t start = state.cursor["tg:" + tg_arn]++;
      uint64_t best = UINT64_MAX;
      for (size_t i = 0; i < candidates.size(); ++i) {
        const TargetView* t = candidates[(start + i) % candidates.size()];
        uint64_t n = state.outstanding[tg_arn + "|" + TargetKey(*t)];
        if (n < best) {
          best = n;
          chosen = t;
        }
      }
    } else if (algo == "weighted_random") {
      chosen = candidates[state.rng.Uniform(candidates.size())];
    } else {
      chosen = candidates[state.cursor["tg:" + tg_arn]++ % candidates.size()];
    }
    if (sticky) state.sticky[sticky_key] = TargetKey(*chosen);
    if (!hop->detail.empty() && hop->detail.back() == ')') {
      hop->detail += algo == "least_outstanding_requests" ? ", least outstanding requests"
                     : algo == "weighted_random"          ? ", weighted random"
                                                          : ", round robin";
    }
  }
  if (algo == "least_outstanding_requests") state.outstanding[tg_arn + "|" + TargetKey(*chosen)]++;
  return chosen;
}

// Whether the security groups `sgs` of a target let the load balancer in on tcp `port`: a
// permission (tcp or all) whose range holds the port and whose source is one of the LB's groups,
// or a CIDR holding the VPC's network (the ALB's private addresses live in the VPC).
bool TargetSgAllows(const WorldView& view, const std::vector<std::string>& sgs, const std::vector<std::string>& lb_sgs,
                    int port, std::string* by) {
  uint32_t vpc_base = 0;
  ParseIpv4(view.vpc_cidr.substr(0, view.vpc_cidr.find('/')), &vpc_base);
  const std::string vpc_ip = FormatIpv4(vpc_base);
  for (const auto& id : sgs) {
    auto it = view.security_groups.find(id);
    if (it == view.security_groups.end()) continue;
    for (const auto& perm : it->second.ip_permissions) {
      const bool proto_ok = perm.ip_protocol == "-1" || perm.ip_protocol == "tcp" || perm.ip_protocol == "6";
      const bool port_ok = perm.ip_protocol == "-1" ||
                           (perm.from_port && perm.to_port && *perm.from_port <= port && port <= *perm.to_port);
      if (!proto_ok || !port_ok) continue;
      for (const auto& pair : perm.user_id_group_pairs) {
        if (std::find(lb_sgs.begin(), lb_sgs.end(), pair.group_id) != lb_sgs.end()) {
          *by = id + " allows tcp " + std::to_string(port) + " from " + pair.group_id;
          return true;
        }
      }
      for (const auto& r : perm.ip_ranges) {
        if (CidrContains(r.cidr_ip, vpc_ip)) {
          *by = id + " allows tcp " + std::to_string(port) + " from " + r.cidr_ip;
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

std::string EffectiveHost(const Request& req) { return RequestHost(req); }

void PrepareRequest(Request* req) { req->match_host = AsciiLower(RequestHost(*req)); }

const Router::RuleDescriptions& Router::Descriptions(const ListenerView& lv) const {
  auto it = descriptions_.find(&lv);
  if (it != descriptions_.end()) return it->second;
  RuleDescriptions d;
  d.first.reserve(lv.rules.size());
  for (const auto& rule : lv.rules) {
    d.first.push_back(d.text.size());
    for (const auto& cond : rule.conditions) d.text.push_back(DescribeCondition(cond));
  }
  return descriptions_.emplace(&lv, std::move(d)).first->second;
}

std::string DescribeCondition(const RuleCondition& c) {
  auto list = [](const std::vector<std::string>& v) { return "[" + Join(v) + "]"; };
  if (c.field == "host-header") {
    if (c.host_header_config && !c.host_header_config->regex_values.empty()) {
      return "host-header regex " + list(c.host_header_config->regex_values);
    }
    return "host-header " + list(HostValues(c));
  }
  if (c.field == "path-pattern") {
    if (c.path_pattern_config && !c.path_pattern_config->regex_values.empty()) {
      return "path-pattern regex " + list(c.path_pattern_config->regex_values);
    }
    return "path-pattern " + list(PathValues(c));
  }
  if (c.field == "http-header" && c.http_header_config) {
    return "http-header " + c.http_header_config->http_header_name + " " +
           list(c.http_header_config->regex_values.empty() ? c.http_header_config->values
                                                           : c.http_header_config->regex_values);
  }
  if (c.field == "http-request-method" && c.http_request_method_config) {
    return "http-request-method " + list(c.http_request_method_config->values);
  }
  if (c.field == "query-string" && c.query_string_config) {
    std::vector<std::string> kv;
    for (const auto& p : c.query_string_config->values) kv.push_back((p.key ? *p.key + "=" : "") + p.value);
    return "query-string " + list(kv);
  }
  if (c.field == "source-ip" && c.source_ip_config) return "source-ip " + list(c.source_ip_config->values);
  return c.field;
}

namespace {

// MatchCondition without the condition's description: on a miss, `out` (when not null) says what
// of the request did not match (`host "a.example.com"`); with a null `out` nothing is allocated.
bool MatchConditionValue(const RuleCondition& c, const Request& req, std::string* out) {
  auto miss = [&](std::string_view a, std::string_view b = {}, std::string_view cc = {}) {
    std::string& w = *out;
    w.clear();  // keeps its capacity: a caller reusing `out` allocates once
    w.append(a).append(b).append(cc);
    return false;
  };
  const Field field = FieldOf(c.field);
  if (field == Field::kHost) {
    // The router lower-cases the host once per request (Request::match_host).
    const std::string lower = req.match_host.empty() ? AsciiLower(RequestHost(req)) : std::string();
    const std::string& host = req.match_host.empty() ? lower : req.match_host;
    if (c.host_header_config && !c.host_header_config->regex_values.empty()) {
      for (const auto& r : c.host_header_config->regex_values) {
        if (RegexLikeMatch(r, host)) return true;
      }
      return out == nullptr ? false : miss("host \"", RequestHostView(req), "\"");
    }
    for (const auto& v : HostValues(c)) {
      if (GlobMatch(v, host, /*case_insensitive=*/true)) return true;
    }
    return out == nullptr ? false : miss("host \"", RequestHostView(req), "\"");
  }
  if (field == Field::kPath) {
    if (c.path_pattern_config && !c.path_pattern_config->regex_values.empty()) {
      for (const auto& r : c.path_pattern_config->regex_values) {
        if (RegexLikeMatch(r, req.path)) return true;
      }
      return out == nullptr ? false : miss("path \"", req.path, "\"");
    }
    for (const auto& v : PathValues(c)) {
      if (GlobMatch(v, req.path, /*case_insensitive=*/false)) return true;
    }
    return out == nullptr ? false : miss("path \"", req.path, "\"");
  }
  if (field == Field::kHeader && c.http_header_config) {
    const auto& cfg = *c.http_header_config;
    if (!HasHeader(req, cfg.http_header_name)) return out == nullptr ? false : miss("(header " + cfg.http_header_name + " absent)");
    const std::string value = HeaderValue(req, cfg.http_header_name);
    for (const auto& v : cfg.values) {
      if (GlobMatch(v, value, true)) return true;
    }
    for (const auto& r : cfg.regex_values) {
      if (RegexLikeMatch(r, value)) return true;
    }
    return out == nullptr ? false : miss(cfg.http_header_name + ": \"" + value + "\"");
  }
  if (field == Field::kMethod && c.http_request_method_config) {
    for (const auto& v : c.http_request_method_config->values) {
      if (v == req.method) return true;
    }
    return out == nullptr ? false : miss("method " + req.method);
  }
  if (field == Field::kQuery && c.query_string_config) {
    const auto pairs = QueryPairs(req.query);
    for (const auto& want : c.query_string_config->values) {
      for (const auto& [k, v] : pairs) {
        if (want.key && !QueryWildcardMatch(*want.key, k)) continue;
        if (QueryWildcardMatch(want.value, v)) return true;
      }
    }
    return out == nullptr ? false : miss("query \"" + req.query + "\"");
  }
  if (field == Field::kSourceIp && c.source_ip_config) {
    for (const auto& cidr : c.source_ip_config->values) {
      if (CidrContains(cidr, req.source_ip)) return true;
    }
    return out == nullptr ? false : miss("source " + req.source_ip);
  }
  return out == nullptr ? false : miss("(unsupported condition)");
}

}  // namespace

bool MatchCondition(const RuleCondition& c, const Request& req, std::string* why, const std::string* description) {
  if (why == nullptr) return MatchConditionValue(c, req, nullptr);
  std::string value;
  if (MatchConditionValue(c, req, &value)) return true;
  // "<condition> does not match <value>".
  const std::string desc = description ? std::string() : DescribeCondition(c);
  const std::string& d = description ? *description : desc;
  why->clear();
  why->append(d).append(" does not match ").append(value);
  return false;
}

std::string RedirectLocation(const model::aws::RedirectActionConfig& cfg, const Request& req) {
  const std::string in_proto = req.scheme == "https" ? "HTTPS" : "HTTP";
  const std::string in_host = RequestHost(req);
  const std::string in_port = std::to_string(req.port);
  const std::string in_path = req.path.empty() ? "" : req.path.substr(1);  // without leading '/'
  auto expand = [&](std::string s) {
    auto rep = [&](const std::string& key, const std::string& val) {
      for (size_t pos; (pos = s.find(key)) != std::string::npos;) s.replace(pos, key.size(), val);
    };
    rep("#{protocol}", in_proto);
    rep("#{host}", in_host);
    rep("#{port}", in_port);
    rep("#{path}", in_path);
    rep("#{query}", req.query);
    return s;
  };
  std::string proto = expand(cfg.protocol.value_or("#{protocol}"));
  std::string host = expand(cfg.host.value_or("#{host}"));
  std::string port = expand(cfg.port.value_or("#{port}"));
  std::string path = expand(cfg.path.value_or("/#{path}"));
  std::string query = expand(cfg.query.value_or("#{query}"));
  std::string lproto = AsciiLower(proto);
  bool default_port = (lproto == "http" && port == "80") || (lproto == "https" && port == "443");
  std::string url = lproto + "://" + host + (default_port ? "" : ":" + port) + path;
  if (!query.empty()) url += "?" + query;
  return url;
}

bool ParseUrl(Request* req, std::string* error) {
  const std::string& url = req->url;
  auto sep = url.find("://");
  if (sep == std::string::npos) {
    *error = "URL has no scheme: " + url;
    return false;
  }
  req->scheme = AsciiLower(url.substr(0, sep));
  if (req->scheme != "http" && req->scheme != "https") {
    *error = "URL scheme must be http or https: " + url;
    return false;
  }
  std::string rest = url.substr(sep + 3);
  auto frag = rest.find('#');
  if (frag != std::string::npos) rest = rest.substr(0, frag);
  auto slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  std::string path_query = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) {
    *error = "URL has no host: " + url;
    return false;
  }
  auto colon = authority.rfind(':');
  req->port = req->scheme == "https" ? 443 : 80;
  if (colon != std::string::npos) {
    int port = 0;
    const std::string p = authority.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || ptr != p.data() + p.size() || port < 1 || port > 65535) {
      *error = "URL port is not a number from 1 to 65535: " + url;
      return false;
    }
    req->port = port;
    authority = authority.substr(0, colon);
  }
  req->host = AsciiLower(authority);
  auto q = path_query.find('?');
  req->path = q == std::string::npos ? path_query : path_query.substr(0, q);
  if (req->path.empty()) req->path = "/";
  req->query = q == std::string::npos ? "" : path_query.substr(q + 1);
  return true;
}

Trace Router::Route(Request req, RouterState& state) const {
  Trace trace;
  trace.hops.reserve(12);
  // Ends the trace at `hop` (moved into it).
  auto fail = [&](Hop& hop, const std::string& kind, int status, const std::string& reason) {
    hop.ok = false;
    if (hop.detail.empty()) hop.detail = reason;
    trace.hops.push_back(std::move(hop));
    trace.result.status = status;
    trace.result.failed_at = kind;
    trace.result.reason = reason;
    trace.request = std::move(req);
    return std::move(trace);
  };

  // client
  Hop client{"client", req.method + " " + req.url, true, "", {}, {}};
  std::string error;
  if (req.scheme.empty() && !ParseUrl(&req, &error)) return fail(client, "client", 0, error);
  // Source address.
  uint32_t vpc_base = 0;
  auto slash = view_.vpc_cidr.find('/');
  ParseIpv4(view_.vpc_cidr.substr(0, slash), &vpc_base);
  if (req.from == "internet" || req.from.empty()) {
    req.source_ip = "203.0.113.10";
  } else if (req.from == "vpc") {
    req.source_ip = FormatIpv4(vpc_base + (254u << 8) + 10u);
  } else {
    uint32_t a;
    auto s = req.from.find('/');
    if (!ParseIpv4(req.from.substr(0, s), &a)) {
      return fail(client, "client", 0, "from must be internet, vpc, or an IPv4 address/CIDR: " + req.from);
    }
    req.source_ip = s == std::string::npos ? req.from : FormatIpv4(a + 1);
  }
  const bool from_vpc = CidrContains(view_.vpc_cidr, req.source_ip);
  client.fields = {{"source", req.source_ip + (from_vpc ? " (inside the VPC)" : " (internet)")},
                   {"host", RequestHost(req)}};
  client.detail = "from " + req.source_ip;
  trace.hops.push_back(std::move(client));
  PrepareRequest(&req);

  // DNS
  const LoadBalancerView* lbv = nullptr;
  for (const auto& l : view_.load_balancers) {
    if (EqualsIgnoreCase(l.lb.dns_name, req.host)) lbv = &l;
  }
  Hop dns{"dns", req.host, true, "", {}, {}};
  if (!lbv) return fail(dns, "dns", 0, "no load balancer has the DNS name " + req.host + " (NXDOMAIN)");
  dns.detail = "resolves to load balancer " + lbv->lb.load_balancer_name;
  trace.hops.push_back(std::move(dns));

  // Load balancer
  const auto& lb = lbv->lb;
  Hop lbh{"load-balancer", lb.load_balancer_name, true, "", {}, {}};
  std::vector<std::string> zones;
  for (const auto& az : lb.availability_zones) zones.push_back(az.zone_name);
  lbh.fields = {{"scheme", lb.scheme}, {"state", lb.state.code}, {"zones", Join(zones)}};
  if (!lbv->owner.empty()) lbh.fields.push_back({"owner", lbv->owner});
  if (lb.state.code != model::aws::kLbStateActive) {
    return fail(lbh, "load-balancer", 0, "load balancer is " + lb.state.code + ", not active: it takes no traffic yet");
  }
  if (lb.scheme == model::aws::kSchemeInternal && !from_vpc) {
    return fail(lbh, "load-balancer", 0,
                "internal load balancer: its DNS name resolves to private addresses, unreachable from " +
                    req.source_ip);
  }
  lbh.detail = lb.scheme + " ALB in " + Join(zones);
  trace.hops.push_back(std::move(lbh));

  // Listener by port.
  const ListenerView* lv = nullptr;
  for (const auto& l : lbv->listeners) {
    if (l.listener.port && *l.listener.port == req.port) lv = &l;
  }
  // Security groups of the LB must allow the client on this port.
  {
    Hop sg{"security-group", "", true, "", {}, {}};
    std::vector<std::string> names;
    bool allowed = lb.security_groups.empty();
    std::string by;
    for (const auto& id : lb.security_groups) {
      names.push_back(id);
      auto it = view_.security_groups.find(id);
      if (it == view_.security_groups.end()) continue;
      for (const auto& perm : it->second.ip_permissions) {
        bool proto_ok = perm.ip_protocol == "-1" || perm.ip_protocol == "tcp" || perm.ip_protocol == "6";
        bool port_ok = perm.ip_protocol == "-1" ||
                       (perm.from_port && perm.to_port && *perm.from_port <= req.port && req.port <= *perm.to_port);
        if (!proto_ok || !port_ok) continue;
        for (const auto& r : perm.ip_ranges) {
          if (CidrContains(r.cidr_ip, req.source_ip)) {
            allowed = true;
            by = id + " allows tcp " + std::to_string(req.port) + " from " + r.cidr_ip;
          }
        }
      }
    }
    sg.name = Join(names);
    if (!allowed) {
      return fail(sg, "security-group", 0,
                  "no inbound rule of the load balancer's security groups (" + Join(names) + ") allows tcp " +
                      std::to_string(req.port) + " from " + req.source_ip + ": the connection times out");
    }
    sg.detail = by.empty() ? "no security groups" : by;
    trace.hops.push_back(std::move(sg));
  }
  Hop lh{"listener", "", true, "", {}, {}};
  if (!lv) {
    lh.name = "port " + std::to_string(req.port);
    return fail(lh, "listener", 0, "no listener on port " + std::to_string(req.port) + ": connection refused");
  }
  const auto& listener = lv->listener;
  lh.name = listener.protocol + ":" + std::to_string(*listener.port);
  if (listener.protocol == "HTTPS" && req.scheme != "https") {
    return fail(lh, "listener", 400, "plain HTTP sent to an HTTPS listener: 400 Bad Request");
  }
  if (listener.protocol == "HTTP" && req.scheme == "https") {
    return fail(lh, "listener", 0, "TLS handshake sent to an HTTP listener: the handshake fails");
  }
  if (listener.protocol == "HTTPS") {
    // SNI: the certificate whose domain matches the Host; else the default certificate.
    const std::string sni = RequestHost(req);
    std::string chosen;
    for (const auto& c : lv->certificates) {
      for (const auto& cv : view_.certificates) {
        if (cv.arn != c.certificate_arn) continue;
        std::vector<std::string> names = cv.sans;
        names.insert(names.begin(), cv.domain);
        for (const auto& n : names) {
          if (chosen.empty() && GlobMatch(n, sni, true) &&
              std::count(n.begin(), n.end(), '.') == std::count(sni.begin(), sni.end(), '.')) {
            chosen = cv.domain + " (" + cv.arn + ")";
          }
        }
      }
    }
    if (chosen.empty() && !listener.certificates.empty()) {
      chosen = listener.certificates.front().certificate_arn + " (default certificate; no SNI match for " + sni + ")";
    }
    lh.fields.push_back({"certificate", chosen});
  }
  lh.detail = std::to_string(lv->rules.size()) + " rule(s) then the default action";
  trace.hops.push_back(std::move(lh));

  // Rules by priority.
  const std::vector<Action>* actions = &listener.default_actions;
  Hop rh{"rule", "default", true, "", {}, {}};
  int priority = 0;
  // Only a miss explains itself, in parts (SkippedRules): the cached description of the condition
  // and what of the request it did not match, so that skipping a rule allocates nothing.
  const RuleDescriptions& descriptions = Descriptions(*lv);
  std::string value;
  for (size_t r = 0; r < lv->rules.size(); ++r) {
    const auto& rule = lv->rules[r];
    const std::string* failed = nullptr;
    for (size_t k = 0; k < rule.conditions.size(); ++k) {
      if (!MatchConditionValue(rule.conditions[k], req, &value)) {
        failed = &descriptions.text[descriptions.first[r] + k];
        break;
      }
    }
    if (failed) {
      if (rh.skipped.empty()) rh.skipped.Reserve(lv->rules.size() - r);
      rh.skipped.Add(rule.priority, *failed, value);
      continue;
    }
    actions = &rule.actions;
    priority = std::atoi(rule.priority.c_str());
    rh.name = "priority " + rule.priority;
    rh.detail = "matched: ";
    for (size_t k = 0; k < rule.conditions.size(); ++k) {
      if (k) rh.detail += " AND ";
      rh.detail += descriptions.text[descriptions.first[r] + k];
    }
    break;
  }
  if (priority == 0) rh.detail = "no rule matched: the listener's default action";
  rh.fields.push_back({"priority", priority == 0 ? "default" : std::to_string(priority)});
  trace.result.rule_priority = priority;
  trace.hops.push_back(std::move(rh));

  // Actions in Order.
  std::vector<const Action*> ordered;
  for (const auto& a : *actions) ordered.push_back(&a);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Action* a, const Action* b) { return a->order.value_or(0) < b->order.value_or(0); });
  const Action* forward = nullptr;
  for (const Action* a : ordered) {
    Hop ah{"action", a->type, true, "", {}, {}};
    if (a->type == "authenticate-oidc" || a->type == "authenticate-cognito" || a->type == "jwt-validation") {
      std::string on_unauth = "authenticate";
      if (a->authenticate_oidc_config && a->authenticate_oidc_config->on_unauthenticated_request) {
        on_unauth = *a->authenticate_oidc_config->on_unauthenticated_request;
      }
      if (a->authenticate_cognito_config && a->authenticate_cognito_config->on_unauthenticated_request) {
        on_unauth = *a->authenticate_cognito_config->on_unauthenticated_request;
      }
      if (a->type == "jwt-validation") {
        if (!HasHeader(req, "Authorization")) return fail(ah, "action", 401, "jwt-validation: no bearer token: 401");
        ah.detail = "bearer token present (signature not simulated)";
        trace.hops.push_back(std::move(ah));
        continue;
      }
      if (on_unauth == "allow") {
        ah.detail = "unauthenticated request allowed through (onUnauthenticatedRequest=allow)";
        trace.hops.push_back(std::move(ah));
        continue;
      }
      if (on_unauth == "deny") return fail(ah, "action", 401, "the user is not logged in: 401 (onUnauthenticatedRequest=deny)");
      std::string idp = a->authenticate_oidc_config ? a->authenticate_oidc_config->authorization_endpoint
                                                    : (a->authenticate_cognito_config
                                                           ? "https://" + a->authenticate_cognito_config->user_pool_domain
                                                           : "");
      trace.result.location = idp;
      return fail(ah, "action", 302, "the user must log in: 302 to the identity provider " + idp);
    }
    if (a->type == "fixed-response" && a->fixed_response_config) {
      const auto& f = *a->fixed_response_config;
      ah.detail = "fixed response " + f.status_code +
                  (f.content_type ? " (" + *f.content_type + ")" : "") +
                  (f.message_body ? ": " + *f.message_body : "");
      trace.result.status = std::atoi(f.status_code.c_str());
      trace.result.reason = ah.detail;
      trace.hops.push_back(std::move(ah));
      trace.request = std::move(req);
      return trace;
    }
    if (a->type == "redirect" && a->redirect_config) {
      const std::string loc = RedirectLocation(*a->redirect_config, req);
      ah.detail = (a->redirect_config->status_code == "HTTP_302" ? "302" : "301") + std::string(" to ") + loc;
      trace.result.status = a->redirect_config->status_code == "HTTP_302" ? 302 : 301;
      trace.result.location = loc;
      trace.result.reason = ah.detail;
      trace.hops.push_back(std::move(ah));
      trace.request = std::move(req);
      return trace;
    }
    if (a->type == "forward") {
      forward = a;
      break;
    }
  }
  if (!forward) {
    Hop ah{"action", "none", false, "", {}, {}};
    return fail(ah, "action", 503, "no terminal action");
  }

  // Forward: pick a target group by weight (deterministic weighted round robin per rule).
  std::vector<std::pair<std::string, int>> tgs;
  if (forward->forward_config && !forward->forward_config->target_groups.empty()) {
    for (const auto& t : forward->forward_config->target_groups) tgs.emplace_back(t.target_group_arn, t.weight.value_or(1));
  } else if (forward->target_group_arn) {
    tgs.emplace_back(*forward->target_group_arn, 1);
  }
  int total = 0;
  for (const auto& [_, w] : tgs) total += w;
  Hop ah{"action", "forward", true, "", {}, {}};
  if (tgs.empty() || total == 0) return fail(ah, "action", 503, "forward to no target group (all weights 0)");
  // ALB picks a target group of a weighted forward at random by weight; with target group
  // stickiness (AWSALBTG cookie) the client returns to the group it got first.
  std::string tg_arn;
  const bool tg_sticky = forward->forward_config && forward->forward_config->target_group_stickiness_config &&
                         forward->forward_config->target_group_stickiness_config->enabled.value_or(false);
  const std::string fwd_key =
      tg_sticky ? req.source_ip + "|fwd:" + lv->listener.listener_arn + ":" + std::to_string(priority) : std::string();
  if (tg_sticky) {
    auto s = state.sticky.find(fwd_key);
    if (s != state.sticky.end()) {
      for (const auto& [arn, w] : tgs) {
        if (arn == s->second && w > 0) tg_arn = arn;
      }
    }
  }
  if (tg_arn.empty()) {
    uint64_t pick = tgs.size() == 1 ? 0 : state.rng.Uniform(static_cast<uint64_t>(total));
    for (const auto& [arn, w] : tgs) {
      if (pick < static_cast<uint64_t>(w)) {
        tg_arn = arn;
        break;
      }
      pick -= static_cast<uint64_t>(w);
    }
    if (tg_sticky) state.sticky[fwd_key] = tg_arn;
  } else {
    ah.fields.push_back({"stickiness", "AWSALBTG cookie: back to the same target group"});
  }
  {
    std::vector<std::string> parts;
    for (const auto& [arn, w] : tgs) {
      auto it = view_.target_groups.find(arn);
      parts.push_back((it == view_.target_groups.end() ? arn : it->second.tg.target_group_name) +
                      (tgs.size() > 1 ? " weight " + std::to_string(w) : ""));
    }
    ah.detail = "forward to " + Join(parts);
  }
  trace.hops.push_back(std::move(ah));

  auto tg_it = view_.target_groups.find(tg_arn);
  Hop tgh{"target-group", tg_arn, true, "", {}, {}};
  if (tg_it == view_.target_groups.end()) return fail(tgh, "target-group", 503, "target group " + tg_arn + " does not exist");
  const TargetGroupView& tgv = tg_it->second;
  tgh.name = tgv.tg.target_group_name;
  trace.result.target_group = tgv.tg.target_group_name;
  if (!tgv.service_name.empty()) trace.result.service = tgv.service_namespace + "/" + tgv.service_name;
  tgh.fields = {{"targetType", tgv.tg.target_type},
                {"protocol", tgv.tg.protocol.value_or("") + ":" + std::to_string(tgv.tg.port.value_or(0))}};
  if (!tgv.service_name.empty()) {
    tgh.fields.push_back({"service", tgv.service_namespace + "/" + tgv.service_name + ":" + tgv.service_port});
  }
  std::vector<const TargetView*> healthy, unhealthy, all;
  std::map<std::string, int> by_state;
  for (const auto& t : tgv.targets) {
    all.push_back(&t);
    by_state[t.health.state]++;
    if (t.health.state == model::aws::kTargetStateHealthy) healthy.push_back(&t);
    if (t.health.state == model::aws::kTargetStateUnhealthy) unhealthy.push_back(&t);
  }
  std::vector<std::string> counts;
  for (const auto& [s, n] : by_state) counts.push_back(std::to_string(n) + " " + s);
  tgh.fields.push_back({"targets", counts.empty() ? "none" : Join(counts)});
  std::vector<const TargetView*> candidates = healthy;
  if (all.empty()) {
    // The classic Fargate pitfall: instance targets are nodes, and Fargate pods have none.
    auto sit = view_.services.find(tgv.service_namespace + "/" + tgv.service_name);
    if (tgv.tg.target_type == "instance" && sit != view_.services.end()) {
      size_t eps = 0, on_fargate = 0;
      for (const auto& [port, list] : sit->second.endpoints) {
        for (const auto& e : list) {
          ++eps;
          auto n = view_.nodes_by_name.find(e.node_name);
          if (n != view_.nodes_by_name.end() && n->second.fargate) ++on_fargate;
        }
      }
      if (eps > 0 && on_fargate == eps) {
        return fail(tgh, "target-group", 503,
                    "no registered targets: the Service's pods run on Fargate, and target-type instance registers "
                    "nodes (Fargate nodes are never registered, they have no NodePort): use target-type ip. "
                    "503 Service Unavailable");
      }
    }
    return fail(tgh, "target-group", 503, "no registered targets: 503 Service Unavailable");
  }
  if (healthy.empty()) {
    if (unhealthy.size() == all.size()) {
      candidates = unhealthy;
      tgh.detail = "every target is unhealthy: fail open, routing to all of them";
    } else {
      return fail(tgh, "target-group", 503,
                  "no healthy target (" + Join(counts) + "): 503 Service Unavailable");
    }
  } else {
    tgh.detail = std::to_string(healthy.size()) + " healthy target(s)";
  }

  const TargetView* target = PickTarget(tgv, tg_arn, candidates, req, state, &tgh);
  trace.hops.push_back(std::move(tgh));
  const int tport = target->target.port.value_or(tgv.tg.port.value_or(0));
  Hop th{"target", target->target.id + ":" + std::to_string(tport), true, "", {}, {}};
  th.fields = {{"health", target->health.state + (target->health.reason.empty() ? "" : " (" + target->health.reason + ")")}};
  if (target->target.availability_zone) th.fields.push_back({"zone", *target->target.availability_zone});
  trace.result.target = th.name;

  const PodView* pod = nullptr;
  if (tgv.tg.target_type == "instance") {
    auto nit = view_.nodes_by_instance.find(target->target.id);
    if (nit == view_.nodes_by_instance.end()) {
      return fail(th, "target", 502, "instance " + target->target.id + " is not a node of the cluster: 502 Bad Gateway");
    }
    const NodeView& node = nit->second;
    th.detail = "node " + node.name + " (" + node.ip + ")";
    trace.hops.push_back(std::move(th));
    if (view_.enforce_target_security_groups) {
      Hop sgh{"security-group", Join(node.security_groups), true, "", {}, {}};
      std::string by;
      if (!TargetSgAllows(view_, node.security_groups, lb.security_groups, tport, &by)) {
        return fail(sgh, "security-group", 504,
                    "no inbound rule of the node's security groups (" + Join(node.security_groups) +
                        ") lets the load balancer in on tcp " + std::to_string(tport) + ": the connection times out (504)");
      }
      sgh.detail = by;
      trace.hops.push_back(std::move(sgh));
    }
    // kube-proxy: which Service owns this node port?
    Hop np{"node-port", node.name + ":" + std::to_string(tport), true, "", {}, {}};
    const ServiceView* svc = nullptr;
    const ServicePortView* sp = nullptr;
    for (const auto& [_, s] : view_.services) {
      for (const auto& p : s.ports) {
        if (p.node_port == tport) {
          svc = &s;
          sp = &p;
        }
      }
    }
    if (!svc) return fail(np, "node-port", 502, "no Service has node port " + std::to_string(tport) + ": connection refused, 502");
    trace.result.service = svc->namespace_ + "/" + svc->name;
    np.fields = {{"service", svc->namespace_ + "/" + svc->name + ":" + std::to_string(sp->port)},
                 {"externalTrafficPolicy", svc->external_traffic_policy}};
    auto eit = svc->endpoints.find(sp->name);
    std::vector<const EndpointView*> ready, serving_terminating;
    if (eit != svc->endpoints.end()) {
      for (const auto& e : eit->second) {
        if (svc->external_traffic_policy == "Local" && e.node_name != node.name) continue;
        if (e.ready) ready.push_back(&e);
        else if (e.serving && e.terminating) serving_terminating.push_back(&e);
      }
    }
    auto& chosen_from = ready.empty() ? serving_terminating : ready;
    if (chosen_from.empty()) {
      if (svc->external_traffic_policy == "Local") {
        return fail(np, "node-port", 504,
                    "externalTrafficPolicy Local and no ready endpoint on " + node.name + ": kube-proxy drops the packets (timeout, 504)");
      }
      return fail(np, "node-port", 502, "the Service has no ready endpoint: kube-proxy rejects the connection (502)");
    }
    const EndpointView* ep = chosen_from[state.cursor["kp:" + svc->namespace_ + "/" + svc->name + ":" + sp->name]++ %
                                         chosen_from.size()];
    np.detail = "kube-proxy picks " + ep->pod_name + " (" + ep->ip + ":" + std::to_string(ep->port) + ") of " +
                std::to_string(chosen_from.size()) + (ready.empty() ? " serving-terminating" : " ready") + " endpoint(s)";
    trace.hops.push_back(std::move(np));
    auto pit = view_.pods_by_ip.find(ep->ip);
    if (pit != view_.pods_by_ip.end()) pod = &pit->second;
    if (!pod) {
      Hop ph{"pod", ep->pod_name, false, "", {}, {}};
      return fail(ph, "pod", 502, "endpoint " + ep->ip + " has no pod: 502");
    }
  } else {
    auto pit = view_.pods_by_ip.find(target->target.id);
    if (pit == view_.pods_by_ip.end()) {
      return fail(th, "target", 502, "no pod has IP " + target->target.id + ": the connection fails, 502 Bad Gateway");
    }
    pod = &pit->second;
    th.detail = "pod IP of " + pod->namespace_ + "/" + pod->name;
    trace.hops.push_back(std::move(th));
    if (view_.enforce_target_security_groups) {
      // VPC CNI: a pod's ENI carries its node's security groups (no security groups for pods).
      auto nit = view_.nodes_by_name.find(pod->node_name);
      std::vector<std::string> sgs = nit == view_.nodes_by_name.end() ? std::vector<std::string>{} : nit->second.security_groups;
      Hop sgh{"security-group", Join(sgs), true, "", {}, {}};
      std::string by;
      if (!TargetSgAllows(view_, sgs, lb.security_groups, tport, &by)) {
        return fail(sgh, "security-group", 504,
                    "no inbound rule of the pod's security groups (" + Join(sgs) + ") lets the load balancer in on tcp " +
                        std::to_string(tport) + ": the connection times out (504)");
      }
      sgh.detail = by;
      trace.hops.push_back(std::move(sgh));
    }
  }

  Hop ph{"pod", pod->namespace_ + "/" + pod->name, true, "", {}, {}};
  ph.fields = {{"ip", pod->ip}, {"node", pod->node_name}, {"ready", pod->ready ? "true" : "false"}};
  trace.result.pod = pod->name;
  trace.result.pod_ip = pod->ip;
  if (pod->phase != "Running" || !pod->containers_ready) {
    return fail(ph, "pod", 502, "pod " + pod->name + " is " + pod->phase + " and not serving: 502 Bad Gateway");
  }
  ph.detail = "served by " + pod->name + ": 200 OK";
  trace.hops.push_back(std::move(ph));
  trace.result.status = 200;
  trace.result.reason = "served by pod " + pod->namespace_ + "/" + pod->name;
  trace.request = std::move(req);
  return trace;
}

}  // namespace sim::traffic
