#pragma once
// Builds model-builder objects from a case's SimulatorConfig, with the gomock-style mocks of
// upstream's tests (successive returns, each expected exactly once).

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sim/conformance/fake_client.h"
#include "sim/conformance/internal.h"
#include "sim/controller/model_builder.h"

namespace sim::conformance {

// Successive returns of a mocked call; a call past the end fails with `unexpected call to <name>`.
template <typename T>
class MockReturns {
 public:
  explicit MockReturns(std::string name) : name_(std::move(name)) {}
  void Push(Result<T> r) { queue_.push_back(std::move(r)); }
  Result<T> Next() {
    if (queue_.empty()) {
      unexpected_ = true;
      return MakeError(ErrorCode::kInternal, "unexpected call to " + name_);
    }
    Result<T> r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }
  // Unmet expectations / unexpected calls, as text ("" when fine).
  std::string Problem() const {
    if (unexpected_) return "unexpected call to " + name_;
    if (!queue_.empty()) return "missing call(s) to " + name_ + ": " + std::to_string(queue_.size()) + " expected";
    return "";
  }

 private:
  std::string name_;
  std::deque<Result<T>> queue_;
  bool unexpected_ = false;
};

class MockSubnetsResolver final : public controller::SubnetsResolver {
 public:
  MockReturns<std::vector<model::aws::Subnet>> discovery{"SubnetsResolver.ResolveViaDiscovery"};
  // controller::SubnetsResolver
  Result<std::vector<model::aws::Subnet>> ResolveViaDiscovery(const controller::SubnetsResolveOptions&) override {
    return discovery.Next();
  }
  Result<std::vector<model::aws::Subnet>> ResolveViaSelector(const controller::SubnetSelector&,
                                                             const controller::SubnetsResolveOptions&) override {
    unexpected_ = true;
    return MakeError(ErrorCode::kInternal, "unexpected call to SubnetsResolver.ResolveViaSelector");
  }
  Result<std::vector<model::aws::Subnet>> ResolveViaNameOrIDSlice(const std::vector<std::string>&,
                                                                  const controller::SubnetsResolveOptions&) override {
    unexpected_ = true;
    return MakeError(ErrorCode::kInternal, "unexpected call to SubnetsResolver.ResolveViaNameOrIDSlice");
  }
  std::string Problem() const {
    if (unexpected_) return "unexpected call to SubnetsResolver";
    return discovery.Problem();
  }

 private:
  bool unexpected_ = false;
};

class MockBackendSGProvider final : public controller::BackendSGProvider {
 public:
  std::optional<std::string> sg_id;  // nullopt: no expectations
  bool unexpected = false;
  // controller::BackendSGProvider
  Result<std::string> Get(const std::string&, const std::vector<std::string>&) override {
    if (!sg_id) {
      unexpected = true;
      return MakeError(ErrorCode::kInternal, "unexpected call to BackendSGProvider.Get");
    }
    return *sg_id;
  }
  Status Release(const std::string&, const std::vector<std::string>&) override { return OkStatus(); }
};

class MockCertDiscovery final : public controller::CertDiscovery {
 public:
  bool unexpected = false;
  // controller::CertDiscovery
  Result<std::vector<std::string>> Discover(const std::vector<std::string>&,
                                            const std::map<std::string, std::string>&) override {
    unexpected = true;
    return MakeError(ErrorCode::kInternal, "unexpected call to CertDiscovery.Discover");
  }
};

// Everything a task borrows, owned here so it outlives the task.
struct TaskEnv {
  FakeClient client;
  MockSubnetsResolver subnets;
  MockReturns<std::vector<controller::ExistingLoadBalancer>> list_lbs{"TaggingManager.ListLoadBalancers"};
  MockReturns<std::vector<model::aws::SecurityGroup>> describe_sgs{"EC2.DescribeSecurityGroupsAsList"};
  MockBackendSGProvider backend_sg;
  MockCertDiscovery certs;
  std::unique_ptr<controller::DefaultSecurityGroupResolver> sg_resolver;
  std::unique_ptr<controller::AnnotationParser> parser;
  std::unique_ptr<controller::AuthConfigBuilder> auth;
  std::unique_ptr<controller::EnhancedBackendBuilder> backend_builder;

  controller::ModelBuilderDeps Deps();
  // Unmet / unexpected mock calls ("" when fine).
  std::string MockProblems() const;
};

// Loads `aws` (model-builder mocks) and the Service documents into `env`.
void SetupModelBuilderEnv(const CaseInput& in, TaskEnv* env);

// A ModelBuildTask with the fields the case's `builder`, `cluster` and `ingressGroup` set (Go zero
// values elsewhere). `members_are_ingress_indexes`: members[].documentIndex counts Ingress documents.
std::unique_ptr<controller::ModelBuildTask> MakeTask(const CaseInput& in, TaskEnv* env);

// The case's ingressGroup as a Group (members/inactive members resolved from documents).
controller::Group GroupFromConfig(const CaseInput& in);

// ControllerConfig for full Build cases (cluster + builder).
controller::ControllerConfig ControllerConfigFromCase(const CaseInput& in);

}  // namespace sim::conformance
