#include "sim/aws/controller_iam_policy.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sim::aws {

std::string ControllerIamPolicyPath() {
  if (const char* dir = std::getenv("ALBTWIN_MODELS_DIR"); dir != nullptr && *dir != '\0') {
    return (std::filesystem::path(dir) / "aws" / "controller-iam-policy.json").string();
  }
  // This file is <root>/sim/aws/controller_iam_policy.cc.
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  return (root / "models" / "aws" / "controller-iam-policy.json").string();
}

Result<std::string> ReadIamPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  Result<PolicyDocument> parsed = ParsePolicyDocument(text.str(), PolicyKind::kIdentity);
  if (!parsed.ok()) return Wrap(parsed.error(), path);
  return text.str();
}

Result<std::string> ReadControllerIamPolicyJson(const std::string& path) {
  return ReadIamPolicyFile(path.empty() ? ControllerIamPolicyPath() : path);
}

Result<PolicyDocument> LoadControllerIamPolicy(const std::string& path) {
  SIM_ASSIGN_OR_RETURN(std::string text, ReadControllerIamPolicyJson(path));
  return ParsePolicyDocument(text, PolicyKind::kIdentity);
}

}  // namespace sim::aws
