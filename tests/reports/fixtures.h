#pragma once
// Hand-made run records for the report tests: one Ingress (default/web, paths /api and /) made into
// one ALB with one HTTP:80 listener, two rules, two target groups (instance targets on two nodes),
// its security groups, and the Kubernetes objects behind it. Independent of the controller, so the
// report tests hold while the controller changes.

#include <string>

#include "sim/scenario/run_record.h"

namespace sim::reports::testing {

inline constexpr const char* kLbArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-default-web-1111111111/aaaa";
inline constexpr const char* kListenerArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/k8s-default-web-1111111111/aaaa/bbbb";
inline constexpr const char* kApiTgArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-default-api-2222222222/cccc";
inline constexpr const char* kWebTgArn =
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-default-webapp-3333333333/dddd";

// The "aws" section. `api_target_type` and `scheme` let diff tests force replacements;
// `health_path` an in-place change; `extra_rule` adds a third rule.
inline std::string AwsJson(const std::string& scheme = "internet-facing", const std::string& api_target_type = "instance",
                           const std::string& health_path = "/", bool extra_rule = false) {
  std::string lb = kLbArn, l = kListenerArn, api = kApiTgArn, web = kWebTgArn;
  std::string rule_prefix =
      "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/k8s-default-web-1111111111/aaaa/bbbb/";
  std::string rules = R"([
    {"RuleArn": ")" + rule_prefix + R"(r1", "Priority": "1", "IsDefault": false,
     "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api", "/api/*"]}}],
     "Actions": [{"Type": "forward", "TargetGroupArn": ")" + api + R"(",
                  "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": ")" + api + R"(", "Weight": 1}]}}]},
    {"RuleArn": ")" + rule_prefix + R"(r2", "Priority": "2", "IsDefault": false,
     "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}],
     "Actions": [{"Type": "forward", "TargetGroupArn": ")" + web + R"(",
                  "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": ")" + web + R"(", "Weight": 1}]}}]},)";
  if (extra_rule) {
    rules += R"(
    {"RuleArn": ")" + rule_prefix + R"(r3", "Priority": "3", "IsDefault": false,
     "Conditions": [{"Field": "host-header", "HostHeaderConfig": {"Values": ["x.example.com"]}}],
     "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "418"}}]},)";
  }
  rules += R"(
    {"RuleArn": ")" + rule_prefix + R"(default", "Priority": "default", "IsDefault": true, "Conditions": [],
     "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]}
  ])";
  auto tg_json = [&](const std::string& arn, const std::string& name, const std::string& type, int port) {
    return R"({"TargetGroupArn": ")" + arn + R"(", "TargetGroupName": ")" + name + R"(", "Protocol": "HTTP", "Port": )" +
           std::to_string(port) + R"(, "VpcId": "vpc-0demo", "HealthCheckPath": ")" + health_path +
           R"(", "LoadBalancerArns": [")" + lb + R"("], "TargetType": ")" + type + R"("})";
  };
  auto tags = [](const std::string& resource) {
    return R"([{"Key": "elbv2.k8s.aws/cluster", "Value": "demo"}, {"Key": "ingress.k8s.aws/stack", "Value": "default/web"},
               {"Key": "ingress.k8s.aws/resource", "Value": ")" + resource + R"("}])";
  };
  auto target = [](const std::string& id, int port, const std::string& az) {
    return R"({"Target": {"Id": ")" + id + R"(", "Port": )" + std::to_string(port) + R"(, "AvailabilityZone": ")" + az +
           R"("}, "HealthCheckPort": ")" + std::to_string(port) + R"(", "TargetHealth": {"State": "healthy"}})";
  };
  return R"({
  "LoadBalancers": [{"LoadBalancerArn": ")" + lb + R"(", "DNSName": "k8s-default-web-1111111111-123.us-west-2.elb.amazonaws.com",
    "CreatedTime": "2026-01-01T00:00:05.000Z", "LoadBalancerName": "k8s-default-web-1111111111", "Scheme": ")" + scheme + R"(",
    "VpcId": "vpc-0demo", "State": {"Code": "active"}, "Type": "application",
    "AvailabilityZones": [{"ZoneName": "us-west-2a", "SubnetId": "subnet-pub-a"}, {"ZoneName": "us-west-2b", "SubnetId": "subnet-pub-b"}],
    "SecurityGroups": ["sg-0managed", "sg-0backend"], "IpAddressType": "ipv4"}],
  "Listeners": [{"ListenerArn": ")" + l + R"(", "LoadBalancerArn": ")" + lb + R"(", "Port": 80, "Protocol": "HTTP",
    "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]}],
  "Rules": )" + rules + R"(,
  "TargetGroups": [)" + tg_json(api, "k8s-default-api-2222222222", api_target_type, 30080) + ", " +
         tg_json(web, "k8s-default-webapp-3333333333", "instance", 30081) + R"(],
  "TargetHealth": {")" + api + R"(": [)" + target("i-0node0a", 30080, "us-west-2a") + ", " + target("i-0node0b", 30080, "us-west-2b") +
         R"(], ")" + web + R"(": [)" + target("i-0node0a", 30081, "us-west-2a") + ", " + target("i-0node0b", 30081, "us-west-2b") + R"(]},
  "Tags": {")" + lb + R"(": )" + tags("LoadBalancer") + R"(, ")" + api + R"(": )" + tags("default/web-api:http") + R"(, ")" + web +
         R"(": )" + tags("default/web-webapp:80") + R"(},
  "SecurityGroups": [
    {"GroupId": "sg-0managed", "GroupName": "k8s-default-web-4444444444", "Description": "[k8s] Managed SecurityGroup for LoadBalancer",
     "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
     "Tags": )" + tags("ManagedLBSecurityGroup") + R"(, "VpcId": "vpc-0demo"},
    {"GroupId": "sg-0backend", "GroupName": "k8s-traffic-demo-5555555555", "Description": "[k8s] Shared Backend SecurityGroup for LoadBalancer",
     "IpPermissions": [], "Tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "demo"}, {"Key": "elbv2.k8s.aws/resource", "Value": "backend-sg"}],
     "VpcId": "vpc-0demo"},
    {"GroupId": "sg-0cluster", "GroupName": "eks-cluster-sg-demo-1", "Description": "EKS cluster security group",
     "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": "sg-0backend"}]}],
     "VpcId": "vpc-0demo"},
    {"GroupId": "sg-0default", "GroupName": "default", "Description": "default VPC security group", "IpPermissions": [], "VpcId": "vpc-0demo"}
  ]
})";
}

inline std::string KubernetesJson() {
  auto pod = [](const std::string& name, const std::string& app, const std::string& node, const std::string& ip) {
    return R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": ")" + name + R"(", "namespace": "default", "labels": {"app": ")" +
           app + R"("}}, "spec": {"nodeName": ")" + node + R"("}, "status": {"podIP": ")" + ip + R"("}})";
  };
  auto node = [](const std::string& name, const std::string& az, const std::string& instance, const std::string& ip) {
    return R"({"apiVersion": "v1", "kind": "Node", "metadata": {"name": ")" + name + R"("}, "spec": {"providerID": "aws:///)" + az +
           "/" + instance + R"("}, "status": {"addresses": [{"type": "InternalIP", "address": ")" + ip + R"("}]}})";
  };
  auto slice = [](const std::string& svc, const std::string& p1, const std::string& p2) {
    return R"({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": ")" + svc +
           R"(-abcde", "namespace": "default", "labels": {"kubernetes.io/service-name": ")" + svc + R"("}},
      "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": true}, "targetRef": {"kind": "Pod", "name": ")" + p1 + R"(", "namespace": "default"}},
                    {"addresses": ["10.0.0.2"], "conditions": {"ready": true}, "targetRef": {"kind": "Pod", "name": ")" + p2 + R"(", "namespace": "default"}}]})";
  };
  auto svc = [](const std::string& name, int node_port) {
    return R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": ")" + name + R"(", "namespace": "default"},
      "spec": {"type": "NodePort", "ports": [{"name": "http", "port": 80, "nodePort": )" + std::to_string(node_port) + R"(}]}})";
  };
  auto tgb = [](const std::string& name, const std::string& svc, const std::string& arn) {
    return R"({"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding", "metadata": {"name": ")" + name +
           R"(", "namespace": "default"}, "spec": {"targetGroupARN": ")" + arn + R"(", "targetType": "instance",
      "serviceRef": {"name": ")" + svc + R"(", "port": "http"}}})";
  };
  return R"({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "alb"}, "spec": {"controller": "ingress.k8s.aws/alb"}},
    {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "default"},
     "spec": {"ingressClassName": "alb", "rules": [{"http": {"paths": [
       {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"name": "http"}}}},
       {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "webapp", "port": {"number": 80}}}}]}}]},
     "status": {"loadBalancer": {"ingress": [{"hostname": "k8s-default-web-1111111111-123.us-west-2.elb.amazonaws.com"}]}}},
    )" + svc("api", 30080) + ",\n" + svc("webapp", 30081) + ",\n" + svc("unrelated", 30099) + ",\n" +
         slice("api", "api-1", "api-2") + ",\n" + slice("webapp", "webapp-1", "webapp-2") + ",\n" +
         pod("api-1", "api", "node-a", "10.0.64.11") + ",\n" + pod("api-2", "api", "node-b", "10.0.80.11") + ",\n" +
         pod("webapp-1", "webapp", "node-a", "10.0.64.12") + ",\n" + pod("webapp-2", "webapp", "node-b", "10.0.80.12") + ",\n" +
         node("node-a", "us-west-2a", "i-0node0a", "10.0.64.10") + ",\n" + node("node-b", "us-west-2b", "i-0node0b", "10.0.80.10") +
         ",\n" + tgb("k8s-default-api-2222222222", "api", kApiTgArn) + ",\n" +
         tgb("k8s-default-webapp-3333333333", "webapp", kWebTgArn) + R"(
  ]})";
}

// GET /api/users served by api-2 through node-a's node port (kube-proxy picked a pod on node-b).
inline traffic::Trace ApiTrace() {
  traffic::Trace t;
  t.request.url = "http://k8s-default-web-1111111111-123.us-west-2.elb.amazonaws.com/api/users";
  t.request.method = "GET";
  t.request.path = "/api/users";
  t.request.source_ip = "203.0.113.10";
  t.hops = {
      {"client", "GET " + t.request.url, true, "", {}, {}},
      {"dns", "k8s-default-web-1111111111-123.us-west-2.elb.amazonaws.com", true, "", {}, {}},
      {"load-balancer", "k8s-default-web-1111111111", true, "internet-facing ALB", {}, {}},
      {"security-group", "sg-0managed, sg-0backend", true, "sg-0managed allows tcp 80 from 0.0.0.0/0", {}, {}},
      {"listener", "HTTP:80", true, "2 rule(s) then the default action", {}, {}},
      {"rule", "priority 1", true, "matched: path-pattern [/api, /api/*]", {}, {}},
      {"action", "forward", true, "forward to k8s-default-api-2222222222", {}, {}},
      {"target-group", "k8s-default-api-2222222222", true, "2 healthy target(s), round robin", {}, {}},
      {"target", "i-0node0a:30080", true, "node node-a (10.0.64.10)", {}, {}},
      {"node-port", "node-a:30080", true, "kube-proxy", {}, {}},
      {"pod", "default/api-2", true, "", {}, {}},
  };
  t.result.status = 200;
  t.result.service = "default/api";
  t.result.pod = "api-2";
  t.result.rule_priority = 1;
  t.result.target_group = "k8s-default-api-2222222222";
  t.result.target = "i-0node0a:30080";
  return t;
}

// A request to a port without a listener.
inline traffic::Trace RefusedTrace() {
  traffic::Trace t;
  t.request.url = "http://k8s-default-web-1111111111-123.us-west-2.elb.amazonaws.com:8080/";
  t.request.method = "GET";
  t.request.path = "/";
  t.request.source_ip = "203.0.113.10";
  t.hops = {
      {"client", "GET " + t.request.url, true, "", {}, {}},
      {"load-balancer", "k8s-default-web-1111111111", true, "", {}, {}},
      {"listener", "port 8080", false, "no listener on port 8080: connection refused", {}, {}},
  };
  t.result.status = 0;
  t.result.failed_at = "listener";
  t.result.reason = "no listener on port 8080: connection refused";
  return t;
}

inline scenario::RunRecord SampleRecord(bool pass = true) {
  scenario::RunRecord r;
  r.scenario = "web-sample";
  r.description = "One Ingress <web> & two paths";
  r.file = "scenarios/web-sample.yaml";
  r.seed = 7;
  r.end_time = SimTime(65000);
  const std::string empty_aws =
      R"({"LoadBalancers": [], "Listeners": [], "Rules": [], "TargetGroups": [], "TargetHealth": {}, "Tags": {}, "SecurityGroups": []})";
  scenario::StepRecord s0;
  s0.index = 0;
  s0.kind = "apply";
  s0.loc.line = 10;
  s0.detail = "applied Ingress default/web";
  s0.aws_json = empty_aws;
  s0.kubernetes_json = KubernetesJson();
  scenario::StepRecord s1;
  s1.index = 1;
  s1.kind = "settle";
  s1.loc.line = 11;
  s1.detail = "settled after 60.000s (40 events)";
  s1.notes = {"+ security group k8s-default-web-4444444444 (sg-0managed)", "+ target group k8s-default-api-2222222222",
              "+ target group k8s-default-webapp-3333333333", "+ load balancer k8s-default-web-1111111111",
              "+ listener k8s-default-web-1111111111 HTTP:80",
              "+ rule k8s-default-web-1111111111 HTTP:80 rule 1 (path-pattern [/api, /api/*])",
              "event Normal SuccessfullyReconciled on Ingress/default/web: Successfully reconciled"};
  s1.started = SimTime(0);
  s1.finished = SimTime(60000);
  s1.api_calls_begin = 0;
  s1.api_calls_end = 4;
  s1.aws_json = AwsJson();
  s1.kubernetes_json = KubernetesJson();
  scenario::StepRecord s2;
  s2.index = 2;
  s2.kind = "expect";
  s2.loc.line = 12;
  s2.detail = "2 expectation(s) checked";
  s2.ok = pass;
  s2.aws_json = s1.aws_json;
  s2.kubernetes_json = s1.kubernetes_json;
  scenario::StepRecord s3;
  s3.index = 3;
  s3.kind = "request";
  s3.loc.line = 16;
  s3.aws_json = s1.aws_json;
  s3.kubernetes_json = s1.kubernetes_json;
  scenario::StepRecord s4 = s3;
  s4.index = 4;
  s4.loc.line = 18;
  r.steps = {s0, s1, s2, s3, s4};
  scenario::ExpectationRecord e1;
  e1.step = 2;
  e1.ok = true;
  e1.message = "loadBalancers = 1";
  e1.loc = {"scenarios/web-sample.yaml", 13, 7};
  scenario::ExpectationRecord e2;
  e2.step = 2;
  e2.ok = pass;
  e2.message = pass ? "lb default/web scheme = \"internet-facing\""
                    : "lb default/web scheme: expected \"internal\", found \"internet-facing\"";
  e2.loc = {"scenarios/web-sample.yaml", 14, 7};
  r.expectations = {e1, e2};
  if (!pass) {
    r.steps[2].errors.push_back(e2.loc.ToString() + ": " + e2.message);
    r.passed = false;
    r.exit_code = 1;
  }
  r.traces.push_back({3, ApiTrace(), 1, {}});
  r.traces.push_back({4, RefusedTrace(), 1, {}});
  auto call = [](int64_t ms, const char* name, bool ok) {
    aws::ApiCallRecord c;
    c.t = SimTime(ms);
    c.caller = "controller";
    c.service = "elbv2";
    c.call = name;
    c.ok = ok;
    if (!ok) {
      c.error_code = "Throttling";
      c.error_message = "Rate exceeded";
    }
    return c;
  };
  r.api_calls = {call(1000, "CreateTargetGroup", true), call(1200, "CreateLoadBalancer", false),
                 call(1500, "CreateLoadBalancer", true), call(2000, "CreateListener", true)};
  scenario::EventRecord ev;
  ev.time = "2026-01-01T00:01:00Z";
  ev.object = "Ingress/default/web";
  ev.type = "Normal";
  ev.reason = "SuccessfullyReconciled";
  ev.message = "Successfully reconciled";
  ev.component = "ingress";
  r.events = {ev};
  r.aws_json = s1.aws_json;
  r.kubernetes_json = s1.kubernetes_json;
  return r;
}

}  // namespace sim::reports::testing
