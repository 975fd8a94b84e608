// Conformance runner: case discovery, input loading, dispatch, comparison, reporting.
#include "sim/conformance/conformance.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "sim/conformance/internal.h"
#include "sim/k8s/codec.h"

namespace sim::conformance {

namespace fs = std::filesystem;
namespace mk = model::k8s;
using Json = nlohmann::json;

model::k8s::ObjectPtr NthOfKind(const CaseInput& in, mk::Kind kind, size_t index) {
  size_t n = 0;
  for (const auto& obj : in.objects) {
    if (obj->kind() != kind) continue;
    if (n++ == index) return obj;
  }
  return nullptr;
}

model::k8s::ObjectPtr DocAt(const CaseInput& in, size_t index) {
  return index < in.objects.size() ? in.objects[index] : nullptr;
}

model::k8s::ObjectPtr ByName(const CaseInput& in, mk::Kind kind, const std::string& name) {
  for (const auto& obj : in.objects) {
    if (obj->kind() == kind && obj->metadata.name == name) return obj;
  }
  return nullptr;
}

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// YAML → JSON with YAML 1.2 core-schema typing of plain scalars; quoted scalars stay strings.
Json YamlToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& e : n) a.push_back(YamlToJson(e));
      return a;
    }
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      if (s == "null" || s == "~" || s == "Null" || s == "NULL") return nullptr;
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || ((s[0] == '-' || s[0] == '+') && s.size() > 1))) {
        try {
          size_t pos = 0;
          long long v = std::stoll(s, &pos, 10);
          if (pos == s.size()) return v;
          double d = std::stod(s, &pos);
          if (pos == s.size()) return d;
        } catch (...) {
        }
      }
      return s;
    }
  }
  return nullptr;
}

bool IsZero(const Json& j) {
  return j.is_null() || (j.is_string() && j.get<std::string>().empty()) || (j.is_boolean() && !j.get<bool>()) ||
         (j.is_number() && j.get<double>() == 0);
}

std::string Short(const Json& j) {
  std::string s = j.dump();
  if (s.size() > 300) s = s.substr(0, 300) + "...";
  return s;
}

// First difference between expected and got, as "<path>: expected <x> got <y>"; "" when equal.
// Object keys compare as sets, except that a key absent on one side equals a Go zero value
// (null, "", 0, false) on the other (the corpora omit zero-valued fields).
std::string Diff(const Json& e, const Json& g, const std::string& path) {
  if (e.is_object() && g.is_object()) {
    std::vector<std::string> keys;
    for (auto it = e.begin(); it != e.end(); ++it) keys.push_back(it.key());
    for (auto it = g.begin(); it != g.end(); ++it) {
      if (!e.contains(it.key())) keys.push_back(it.key());
    }
    for (const auto& k : keys) {
      const std::string p = path + "." + k;
      bool in_e = e.contains(k), in_g = g.contains(k);
      if (in_e && in_g) {
        std::string d = Diff(e.at(k), g.at(k), p);
        if (!d.empty()) return d;
      } else if (in_e && !IsZero(e.at(k))) {
        return p + ": expected " + Short(e.at(k)) + " got <absent>";
      } else if (in_g && !IsZero(g.at(k))) {
        return p + ": expected <absent> got " + Short(g.at(k));
      }
    }
    return "";
  }
  if (e.is_array() && g.is_array()) {
    if (e.size() != g.size()) {
      return path + ": expected " + std::to_string(e.size()) + " elements " + Short(e) + " got " +
             std::to_string(g.size()) + " " + Short(g);
    }
    for (size_t i = 0; i < e.size(); ++i) {
      std::string d = Diff(e[i], g[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (e.is_number() && g.is_number()) {
    if (e.get<double>() == g.get<double>()) return "";
    return path + ": expected " + Short(e) + " got " + Short(g);
  }
  if (e == g) return "";
  return path + ": expected " + Short(e) + " got " + Short(g);
}

// A case folder holds input.yaml (this runner's format) or case.yaml (the deploy corpus format,
// units_deploy.cc; a unit without a handler there FAILs, never passes silently).
bool IsCaseDir(const fs::path& p) { return fs::exists(p / "input.yaml") || fs::exists(p / "case.yaml"); }

std::vector<fs::path> SortedSubdirs(const fs::path& p) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(p)) {
    if (e.is_directory()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

HandlerMap& Handlers() {
  static HandlerMap* m = [] {
    auto* h = new HandlerMap();
    RegisterModelBuilderHandlers(*h);
    RegisterGroupLoaderHandlers(*h);
    RegisterListenerRulesHandlers(*h);
    RegisterBackendBuilderHandlers(*h);
    RegisterTargetGroupHandlers(*h);
    RegisterLoadBalancerHandlers(*h);
    RegisterSubnetsHandlers(*h);
    RegisterTargetsHandlers(*h);
    return h;
  }();
  return *m;
}

enum class Verdict { kPass, kFail, kSkip };

Verdict RunCase(const fs::path& dir, std::ostream& out) {
  const std::string label = dir.parent_path().filename().string() + "/" + dir.filename().string();
  auto fail = [&](const std::string& why) {
    out << "FAIL " << label << ": " << why << "\n";
    return Verdict::kFail;
  };
  if (!fs::exists(dir / "input.yaml")) {
    std::string why;
    switch (RunDeployCase(dir.string(), &why)) {
      case DeployVerdict::kPass:
        out << "PASS " << label << "\n";
        return Verdict::kPass;
      case DeployVerdict::kSkip:
        out << "SKIP " << label << ": " << why << "\n";
        return Verdict::kSkip;
      case DeployVerdict::kFail:
        break;
    }
    return fail(why);
  }
  CaseInput in;
  in.dir = dir.string();
  in.folder = dir.parent_path().filename().string();
  in.name = dir.filename().string();
  const std::string text = ReadFile(dir / "input.yaml");
  // SimulatorConfig: the document with apiVersion sim.local/v1.
  Json config;
  try {
    for (const auto& doc : YAML::LoadAll(text)) {
      if (doc.IsMap() && doc["apiVersion"] && doc["apiVersion"].as<std::string>() == "sim.local/v1") {
        config = YamlToJson(doc);
      }
    }
  } catch (const std::exception& e) {
    return fail(std::string("input.yaml: ") + e.what());
  }
  if (!config.is_object()) return fail("input.yaml has no SimulatorConfig document");
  in.config_json = config.dump();
  auto objects = k8s::DecodeManifests(text, (dir / "input.yaml").string());
  if (!objects.ok()) return fail("input.yaml: " + objects.error().message);
  in.objects = objects.value();

  const std::string unit = config.value("unitUnderTest", "");
  const std::string file = config.contains("upstream") ? config["upstream"].value("file", "") : "";
  auto it = Handlers().find(file + "#" + unit);
  if (it == Handlers().end()) return fail("not implemented: " + unit);

  CaseOutput got;
  try {
    got = it->second(in);
  } catch (const std::exception& e) {
    return fail(std::string("exception: ") + e.what());
  }
  if (!got.skip_reason.empty()) {
    out << "SKIP " << label << ": " << got.skip_reason << "\n";
    return Verdict::kSkip;
  }
  if (!got.mock_failure.empty()) return fail("mock expectations: " + got.mock_failure);

  if (fs::exists(dir / "expected-error.txt")) {
    const std::string want = ReadFile(dir / "expected-error.txt");
    if (!got.error) {
      return fail("$: expected error " + Json(want).dump() + " got result " + got.result_json.value_or(""));
    }
    if (got.error->message != want) {
      return fail("$.error: expected " + Json(want).dump() + " got " + Json(got.error->message).dump());
    }
    out << "PASS " << label << "\n";
    return Verdict::kPass;
  }
  fs::path expected_file = fs::exists(dir / "expected.json") ? dir / "expected.json" : dir / "expected-result.json";
  if (!fs::exists(expected_file)) return fail("no expected file");
  if (got.error) return fail("$: expected a result, got error " + Json(got.error->message).dump());
  Json want, have;
  try {
    want = Json::parse(ReadFile(expected_file));
  } catch (const std::exception& e) {
    return fail(std::string("expected file: ") + e.what());
  }
  try {
    have = Json::parse(got.result_json.value_or("null"));
  } catch (const std::exception& e) {
    return fail(std::string("result is not JSON: ") + e.what());
  }
  std::string d = Diff(want, have, "$");
  if (!d.empty()) return fail(d);
  out << "PASS " << label << "\n";
  return Verdict::kPass;
}

void CollectCases(const fs::path& p, std::vector<fs::path>* cases) {
  if (IsCaseDir(p)) {
    cases->push_back(p);
    return;
  }
  for (const auto& sub : SortedSubdirs(p)) {
    if (IsCaseDir(sub)) {
      cases->push_back(sub);
    } else {
      for (const auto& subsub : SortedSubdirs(sub)) {
        if (IsCaseDir(subsub)) cases->push_back(subsub);
      }
    }
  }
}

}  // namespace

std::string YamlToJsonText(const std::string& yaml) { return YamlToJson(YAML::Load(yaml)).dump(); }

Summary RunConformance(const std::vector<std::string>& dirs, std::ostream& out) {
  Summary s;
  std::vector<fs::path> cases;
  for (const auto& d : dirs) {
    if (!fs::exists(d)) {
      out << "FAIL " << d << ": no such directory\n";
      ++s.failed;
      continue;
    }
    CollectCases(d, &cases);
  }
  for (const auto& c : cases) {
    switch (RunCase(c, out)) {
      case Verdict::kPass:
        ++s.passed;
        break;
      case Verdict::kFail:
        ++s.failed;
        break;
      case Verdict::kSkip:
        ++s.skipped;
        break;
    }
  }
  out << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped\n";
  return s;
}

}  // namespace sim::conformance
