// albtwin_bench: generates a cluster of N Ingresses and measures how long the twin takes to settle
// it (wall time, time per Ingress, peak RSS). Driven by tools/bench; figures go in the README.
//
//   albtwin_bench --ingresses 1000 [--groups 0] [--replicas 1] [--nodes 3] [--ip]
//   albtwin_bench --model-group N [--repeat K]
//   albtwin_bench --route [--rules 100] [--seconds 1]
//   albtwin_bench --describe [--seconds 1]
//
// --groups 0 puts every Ingress in its own (implicit) group: one ALB each. --groups G spreads
// them over G explicit groups (one ALB per group).
// --model-group N builds the model of ONE explicit group of N member Ingresses (each with its own
// Service) K times, offline (sim/scenario/plan.h: no controller, AWS untouched), and prints the mean
// wall time of one build (upstream modelBuilder.Build; no marshalling). Target: < 5 ms for N=100.
// --route measures the ALB data plane on one core against one HTTP:80 listener with R rules (host +
// path conditions, 10 ip target groups of 3 healthy pods): routing decisions/s (which rule answers,
// sim/traffic/rule_index.h) and full traces/s (every hop, with why each earlier rule missed,
// Router::Route). Targets: >= 1M decisions/s and >= 100k traces/s for R=100.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "sim/aws/fake_aws.h"
#include "sim/base/heap_prefault.h"
#include "sim/base/small_alloc.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/plan.h"
#include "sim/scenario/runner.h"
#include "sim/traffic/router.h"
#include "sim/traffic/rule_index.h"

namespace {

// `restricted_sg_rules`: instance targets open each NodePort on the node security group with its
// own rule (upstream's default). Off, the controller runs with --disable-restricted-sg-rules: one
// all-ports rule from the backend SG. A node SG holds at most 60 rules by default and 1,000 at most
// (AWS quota), so a cluster of thousands of NodePort Services must run that way: with per-port
// rules most TGBs fail with RulesPerSecurityGroupLimitExceeded and retry.
std::string GenerateScenario(int ingresses, int groups, int replicas, int nodes, bool ip, bool restricted_sg_rules) {
  std::ostringstream y;
  const int lbs = groups > 0 ? groups : ingresses;
  y << "name: bench\n"
    << "world:\n"
    << "  maxPodsPerNode: " << std::max(110, (ingresses * replicas + nodes - 1) / nodes + 10) << "\n"
    << "  subnets:\n";
  const char* azs[] = {"a", "b", "c"};
  for (int i = 0; i < 3; ++i) {
    y << "    - {id: subnet-pub-" << azs[i] << ", az: us-west-2" << azs[i] << ", cidr: 10.0." << 16 * i
      << ".0/20, public: true, tags: {kubernetes.io/role/elb: \"1\"}}\n";
  }
  for (int i = 0; i < 3; ++i) {
    y << "    - {id: subnet-priv-" << azs[i] << ", az: us-west-2" << azs[i] << ", cidr: 10.0." << 64 * (i + 1)
      << ".0/18, tags: {kubernetes.io/role/internal-elb: \"1\"}}\n";
  }
  y << "  nodes:\n";
  for (int n = 0; n < nodes; ++n) {
    // 240 nodes per /24 (host part 10..249) in each AZ's /18.
    y << "    - {az: us-west-2" << azs[n % 3] << ", ip: 10.0." << 64 * (n % 3 + 1) + n / 3 / 240 << "."
      << 10 + (n / 3) % 240 << "}\n";
  }
  y << "  quotas:\n"
    << "    application-load-balancers: " << lbs + 10 << "\n"
    << "    target-groups: " << ingresses + 10 << "\n"
    << "    security-groups-per-region: " << lbs + 100 << "\n"
    << "    rules-per-application-load-balancer: 1000\n"
    << "    target-groups-per-application-load-balancer: 1000\n"
    << "    targets-per-application-load-balancer: 100000\n"
    << "    targets-per-target-group: 100000\n"
    << "controller:\n"
    << "  defaultTargetType: " << (ip ? "ip" : "instance") << "\n"
    << (ip || restricted_sg_rules ? "" : "  disableRestrictedSGRules: true\n")
    << "objects:\n"
    << "  - inline: |\n"
    << "      apiVersion: networking.k8s.io/v1\n"
    << "      kind: IngressClass\n"
    << "      metadata: {name: alb}\n"
    << "      spec: {controller: ingress.k8s.aws/alb}\n";
  for (int i = 0; i < ingresses; ++i) {
    const std::string name = "app" + std::to_string(i);
    y << "      ---\n"
      << "      apiVersion: apps/v1\n"
      << "      kind: Deployment\n"
      << "      metadata: {name: " << name << ", namespace: default}\n"
      << "      spec:\n"
      << "        replicas: " << replicas << "\n"
      << "        selector: {matchLabels: {app: " << name << "}}\n"
      << "        template:\n"
      << "          metadata: {labels: {app: " << name << "}}\n"
      << "          spec: {containers: [{name: app, image: nginx:1.27, ports: [{containerPort: 8080}]}]}\n"
      << "      ---\n"
      << "      apiVersion: v1\n"
      << "      kind: Service\n"
      << "      metadata: {name: " << name << ", namespace: default}\n"
      // ip targets need no node port (and 20,000 Services would not fit the 30000-32767 range)
      << "      spec: {type: " << (ip ? "ClusterIP" : "NodePort") << ", selector: {app: " << name
      << "}, ports: [{port: 80, targetPort: 8080}]}\n"
      << "      ---\n"
      << "      apiVersion: networking.k8s.io/v1\n"
      << "      kind: Ingress\n"
      << "      metadata:\n"
      << "        name: " << name << "\n"
      << "        namespace: default\n";
    if (groups > 0) {
      y << "        annotations: {alb.ingress.kubernetes.io/group.name: group" << i % groups << "}\n";
    }
    y << "      spec:\n"
      << "        ingressClassName: alb\n"
      << "        rules: [{http: {paths: [{path: /" << name << ", pathType: Prefix, backend: {service: {name: " << name
      << ", port: {number: 80}}}}]}}]\n";
  }
  y << "steps:\n"
    << "  - settle: {}\n"
    << "  - expect: {loadBalancers: " << lbs << ", targetGroups: " << ingresses << "}\n";
  return y.str();
}

int ModelGroupBench(int members, int repeat) {
  using Clock = std::chrono::steady_clock;
  std::ostringstream y;
  y << "name: bench-model-group\n"
    << "objects:\n"
    << "  - inline: |\n"
    << "      apiVersion: networking.k8s.io/v1\n"
    << "      kind: IngressClass\n"
    << "      metadata: {name: alb}\n"
    << "      spec: {controller: ingress.k8s.aws/alb}\n";
  for (int i = 0; i < members; ++i) {
    const std::string name = "app" + std::to_string(i);
    y << "      ---\n"
      << "      apiVersion: v1\n"
      << "      kind: Service\n"
      << "      metadata: {name: " << name << ", namespace: default}\n"
      << "      spec: {type: NodePort, selector: {app: " << name << "}, ports: [{port: 80, targetPort: 8080}]}\n"
      << "      ---\n"
      << "      apiVersion: networking.k8s.io/v1\n"
      << "      kind: Ingress\n"
      << "      metadata:\n"
      << "        name: " << name << "\n"
      << "        namespace: default\n"
      << "        annotations: {alb.ingress.kubernetes.io/group.name: bench}\n"
      << "      spec:\n"
      << "        ingressClassName: alb\n"
      << "        rules: [{http: {paths: [{path: /" << name << ", pathType: Prefix, backend: {service: {name: "
      << name << ", port: {number: 80}}}}]}}]\n";
  }
  y << "steps:\n  - settle: {}\n";
  auto loaded = sim::scenario::LoadScenarioText(y.str(), "bench-model-group.yaml");
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    return 2;
  }
  sim::scenario::Planner planner(loaded.scenario);
  if (auto s = planner.Setup(); !s.ok()) {
    std::cerr << "setup: " << s.error().message << "\n";
    return 2;
  }
  // First build: loads the group and warms the caches a running controller has warm (subnets,
  // backend SG, tags); then K timed builds.
  auto first = planner.Build("bench", /*marshal=*/true);
  if (!first.ok()) {
    std::cerr << "FAILED bench: " << first.error().message << "\n";
    return 1;
  }
  auto t0 = Clock::now();
  for (int k = 0; k < repeat; ++k) {
    auto r = planner.Build("bench", /*marshal=*/false);
    if (!r.ok()) {
      std::cerr << "FAILED bench: " << r.error().message << "\n";
      return 1;
    }
  }
  const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  auto m0 = Clock::now();
  for (int k = 0; k < repeat; ++k) (void)planner.Build("bench", /*marshal=*/true);
  const double marshal_ms = std::chrono::duration<double, std::milli>(Clock::now() - m0).count();
  std::printf("model-group members=%d builds=%d stack-json=%zu bytes\n", members, repeat, first.value().size());
  std::printf("model build: %.3f ms mean (wall)%s\n", total_ms / repeat, total_ms / repeat < 5.0 ? "" : "  [over 5 ms target]");
  std::printf("model build + MarshalStack: %.3f ms mean (wall)\n", marshal_ms / repeat);
  std::printf("AWS calls while planning: %zu (mutating: %zu)\n", planner.AwsCallsSinceSetup().size(),
              planner.MutatingCallsSinceSetup());
  return 0;
}

// A WorldView with one internet-facing ALB, one HTTP:80 listener with `rules` rules (rule i: host
// svc<i%10>.example.com AND path /api<i>/*, forward to TG i%10), 10 ip TGs of 3 healthy pods.
sim::traffic::WorldView RouteBenchView(int rules) {
  namespace ma = sim::model::aws;
  sim::traffic::WorldView v;
  v.region = "us-west-2";
  v.vpc_cidr = "10.0.0.0/16";
  sim::traffic::LoadBalancerView lbv;
  lbv.lb.load_balancer_arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/bench/0123456789abcdef";
  lbv.lb.load_balancer_name = "bench";
  lbv.lb.dns_name = "bench-1234567890.us-west-2.elb.amazonaws.com";
  lbv.lb.scheme = ma::kSchemeInternetFacing;
  lbv.lb.state.code = ma::kLbStateActive;
  lbv.lb.security_groups = {"sg-bench"};
  ma::SecurityGroup sg;
  sg.group_id = "sg-bench";
  ma::IpPermission perm;
  perm.ip_protocol = "tcp";
  perm.from_port = 80;
  perm.to_port = 80;
  perm.ip_ranges.push_back({"0.0.0.0/0"});
  sg.ip_permissions.push_back(perm);
  v.security_groups[sg.group_id] = sg;
  sim::traffic::ListenerView lis;
  lis.listener.listener_arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/bench/0123456789abcdef/1";
  lis.listener.protocol = "HTTP";
  lis.listener.port = 80;
  ma::Action fixed;
  fixed.type = "fixed-response";
  fixed.fixed_response_config = ma::FixedResponseActionConfig{};
  fixed.fixed_response_config->status_code = "404";
  lis.listener.default_actions.push_back(fixed);
  auto tg_arn = [](int i) {
    return "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/bench-" + std::to_string(i) + "/0123456789abcdef";
  };
  for (int i = 0; i < 10; ++i) {
    sim::traffic::TargetGroupView tgv;
    tgv.tg.target_group_arn = tg_arn(i);
    tgv.tg.target_group_name = "bench-" + std::to_string(i);
    tgv.tg.target_type = "ip";
    tgv.tg.protocol = "HTTP";
    tgv.tg.port = 8080;
    for (int k = 0; k < 3; ++k) {
      const std::string ip = "10.0.64." + std::to_string(10 + i * 3 + k);
      sim::traffic::TargetView t;
      t.target.id = ip;
      t.target.port = 8080;
      t.health.state = ma::kTargetStateHealthy;
      tgv.targets.push_back(t);
      sim::traffic::PodView pod;
      pod.namespace_ = "default";
      pod.name = "svc" + std::to_string(i) + "-" + std::to_string(k);
      pod.ip = ip;
      pod.node_name = "node-1";
      pod.phase = "Running";
      pod.ready = pod.containers_ready = true;
      v.pods_by_ip[ip] = pod;
    }
    v.target_groups[tgv.tg.target_group_arn] = tgv;
  }
  for (int i = 0; i < rules; ++i) {
    ma::Rule r;
    r.rule_arn = lis.listener.listener_arn + "/rule-" + std::to_string(i);
    r.priority = std::to_string(i + 1);
    ma::RuleCondition host;
    host.field = "host-header";
    host.host_header_config = ma::HostHeaderConditionConfig{};
    host.host_header_config->values = {"svc" + std::to_string(i % 10) + ".example.com"};
    ma::RuleCondition path;
    path.field = "path-pattern";
    path.path_pattern_config = ma::PathPatternConditionConfig{};
    path.path_pattern_config->values = {"/api" + std::to_string(i) + "/*"};
    r.conditions = {host, path};
    ma::Action fwd;
    fwd.type = "forward";
    fwd.target_group_arn = tg_arn(i % 10);
    r.actions.push_back(fwd);
    lis.rules.push_back(r);
  }
  lbv.listeners.push_back(lis);
  v.load_balancers.push_back(lbv);
  return v;
}

int RouteBench(int rules, double seconds) {
  using Clock = std::chrono::steady_clock;
  const sim::traffic::WorldView view = RouteBenchView(rules);
  // 64 requests: spread over every rule (early, middle, late priorities), plus misses.
  std::vector<sim::traffic::Request> reqs;
  for (int k = 0; k < 64; ++k) {
    sim::traffic::Request r;
    const int i = (k * 37) % (rules + rules / 8 + 1);  // some indexes past the last rule: default action
    r.url = "http://" + view.load_balancers[0].lb.dns_name + "/api" + std::to_string(i) + "/items?id=" + std::to_string(k);
    r.headers["Host"] = "svc" + std::to_string(i % 10) + ".example.com";
    std::string err;
    if (!sim::traffic::ParseUrl(&r, &err)) {
      std::cerr << err << "\n";
      return 2;
    }
    r.source_ip = "203.0.113.10";
    sim::traffic::PrepareRequest(&r);  // a client builds its request once
    reqs.push_back(r);
  }
  const sim::traffic::CompiledListener compiled(view.load_balancers[0].listeners[0].rules);
  // Cross-check: the compiled decision equals the full trace's rule for every request.
  sim::traffic::Router router(view);
  sim::traffic::RouterState state;
  for (const auto& r : reqs) {
    const int idx = compiled.Match(r);
    auto tr = router.Route(r, state);
    const int want = tr.result.rule_priority.value_or(-1);
    if ((idx < 0 ? 0 : idx + 1) != want) {
      std::cerr << "decision mismatch for " << r.url << ": compiled " << idx << ", trace priority " << want << "\n";
      return 1;
    }
  }
  auto measure = [&](auto&& one) {
    uint64_t n = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
      for (int rep = 0; rep < 16; ++rep) {
        for (const auto& r : reqs) one(r);
      }
      n += 16 * reqs.size();
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    return n / elapsed;
  };
  volatile int sink = 0;
  const double decisions = measure([&](const sim::traffic::Request& r) { sink = sink + compiled.Match(r); });
  const double traces = measure([&](const sim::traffic::Request& r) {
    auto tr = router.Route(r, state);
    sink = sink + tr.result.status;
  });
  std::printf("route bench: 1 listener, %d rules (host + path), 10 ip target groups x 3 pods, one core\n", rules);
  std::printf("routing decisions: %.0f /s (%.0f ns each)\n", decisions, 1e9 / decisions);
  std::printf("full traces:       %.0f /s (%.0f ns each)\n", traces, 1e9 / traces);
  const bool ok = rules != 100 || (decisions >= 1e6 && traces >= 1e5);
  std::printf("RESULT: %s\n", ok ? "targets met (>= 1M decisions/s, >= 100k traces/s)" : "below target");
  return ok ? 0 : 1;
}

// Simple Describe calls against the fake ELBv2 of a settled 100-ALB world, in process, one core:
// DescribeLoadBalancers of one ARN (rotating over all), each served in full (fault plan, IAM, the
// call, the call log) — with parameter digests (the default) and without.
int DescribeBench(double seconds) {
  using Clock = std::chrono::steady_clock;
  auto loaded = sim::scenario::LoadScenarioText(GenerateScenario(100, 0, 1, 3, false, false), "bench.yaml");
  if (!loaded.ok()) return 2;
  sim::scenario::RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  int rc = 1;
  options.inspect_aws = [&](sim::aws::FakeAws& aws) {
    auto all = aws.elbv2().DescribeLoadBalancers(sim::aws::ControllerCall(), {});
    if (!all.ok() || all.value().empty()) return;
    std::vector<sim::aws::DescribeLoadBalancersRequest> reqs;
    for (const auto& lb : all.value()) reqs.push_back({{lb.load_balancer_arn}, {}});
    auto measure = [&](bool digests) {
      aws.log().set_record_digests(digests);
      uint64_t n = 0, failed = 0;
      const auto start = Clock::now();
      double elapsed = 0;
      while (elapsed < seconds) {
        for (const auto& r : reqs) failed += aws.elbv2().DescribeLoadBalancers(sim::aws::ControllerCall(), r).ok() ? 0 : 1;
        n += reqs.size();
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      }
      if (failed) std::printf("(%llu calls failed)\n", static_cast<unsigned long long>(failed));
      return n / elapsed;
    };
    const double with = measure(true), without = measure(false);
    std::printf("describe bench: DescribeLoadBalancers of one ARN, 100 ALBs, one core, every call logged\n");
    std::printf("with parameter digests:    %.0f calls/s (%.0f ns each)\n", with, 1e9 / with);
    std::printf("without parameter digests: %.0f calls/s (%.0f ns each)\n", without, 1e9 / without);
    const bool ok = with >= 1e6 || without >= 1e6;
    std::printf("RESULT: %s\n", with >= 1e6 ? "target met (>= 1M calls/s)"
                                            : (ok ? "target met only with digests off" : "below target"));
    rc = with >= 1e6 ? 0 : 1;
  };
  sim::scenario::RunScenario(loaded.scenario, options);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"albtwin_bench: settle a generated cluster and report time and memory"};
  int ingresses = 100, groups = 0, replicas = 1, nodes = 3;
  bool ip = false;
  app.add_option("--ingresses,-n", ingresses, "number of Ingresses")->check(CLI::PositiveNumber);
  app.add_option("--groups,-g", groups, "explicit groups to spread them over (0 = one implicit group each)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--replicas,-r", replicas, "pods per Service")->check(CLI::NonNegativeNumber);
  app.add_option("--nodes", nodes, "worker nodes")->check(CLI::Range(1, 3000));
  app.add_flag("--ip", ip, "target-type ip instead of instance");
  bool restricted_sg_rules = false;
  app.add_flag("--restricted-sg-rules", restricted_sg_rules,
               "instance targets: one node-SG rule per NodePort (upstream's default; thousands of Services exceed "
               "the SG rules quota) instead of --disable-restricted-sg-rules");
  int model_group = 0, repeat = 200;
  app.add_option("--model-group", model_group, "time the model build of one group of N members instead")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat,-k", repeat, "builds to average over (--model-group)")->check(CLI::PositiveNumber);
  bool route = false;
  int route_rules = 100;
  double route_seconds = 1.0;
  app.add_flag("--route", route, "measure routing decisions/s and full traces/s instead");
  app.add_option("--rules", route_rules, "rules on the listener (--route)")->check(CLI::Range(1, 100));
  bool describe = false;
  app.add_flag("--describe", describe, "measure simple fake ELBv2 Describe calls/s instead");
  app.add_option("--seconds", route_seconds, "measuring time per figure (--route, --describe)")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (route) return RouteBench(route_rules, route_seconds);
  if (describe) return DescribeBench(route_seconds);
  if (model_group > 0) return ModelGroupBench(model_group, repeat);

  using Clock = std::chrono::steady_clock;
  // As `albtwin` does: the heap's fresh memory is faulted in on a second core (heap_prefault.h).
  sim::HeapPrefaulter prefault;
  auto t0 = Clock::now();
  const std::string text = GenerateScenario(ingresses, groups, replicas, nodes, ip, restricted_sg_rules);
  auto loaded = sim::scenario::LoadScenarioText(text, "bench.yaml");
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    return 2;
  }
  auto t1 = Clock::now();
  // CPU time of the simulation's (main) thread so far, user and system apart, and its page faults:
  // the settle's CPU time is told apart from its wall time, which a busy host stretches, and the
  // system time is mostly the kernel handing out fresh (zeroed) memory, which costs more on a VM
  // whose host has taken back the guest's free memory (free page reporting) than on one that has
  // not (and less with the prefault thread doing it on the other core).
  struct CpuUse {
    double user = 0, system = 0;
    long minor_faults = 0;
  };
  auto cpu_use = [] {
    struct rusage r {};
    getrusage(RUSAGE_THREAD, &r);  // the simulation's thread (the prefault thread is reported apart)
    auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
    return CpuUse{secs(r.ru_utime), secs(r.ru_stime), r.ru_minflt};
  };
  const CpuUse cpu1 = cpu_use();
  // The prefault thread's share from here on (it started before the generation and parsing).
  const double prefault_cpu1 = prefault.cpu_seconds();
  const size_t prefault_bytes1 = prefault.populated_bytes();
  CpuUse cpu_settled = cpu1;
  double prefault_cpu = 0;  // the prefault thread's, at the same point
  size_t prefault_bytes = 0;
  // The bench measures settling; rendering the final state as JSON is a report's cost, not the
  // twin's, so it is left out (the figures say so).
  sim::scenario::RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  // Called once the steps have run and the run record is complete, just before the world is freed:
  // settling ends there; freeing the world is timed apart.
  auto t_settled = t1;
  options.inspect_aws = [&](sim::aws::FakeAws&) {
    t_settled = Clock::now();
    cpu_settled = cpu_use();
    prefault_cpu = prefault.cpu_seconds() - prefault_cpu1;
    prefault_bytes = prefault.populated_bytes() - prefault_bytes1;
  };
  sim::scenario::RunRecord rec = sim::scenario::RunScenario(loaded.scenario, options);
  auto t2 = Clock::now();
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const double load_s = std::chrono::duration<double>(t1 - t0).count();
  const double run_s = std::chrono::duration<double>(t_settled - t1).count();
  const double teardown_s = std::chrono::duration<double>(t2 - t_settled).count();
  // The controller's calls: how many, by operation, and the failed ones by operation and code.
  const sim::aws::CallTally tally = sim::aws::TallyCalls(rec.api_calls, "controller");
  std::printf("ingresses=%d groups=%d replicas=%d nodes=%d target-type=%s%s\n", ingresses, groups, replicas, nodes,
              ip ? "ip" : "instance", ip ? "" : restricted_sg_rules ? " (per-port node-SG rules)" : " (--disable-restricted-sg-rules)");
  std::printf("load (generate + parse + decode): %.3f s\n", load_s);
  std::printf("settle (world setup + controller to steady state + run record): %.3f s wall, %.3f ms per Ingress\n",
              run_s, 1000.0 * run_s / ingresses);
  std::printf("settle CPU time: %.3f s (user %.3f s, system %.3f s; %ld minor page faults) on the simulation's thread\n",
              cpu_settled.user - cpu1.user + cpu_settled.system - cpu1.system, cpu_settled.user - cpu1.user,
              cpu_settled.system - cpu1.system, cpu_settled.minor_faults - cpu1.minor_faults);
  if (prefault.active()) {
    std::printf("heap prefault thread, during the settle: %.0f MiB populated on a second core, %.3f s CPU\n",
                prefault_bytes / 1048576.0, prefault_cpu);
  } else {
    std::printf("heap prefault thread: off (%s)\n", prefault.why_not());
  }
  std::printf("teardown (freeing the world afterwards): %.3f s wall; settle + teardown: %.3f s\n", teardown_s,
              run_s + teardown_s);
  std::printf("simulated time to settle: %s, controller AWS calls: %zu\n", sim::FormatSeconds(rec.end_time).c_str(),
              tally.total);
  std::printf("peak RSS: %.1f MiB\n", ru.ru_maxrss / 1024.0);
  const sim::SmallAllocState blocks = sim::SmallAlloc();
  if (blocks.active) {
    std::printf("small-block allocator: %.0f MiB carved into size-class slabs (blocks up to %zu bytes; sim/base/small_alloc.h)\n",
                (blocks.frontier - blocks.begin) / 1048576.0, sim::kSmallAllocMaxBlock);
  } else {
    std::printf("small-block allocator: off (%s)\n", blocks.why_not);
  }
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::printf("glibc malloc tunables: %s\n", tunables != nullptr && *tunables != 0 ? tunables : "(defaults)");
  std::printf("controller calls by operation:");
  for (const auto& [op, n] : tally.by_operation) std::printf(" %s=%zu", op.c_str(), n);
  std::printf("\n");
  std::printf("controller call errors:%s", tally.errors.empty() ? " none" : "");
  for (const auto& [what, n] : tally.errors) std::printf(" [%s: %s]=%zu", what.first.c_str(), what.second.c_str(), n);
  std::printf("\n");
  if (!tally.errors.empty()) {
    std::printf("RESULT: the controller's AWS calls failed (above): the world did not settle cleanly\n");
    return 1;
  }
  if (!rec.passed) {
    std::printf("RESULT: the cluster did not converge as expected:\n");
    for (const auto& s : rec.steps) {
      for (const auto& e : s.errors) std::printf("  %s\n", e.c_str());
    }
    if (!rec.fatal_error.empty()) std::printf("  %s\n", rec.fatal_error.c_str());
    return 1;
  }
  std::printf("RESULT: converged\n");
  return 0;
}
