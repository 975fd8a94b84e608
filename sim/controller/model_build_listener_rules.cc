// Mirrors upstream pkg/ingress/model_build_listener_rules.go.
#include <algorithm>

#include "sim/controller/model_builder.h"

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

// Go fmt %s of a []string: [a b].
std::string GoList(const std::vector<std::string>& v) {
  std::string o = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += ' ';
    o += v[i];
  }
  return o + "]";
}

template <typename T>
void Append(std::vector<T>& dst, const std::optional<std::vector<T>>& src) {
  if (src) dst.insert(dst.end(), src->begin(), src->end());
}

}  // namespace

Status ModelBuildTask::BuildListenerRules(const ms::StringToken& ls_arn, int32_t port, const std::string& protocol,
                                          const std::vector<ClassifiedIngress>& ing_list) {
  if (ssl_redirect_config && protocol == "HTTP") return OkStatus();
  std::vector<Rule> rules;
  for (const auto& ing : ing_list) {
    const std::string ing_key = NamespacedName(*ing.ing);
    for (const auto& rule : ing.ing->rules) {
      if (!rule.has_http) continue;
      SIM_ASSIGN_OR_RETURN(auto paths, SortIngressPaths(rule.paths));
      for (const auto& path : paths) {
        if (enhanced_backend_builder == nullptr) {
          return MakeError(ErrorCode::kInternal, "no enhanced backend builder configured");
        }
        EnhancedBackendBuildOptions opts;
        opts.backend_services = &backend_services;
        auto backend = enhanced_backend_builder->Build(*ing.ing, path.backend, opts);
        if (!backend.ok()) return Wrap(backend.error(), "ingress: " + ing_key);
        auto conditions = BuildRuleConditions(ing, rule, path, backend.value());
        if (!conditions.ok()) return Wrap(conditions.error(), "ingress: " + ing_key);
        auto actions = BuildActions(protocol, ing, backend.value());
        if (!actions.ok()) return Wrap(actions.error(), "ingress: " + ing_key);
        auto transforms = BuildTransforms(backend.value());
        if (!transforms.ok()) return Wrap(transforms.error(), "ingress: " + ing_key);
        auto tags = BuildListenerRuleTags(ing);
        if (!tags.ok()) return Wrap(tags.error(), "ingress: " + ing_key);
        rules.push_back(Rule{conditions.value(), actions.value(), transforms.value(), tags.value()});
      }
    }
  }
  std::vector<Rule> optimized = rule_optimizer.Optimize(port, protocol, rules);
  int32_t priority = 1;
  for (auto& rule : optimized) {
    ms::ListenerRule lr;
    lr.id = std::to_string(port) + ":" + std::to_string(priority);
    lr.spec.listener_arn = ls_arn;
    lr.spec.priority = priority;
    lr.spec.conditions = std::move(rule.conditions);
    lr.spec.actions = std::move(rule.actions);
    lr.spec.transforms = std::move(rule.transforms);
    lr.spec.tags = std::move(rule.tags);
    if (ls_arn.HasStackDependency()) {
      stack.AddDependency({ls_arn.resource_type, ls_arn.resource_id}, {ms::ListenerRule::kType, lr.id});
    }
    (void)stack.Add(std::move(lr));
    ++priority;
  }
  return OkStatus();
}

Result<std::vector<mk::HttpIngressPath>> ModelBuildTask::SortIngressPaths(const std::vector<mk::HttpIngressPath>& paths) const {
  SIM_ASSIGN_OR_RETURN(ClassifiedPaths c, ClassifyIngressPathsByType(paths));
  std::vector<mk::HttpIngressPath> out = c.exact;
  std::stable_sort(c.prefix.begin(), c.prefix.end(),
                   [](const mk::HttpIngressPath& a, const mk::HttpIngressPath& b) { return a.path.size() > b.path.size(); });
  out.insert(out.end(), c.prefix.begin(), c.prefix.end());
  out.insert(out.end(), c.implementation_specific.begin(), c.implementation_specific.end());
  return out;
}

Result<ModelBuildTask::ClassifiedPaths> ModelBuildTask::ClassifyIngressPathsByType(
    const std::vector<mk::HttpIngressPath>& paths) const {
  ClassifiedPaths c;
  for (const auto& p : paths) {
    if (!p.path_type.has_value()) {
      c.implementation_specific.push_back(p);
    } else if (*p.path_type == "Exact") {
      c.exact.push_back(p);
    } else if (*p.path_type == "Prefix") {
      c.prefix.push_back(p);
    } else if (*p.path_type == "ImplementationSpecific") {
      c.implementation_specific.push_back(p);
    } else {
      return Err("unknown pathType for path " + p.path);
    }
  }
  return c;
}

Result<std::vector<ms::RuleCondition>> ModelBuildTask::BuildRuleConditions(const ClassifiedIngress& ing,
                                                                           const mk::IngressRule& rule,
                                                                           const mk::HttpIngressPath& path,
                                                                           const EnhancedBackend& backend) const {
  std::vector<std::string> host_values, host_regex, path_values, path_regex;
  if (!rule.host.empty()) host_values.push_back(rule.host);
  if (!path.path.empty()) {
    SIM_ASSIGN_OR_RETURN(PathPatterns pp, BuildPathPatterns(ing, path.path, path.path_type));
    Append(path_values, pp.values);
    Append(path_regex, pp.regex_values);
  }
  std::vector<ms::RuleCondition> conditions;
  if (backend.conditions) {
    for (const auto& c : *backend.conditions) {
      if (c.field == "host-header") {
        if (!c.host_header_config) return Err("missing HostHeaderConfig");
        Append(host_values, c.host_header_config->values);
        Append(host_regex, c.host_header_config->regex_values);
      } else if (c.field == "path-pattern") {
        if (!c.path_pattern_config) return Err("missing PathPatternConfig");
        Append(path_values, c.path_pattern_config->values);
        Append(path_regex, c.path_pattern_config->regex_values);
      } else if (c.field == "http-header") {
        if (!c.http_header_config) return Err("missing HTTPHeaderConfig");
        ms::RuleCondition rc;
        rc.field = ms::kRuleConditionFieldHTTPHeader;
        ms::HTTPHeaderConditionConfig h;
        h.http_header_name = c.http_header_config->http_header_name;
        Append(h.regex_values, c.http_header_config->regex_values);
        Append(h.values, c.http_header_config->values);
        rc.http_header_config = h;
        conditions.push_back(rc);
      } else if (c.field == "http-request-method") {
        if (!c.http_request_method_config) return Err("missing HTTPRequestMethodConfig");
        ms::RuleCondition rc;
        rc.field = ms::kRuleConditionFieldHTTPRequestMethod;
        ms::HTTPRequestMethodConditionConfig h;
        Append(h.values, c.http_request_method_config->values);
        rc.http_request_method_config = h;
        conditions.push_back(rc);
      } else if (c.field == "query-string") {
        if (!c.query_string_config) return Err("missing QueryStringConfig");
        ms::RuleCondition rc;
        rc.field = ms::kRuleConditionFieldQueryString;
        ms::QueryStringConditionConfig q;
        if (c.query_string_config->values) {
          for (const auto& kv : *c.query_string_config->values) q.values.push_back({kv.key, kv.value});
        }
        rc.query_string_config = q;
        conditions.push_back(rc);
      } else if (c.field == "source-ip") {
        if (!c.source_ip_config) return Err("missing SourceIPConfig");
        ms::RuleCondition rc;
        rc.field = ms::kRuleConditionFieldSourceIP;
        ms::SourceIPConditionConfig s;
        Append(s.values, c.source_ip_config->values);
        rc.source_ip_config = s;
        conditions.push_back(rc);
      }
    }
  }
  if (!host_values.empty() && !host_regex.empty()) {
    return Err("host condition must specify exactly one of Values and RegexValues, got both Values " + GoList(host_values) +
               " and RegexValues " + GoList(host_regex));
  }
  if (!path_values.empty() && !path_regex.empty()) {
    return Err("path condition must specify exactly one of Values and RegexValues, got both Values " + GoList(path_values) +
               " and RegexValues " + GoList(path_regex));
  }
  if (!host_values.empty()) {
    ms::RuleCondition rc;
    rc.field = ms::kRuleConditionFieldHostHeader;
    rc.host_header_config = ms::HostHeaderConditionConfig{{}, host_values};
    conditions.push_back(rc);
  }
  if (!host_regex.empty()) {
    ms::RuleCondition rc;
    rc.field = ms::kRuleConditionFieldHostHeader;
    rc.host_header_config = ms::HostHeaderConditionConfig{host_regex, {}};
    conditions.push_back(rc);
  }
  if (!path_values.empty()) {
    ms::RuleCondition rc;
    rc.field = ms::kRuleConditionFieldPathPattern;
    rc.path_pattern_config = ms::PathPatternConditionConfig{{}, path_values};
    conditions.push_back(rc);
  }
  if (!path_regex.empty()) {
    ms::RuleCondition rc;
    rc.field = ms::kRuleConditionFieldPathPattern;
    rc.path_pattern_config = ms::PathPatternConditionConfig{path_regex, {}};
    conditions.push_back(rc);
  }
  if (conditions.empty()) {
    ms::RuleCondition rc;
    rc.field = ms::kRuleConditionFieldPathPattern;
    rc.path_pattern_config = ms::PathPatternConditionConfig{{}, {"/*"}};
    conditions.push_back(rc);
  }
  return conditions;
}

Result<ModelBuildTask::PathPatterns> ModelBuildTask::BuildPathPatterns(const ClassifiedIngress& ing,
                                                                       const std::string& path,
                                                                       const std::optional<std::string>& path_type) const {
  const std::string t = path_type.value_or("ImplementationSpecific");
  if (t == "ImplementationSpecific") return BuildPathPatternsForImplementationSpecificPathType(ing, path);
  if (t == "Exact") return BuildPathPatternsForExactPathType(path);
  if (t == "Prefix") return BuildPathPatternsForPrefixPathType(path);
  return Err("unsupported pathType: " + t);
}

Result<ModelBuildTask::PathPatterns> ModelBuildTask::BuildPathPatternsForImplementationSpecificPathType(
    const ClassifiedIngress& ing, const std::string& path) const {
  bool use_regex = false;
  SIM_ASSIGN_OR_RETURN(bool exists,
                       annotation_parser.ParseBool(annotations::kUseRegexPathMatch, &use_regex, ing.ing->metadata.annotations));
  if (exists && use_regex) {
    return PathPatterns{std::vector<std::string>{}, std::vector<std::string>{path.substr(path.empty() ? 0 : 1)}};
  }
  return PathPatterns{std::vector<std::string>{path}, std::vector<std::string>{}};
}

Result<ModelBuildTask::PathPatterns> ModelBuildTask::BuildPathPatternsForExactPathType(const std::string& path) const {
  if (path.find_first_of("*?") != std::string::npos) return Err("exact path shouldn't contain wildcards: " + path);
  return PathPatterns{std::vector<std::string>{path}, std::vector<std::string>{}};
}

Result<ModelBuildTask::PathPatterns> ModelBuildTask::BuildPathPatternsForPrefixPathType(const std::string& path) const {
  if (path == "/") return PathPatterns{std::vector<std::string>{"/*"}, std::vector<std::string>{}};
  if (path.find_first_of("*?") != std::string::npos) return Err("prefix path shouldn't contain wildcards: " + path);
  std::string normalized = path;
  if (!normalized.empty() && normalized.back() == '/') normalized.pop_back();
  return PathPatterns{std::vector<std::string>{normalized, normalized + "/*"}, std::vector<std::string>{}};
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildListenerRuleTags(const ClassifiedIngress& ing) const {
  SIM_ASSIGN_OR_RETURN(auto ing_tags, BuildIngressResourceTags(ing));
  if (feature_gates.enable_default_tags_low_priority) return MergeStringMap({&ing_tags, &default_tags});
  return MergeStringMap({&default_tags, &ing_tags});
}

Result<std::vector<ms::Transform>> ModelBuildTask::BuildTransforms(const EnhancedBackend& backend) const {
  std::vector<ms::Transform> out;
  if (!backend.transforms) return out;
  for (const auto& t : *backend.transforms) {
    if (t.type == ing::kTransformTypeHostHeaderRewrite) {
      if (!t.host_header_rewrite_config) return Err("missing hostHeaderRewriteConfig");
      ms::RewriteConfigObject r;
      if (t.host_header_rewrite_config->rewrites) {
        for (const auto& rw : *t.host_header_rewrite_config->rewrites) r.rewrites.push_back({rw.regex, rw.replace});
      }
      ms::Transform mt;
      mt.type = ms::kTransformTypeHostHeaderRewrite;
      mt.host_header_rewrite_config = r;
      out.push_back(mt);
    } else if (t.type == ing::kTransformTypeUrlRewrite) {
      if (!t.url_rewrite_config) return Err("missing urlRewriteConfig");
      ms::RewriteConfigObject r;
      if (t.url_rewrite_config->rewrites) {
        for (const auto& rw : *t.url_rewrite_config->rewrites) r.rewrites.push_back({rw.regex, rw.replace});
      }
      ms::Transform mt;
      mt.type = ms::kTransformTypeUrlRewrite;
      mt.url_rewrite_config = r;
      out.push_back(mt);
    } else {
      return Err("unknown transform type: " + t.type);
    }
  }
  return out;
}

}  // namespace sim::controller
