// Mirrors upstream pkg/model/core/stack.go and the token resolvers of pkg/model/*.
#include "models/stack/stack.h"

namespace sim::model::stack {

namespace {

template <typename T, typename Fn>
bool ResolveIn(const Stack& stack, const StringToken& token, const char* what, Fn field, std::string* out,
               std::string* error) {
  const T* res = stack.Find<T>(token.resource_id);
  if (res == nullptr) {
    *error = "unknown token reference: " + token.RefPath();
    return false;
  }
  if (!res->status.has_value()) {
    *error = std::string(what) + token.resource_id;
    return false;
  }
  auto v = field(*res->status, token.field_path);
  if (!v.has_value()) {
    *error = "unknown token reference: " + token.RefPath();
    return false;
  }
  *out = *v;
  return true;
}

}  // namespace

bool Stack::ResolveToken(const StringToken& token, std::string* out, std::string* error) const {
  if (token.is_literal() || token.has_fixed_value) {
    *out = token.value;
    return true;
  }
  const std::string& t = token.resource_type;
  if (t == LoadBalancer::kType) {
    return ResolveIn<LoadBalancer>(
        *this, token, "LoadBalancer is not fulfilled yet: ",
        [](const LoadBalancerStatus& s, const std::string& path) -> std::optional<std::string> {
          if (path == "status/loadBalancerARN") return s.load_balancer_arn;
          if (path == "status/dnsName") return s.dns_name;
          return std::nullopt;
        },
        out, error);
  }
  if (t == Listener::kType) {
    return ResolveIn<Listener>(
        *this, token, "Listener is not fulfilled yet: ",
        [](const ListenerStatus& s, const std::string& path) -> std::optional<std::string> {
          if (path == "status/listenerARN") return s.listener_arn;
          return std::nullopt;
        },
        out, error);
  }
  if (t == TargetGroup::kType) {
    return ResolveIn<TargetGroup>(
        *this, token, "TargetGroup is not fulfilled yet: ",
        [](const TargetGroupStatus& s, const std::string& path) -> std::optional<std::string> {
          if (path == "status/targetGroupARN") return s.target_group_arn;
          return std::nullopt;
        },
        out, error);
  }
  if (t == SecurityGroup::kType) {
    return ResolveIn<SecurityGroup>(
        *this, token, "SecurityGroup is not fulfilled yet: ",
        [](const SecurityGroupStatus& s, const std::string& path) -> std::optional<std::string> {
          if (path == "status/groupID") return s.group_id;
          return std::nullopt;
        },
        out, error);
  }
  if (t == AcmCertificate::kType) {
    return ResolveIn<AcmCertificate>(
        *this, token, "Certificate is not provisioned yet: ",
        [](const CertificateStatus& s, const std::string& path) -> std::optional<std::string> {
          if (path == "status/certificateARN") return s.certificate_arn;
          return std::nullopt;
        },
        out, error);
  }
  *error = "unknown token reference: " + token.RefPath();
  return false;
}

size_t Stack::size() const {
  size_t n = 0;
  std::apply([&n](const auto&... maps) { ((n += maps.size()), ...); }, resources_);
  return n;
}

}  // namespace sim::model::stack
