// albtwin_bench: generates a cluster of N Ingresses and measures how long the twin takes to settle
// it (wall time, time per Ingress, peak RSS). Driven by tools/bench; figures go in the README.
//
//   albtwin_bench --ingresses 1000 [--groups 0] [--replicas 1] [--nodes 3] [--ip]
//   albtwin_bench --model-group N [--repeat K]
//
// --groups 0 puts every Ingress in its own (implicit) group: one ALB each. --groups G spreads
// them over G explicit groups (one ALB per group).
// --model-group N builds the model of ONE explicit group of N member Ingresses (each with its own
// Service) K times, offline (sim/scenario/plan.h: no controller, AWS untouched), and prints the mean
// wall time of one build (upstream modelBuilder.Build; no marshalling). Target: < 5 ms for N=100.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "sim/scenario/loader.h"
#include "sim/scenario/plan.h"
#include "sim/scenario/runner.h"

namespace {

std::string GenerateScenario(int ingresses, int groups, int replicas, int nodes, bool ip) {
  std::ostringstream y;
  const int lbs = groups > 0 ? groups : ingresses;
  y << "name: bench\n"
    << "world:\n"
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
    y << "    - {az: us-west-2" << azs[n % 3] << ", ip: 10.0." << 64 * (n % 3 + 1) + n / 3 / 250 << "."
      << 10 + (n / 3) % 250 << "}\n";
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
      << "      spec: {type: NodePort, selector: {app: " << name << "}, ports: [{port: 80, targetPort: 8080}]}\n"
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
  int model_group = 0, repeat = 200;
  app.add_option("--model-group", model_group, "time the model build of one group of N members instead")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat,-k", repeat, "builds to average over (--model-group)")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (model_group > 0) return ModelGroupBench(model_group, repeat);

  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  const std::string text = GenerateScenario(ingresses, groups, replicas, nodes, ip);
  auto loaded = sim::scenario::LoadScenarioText(text, "bench.yaml");
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    return 2;
  }
  auto t1 = Clock::now();
  // The bench measures settling; rendering the final state as JSON is a report's cost, not the
  // twin's, so it is left out (the figures say so).
  sim::scenario::RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  sim::scenario::RunRecord rec = sim::scenario::RunScenario(loaded.scenario, options);
  auto t2 = Clock::now();
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const double load_s = std::chrono::duration<double>(t1 - t0).count();
  const double run_s = std::chrono::duration<double>(t2 - t1).count();
  size_t calls = 0;
  for (const auto& c : rec.api_calls) calls += c.caller == "controller" ? 1 : 0;
  std::printf("ingresses=%d groups=%d replicas=%d nodes=%d target-type=%s\n", ingresses, groups, replicas, nodes,
              ip ? "ip" : "instance");
  std::printf("load (generate + parse + decode): %.3f s\n", load_s);
  std::printf("settle (world setup + controller to steady state): %.3f s wall, %.3f ms per Ingress\n", run_s,
              1000.0 * run_s / ingresses);
  std::printf("simulated time to settle: %s, controller AWS calls: %zu\n", sim::FormatSeconds(rec.end_time).c_str(),
              calls);
  std::printf("peak RSS: %.1f MiB\n", ru.ru_maxrss / 1024.0);
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
