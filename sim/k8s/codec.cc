// Manifest codec. Mirrors the behaviour of k8s apimachinery strict decoding
// (apimachinery/pkg/runtime/serializer/json, sigs.k8s.io/yaml, sigs.k8s.io/json) and the JSON field
// names of the Kubernetes and elbv2.k8s.aws types; encoding follows `kubectl get -o json`.

#include "sim/k8s/codec.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace sim::k8s {
namespace {

using namespace model::k8s;  // NOLINT: the schema below names every type
using Json = nlohmann::json;

constexpr unsigned kAlways = 1;  // encode even when empty/zero

// ------------------------------------------------------------------ scalar typing (YAML 1.1 as go-yaml v2)

enum class ScalarType { kNull, kBool, kInt, kFloat, kString };

bool IsDecimalInt(const std::string& s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!(std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '_')) return false;
  }
  return true;
}

bool IsFloat(const std::string& s) {
  static const std::set<std::string> kSpecial = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
                                                 "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
  if (kSpecial.count(s)) return true;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  bool digits = false, dot = false, exp = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      if (i + 1 < s.size() && (s[i + 1] == '-' || s[i + 1] == '+')) ++i;
      if (i + 1 == s.size()) return false;
    } else {
      return false;
    }
  }
  return digits && (dot || exp);
}

ScalarType Classify(const YAML::Node& n, bool* bval) {
  if (n.IsNull()) return ScalarType::kNull;
  const std::string& tag = n.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarType::kString;
  const std::string& s = n.Scalar();
  if (tag == "tag:yaml.org,2002:int") return ScalarType::kInt;
  if (tag == "tag:yaml.org,2002:bool") {
    *bval = s == "true";
    return ScalarType::kBool;
  }
  if (tag != "?" && !tag.empty()) return ScalarType::kString;
  static const std::set<std::string> kNull = {"", "~", "null", "Null", "NULL"};
  static const std::set<std::string> kTrue = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const std::set<std::string> kFalse = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  if (kNull.count(s)) return ScalarType::kNull;
  if (kTrue.count(s)) {
    *bval = true;
    return ScalarType::kBool;
  }
  if (kFalse.count(s)) {
    *bval = false;
    return ScalarType::kBool;
  }
  if (IsDecimalInt(s)) return ScalarType::kInt;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    bool ok = true;
    for (size_t i = 2; i < s.size(); ++i) ok = ok && std::isxdigit(static_cast<unsigned char>(s[i]));
    if (ok) return ScalarType::kInt;
  }
  if (IsFloat(s)) return ScalarType::kFloat;
  return ScalarType::kString;
}

const char* JsonTypeName(const YAML::Node& n) {
  if (n.IsMap()) return "object";
  if (n.IsSequence()) return "array";
  bool b;
  switch (Classify(n, &b)) {
    case ScalarType::kBool:
      return "bool";
    case ScalarType::kInt:
    case ScalarType::kFloat:
      return "number";
    case ScalarType::kNull:
      return "null";
    case ScalarType::kString:
      return "string";
  }
  return "string";
}

std::string StripIndices(const std::string& path) {
  std::string out;
  int depth = 0;
  for (char c : path) {
    if (c == '[') ++depth;
    if (depth == 0) out.push_back(c);
    if (c == ']') --depth;
  }
  return out;
}

// ------------------------------------------------------------------ decoder

class Decoder {
 public:
  Decoder(const YAML::Node& root, std::string file, int line_offset)
      : file_(std::move(file)), line_offset_(line_offset) {
    frames_.push_back(Frame{root, ""});
  }

  bool ok() const { return type_error_.empty() && unknown_.empty(); }
  // The decode error (without the "<Kind> in version ..." prefix), with its location.
  std::string error_location() const { return error_location_; }
  std::string error_message() const {
    if (!type_error_.empty()) return type_error_;
    std::string s = "strict decoding error: ";
    for (size_t i = 0; i < unknown_.size(); ++i) {
      if (i) s += ", ";
      s += "unknown field \"" + unknown_[i] + "\"";
    }
    return s;
  }

  // Checks the root mapping for unknown keys; call once after the schema visit.
  void Finish() { CheckUnknown(frames_.front()); }

  void Str(const char* key, std::string& out, unsigned = 0) {
    YAML::Node n = Child(key);
    if (n) ReadString(n, Path(key), &out);
  }
  void OptStr(const char* key, std::optional<std::string>& out) {
    YAML::Node n = Child(key);
    if (!n) return;
    std::string s;
    if (ReadString(n, Path(key), &s)) out = s;
  }
  void Int32(const char* key, int32_t& out, unsigned = 0) {
    YAML::Node n = Child(key);
    int64_t v;
    if (n && ReadInt(n, Path(key), INT32_MIN, INT32_MAX, "int32", &v)) out = static_cast<int32_t>(v);
  }
  void OptInt32(const char* key, std::optional<int32_t>& out) {
    YAML::Node n = Child(key);
    int64_t v;
    if (n && ReadInt(n, Path(key), INT32_MIN, INT32_MAX, "int32", &v)) out = static_cast<int32_t>(v);
  }
  void Int64(const char* key, int64_t& out, unsigned = 0) {
    YAML::Node n = Child(key);
    int64_t v;
    if (n && ReadInt(n, Path(key), INT64_MIN, INT64_MAX, "int64", &v)) out = v;
  }
  void OptInt64(const char* key, std::optional<int64_t>& out) {
    YAML::Node n = Child(key);
    int64_t v;
    if (n && ReadInt(n, Path(key), INT64_MIN, INT64_MAX, "int64", &v)) out = v;
  }
  void Bool(const char* key, bool& out) {
    YAML::Node n = Child(key);
    bool b;
    if (n && ReadBool(n, Path(key), &b)) out = b;
  }
  void OptBool(const char* key, std::optional<bool>& out) {
    YAML::Node n = Child(key);
    bool b;
    if (n && ReadBool(n, Path(key), &b)) out = b;
  }
  void IntStr(const char* key, IntOrString& out, unsigned = 0) {
    YAML::Node n = Child(key);
    if (n) ReadIntOrString(n, Path(key), &out);
  }
  void OptIntStr(const char* key, std::optional<IntOrString>& out) {
    YAML::Node n = Child(key);
    IntOrString v;
    if (n && ReadIntOrString(n, Path(key), &v)) out = v;
  }
  void StrMap(const char* key, std::map<std::string, std::string>& out) {
    YAML::Node n = Child(key);
    if (!n) return;
    const std::string path = Path(key);
    if (!n.IsMap()) return TypeError(n, path, "map[string]string");
    out.clear();
    CheckDuplicateKeys(n);
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string k, v;
      if (!ReadKey(it->first, &k)) return;
      if (it->second.IsNull()) {
        out[k] = "";
        continue;
      }
      if (ReadString(it->second, path, &v)) out[k] = v;
    }
  }
  void StrList(const char* key, std::vector<std::string>& out) {
    YAML::Node n = Child(key);
    if (!n) return;
    const std::string path = Path(key);
    if (!n.IsSequence()) return TypeError(n, path, "[]string");
    out.clear();
    for (size_t i = 0; i < n.size(); ++i) {
      std::string s;
      if (n[i].IsNull()) {
        out.push_back("");
      } else if (ReadString(n[i], path, &s)) {
        out.push_back(s);
      }
    }
  }
  void StrListMap(const char* key, std::map<std::string, std::vector<std::string>>& out) {
    YAML::Node n = Child(key);
    if (!n) return;
    const std::string path = Path(key);
    if (!n.IsMap()) return TypeError(n, path, "map[string][]string");
    out.clear();
    CheckDuplicateKeys(n);
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string k;
      if (!ReadKey(it->first, &k)) return;
      std::vector<std::string>& vec = out[k];
      if (it->second.IsNull()) continue;
      if (!it->second.IsSequence()) return TypeError(it->second, path, "[]string");
      for (size_t i = 0; i < it->second.size(); ++i) {
        std::string s;
        if (ReadString(it->second[i], path, &s)) vec.push_back(s);
      }
    }
  }
  template <typename F>
  void Obj(const char* key, F&& fn, unsigned = 0) {
    YAML::Node n = Child(key);
    if (!n) return;
    if (!Enter(n, Path(key))) return;
    fn();
    Leave();
  }
  template <typename T, typename F>
  void OptObj(const char* key, std::optional<T>& out, F&& fn) {
    YAML::Node n = Child(key);
    if (!n) return;
    if (!Enter(n, Path(key))) return;
    out.emplace();
    fn(*out);
    Leave();
  }
  template <typename F>
  void PresentObj(const char* key, bool& present, F&& fn) {
    YAML::Node n = Child(key);
    if (!n) return;
    if (!Enter(n, Path(key))) return;
    present = true;
    fn();
    Leave();
  }
  template <typename T, typename F>
  void List(const char* key, std::vector<T>& out, F&& fn) {
    bool present = false;
    PresentList(key, present, out, std::forward<F>(fn));
  }
  template <typename T, typename F>
  void PresentList(const char* key, bool& present, std::vector<T>& out, F&& fn) {
    YAML::Node n = Child(key);
    if (!n) return;
    const std::string path = Path(key);
    if (!n.IsSequence()) return TypeError(n, path, "[]object");
    present = true;
    out.clear();
    for (size_t i = 0; i < n.size(); ++i) {
      out.emplace_back();
      if (n[i].IsNull()) continue;
      if (!Enter(n[i], path + "[" + std::to_string(i) + "]")) return;
      fn(out.back());
      Leave();
    }
  }
  // Pod status podIPs/hostIPs: derived on output, accepted on input.
  void DerivedIps(const char* key, const std::string&) { Ignore(key); }
  void Ignore(const char* key) { frames_.back().seen.insert(key); }
  void Ignore(std::initializer_list<const char*> keys) {
    for (const char* k : keys) Ignore(k);
  }

 private:
  struct Frame {
    YAML::Node node;
    std::string path;
    std::set<std::string> seen;
  };

  std::string Path(const char* key) const {
    const std::string& p = frames_.back().path;
    return p.empty() ? std::string(key) : p + "." + key;
  }

  std::string Location(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    int line = m.line < 0 ? 1 : m.line + 1;
    int col = m.column < 0 ? 1 : m.column + 1;
    return file_ + ":" + std::to_string(line + line_offset_) + ":" + std::to_string(col);
  }

  // The child node of the current mapping, or an undefined/null node → false.
  YAML::Node Child(const char* key) {
    Frame& f = frames_.back();
    f.seen.insert(key);
    const YAML::Node& cur = f.node;
    for (auto it = cur.begin(); it != cur.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) {
        if (it->second.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
        return it->second;
      }
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  bool Enter(const YAML::Node& n, const std::string& path) {
    if (!n.IsMap()) {
      TypeError(n, path, "object");
      return false;
    }
    CheckDuplicateKeys(n);
    frames_.push_back(Frame{n, path});
    return true;
  }
  void Leave() {
    CheckUnknown(frames_.back());
    frames_.pop_back();
  }

  void CheckUnknown(const Frame& f) {
    if (!f.node.IsMap()) return;
    for (auto it = f.node.begin(); it != f.node.end(); ++it) {
      std::string k;
      if (!it->first.IsScalar()) continue;
      k = it->first.Scalar();
      if (f.seen.count(k)) continue;
      if (unknown_.empty() && type_error_.empty()) error_location_ = Location(it->first);
      unknown_.push_back(f.path.empty() ? k : f.path + "." + k);
    }
  }

  void CheckDuplicateKeys(const YAML::Node& n) {
    std::map<std::string, int> lines;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string& k = it->first.Scalar();
      auto [pos, inserted] = lines.emplace(k, it->first.Mark().line + 1 + line_offset_);
      if (!inserted) {
        SetTypeError(it->first, "yaml: unmarshal errors: line " +
                                    std::to_string(it->first.Mark().line + 1 + line_offset_) + ": mapping key \"" +
                                    k + "\" already defined at line " + std::to_string(pos->second));
      }
    }
  }

  void SetTypeError(const YAML::Node& n, const std::string& msg) {
    if (!type_error_.empty()) return;
    type_error_ = msg;
    error_location_ = Location(n);
  }
  void TypeError(const YAML::Node& n, const std::string& path, const std::string& go_type) {
    SetTypeError(n, std::string("json: cannot unmarshal ") + JsonTypeName(n) + " into Go struct field " +
                        StripIndices(path) + " of type " + go_type);
  }

  bool ReadKey(const YAML::Node& k, std::string* out) {
    if (!k.IsScalar()) {
      SetTypeError(k, "json: cannot unmarshal non-string map key");
      return false;
    }
    *out = k.Scalar();
    return true;
  }
  bool ReadString(const YAML::Node& n, const std::string& path, std::string* out) {
    bool b;
    if (!n.IsScalar() || Classify(n, &b) != ScalarType::kString) {
      TypeError(n, path, "string");
      return false;
    }
    *out = n.Scalar();
    return true;
  }
  bool ReadBool(const YAML::Node& n, const std::string& path, bool* out) {
    if (!n.IsScalar() || Classify(n, out) != ScalarType::kBool) {
      TypeError(n, path, "bool");
      return false;
    }
    return true;
  }
  bool ReadInt(const YAML::Node& n, const std::string& path, int64_t min, int64_t max, const char* go_type,
               int64_t* out) {
    bool b;
    if (!n.IsScalar() || Classify(n, &b) != ScalarType::kInt) {
      TypeError(n, path, go_type);
      return false;
    }
    std::string s;
    for (char c : n.Scalar()) {
      if (c != '_') s.push_back(c);
    }
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 0);
    if (errno == ERANGE || v < min || v > max || (end && *end)) {
      SetTypeError(n, "json: cannot unmarshal number " + n.Scalar() + " into Go struct field " + StripIndices(path) +
                          " of type " + go_type);
      return false;
    }
    *out = v;
    return true;
  }
  bool ReadIntOrString(const YAML::Node& n, const std::string& path, IntOrString* out) {
    bool b;
    ScalarType t = n.IsScalar() ? Classify(n, &b) : ScalarType::kNull;
    if (n.IsScalar() && t == ScalarType::kString) {
      *out = IntOrString::Str(n.Scalar());
      return true;
    }
    if (n.IsScalar() && t == ScalarType::kInt) {
      int64_t v;
      if (!ReadInt(n, path, INT32_MIN, INT32_MAX, "int32", &v)) return false;
      *out = IntOrString::Int(static_cast<int32_t>(v));
      return true;
    }
    SetTypeError(n, std::string("json: cannot unmarshal ") + JsonTypeName(n) + " into Go value of type int32");
    return false;
  }

  std::string file_;
  int line_offset_;
  std::vector<Frame> frames_;
  std::string type_error_;
  std::vector<std::string> unknown_;
  std::string error_location_;
};

// ------------------------------------------------------------------ encoder

// The writing visitors' (Encoder, Fingerprinter) shared omission rules, in terms of their Obj and
// PresentList: an optional object is written when set, even empty; a list when not empty.
template <typename Derived>
class WritingVisitor {
 public:
  template <typename T, typename F>
  void OptObj(const char* key, std::optional<T>& v, F&& fn) {
    if (!v) return;
    self().Obj(key, [&] { fn(*v); }, kAlways);
  }
  template <typename F>
  void PresentObj(const char* key, bool& present, F&& fn) {
    if (present) self().Obj(key, std::forward<F>(fn), kAlways);
  }
  template <typename T, typename F>
  void List(const char* key, std::vector<T>& l, F&& fn) {
    bool present = !l.empty();
    self().PresentList(key, present, l, std::forward<F>(fn));
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

class Encoder : public WritingVisitor<Encoder> {
 public:
  explicit Encoder(Json* root) : cur_(root) {}

  void Str(const char* key, const std::string& s, unsigned flags = 0) {
    if (!s.empty() || (flags & kAlways)) (*cur_)[key] = s;
  }
  void OptStr(const char* key, const std::optional<std::string>& s) {
    if (s) (*cur_)[key] = *s;
  }
  void Int32(const char* key, int32_t v, unsigned flags = 0) {
    if (v != 0 || (flags & kAlways)) (*cur_)[key] = v;
  }
  void OptInt32(const char* key, const std::optional<int32_t>& v) {
    if (v) (*cur_)[key] = *v;
  }
  void Int64(const char* key, int64_t v, unsigned flags = 0) {
    if (v != 0 || (flags & kAlways)) (*cur_)[key] = v;
  }
  void OptInt64(const char* key, const std::optional<int64_t>& v) {
    if (v) (*cur_)[key] = *v;
  }
  void Bool(const char* key, bool v) {
    if (v) (*cur_)[key] = true;
  }
  void OptBool(const char* key, const std::optional<bool>& v) {
    if (v) (*cur_)[key] = *v;
  }
  static Json IntStrJson(const IntOrString& v) { return v.is_string ? Json(v.str_val) : Json(v.int_val); }
  void IntStr(const char* key, const IntOrString& v, unsigned flags = 0) {
    if (v.is_string || v.int_val != 0 || (flags & kAlways)) (*cur_)[key] = IntStrJson(v);
  }
  void OptIntStr(const char* key, const std::optional<IntOrString>& v) {
    if (v) (*cur_)[key] = IntStrJson(*v);
  }
  void StrMap(const char* key, const std::map<std::string, std::string>& m) {
    if (m.empty()) return;
    Json j = Json::object();
    for (const auto& [k, v] : m) j[k] = v;
    (*cur_)[key] = std::move(j);
  }
  void StrList(const char* key, const std::vector<std::string>& l) {
    if (!l.empty()) (*cur_)[key] = l;
  }
  void StrListMap(const char* key, const std::map<std::string, std::vector<std::string>>& m) {
    if (m.empty()) return;
    Json j = Json::object();
    for (const auto& [k, v] : m) j[k] = v;
    (*cur_)[key] = std::move(j);
  }
  template <typename F>
  void Obj(const char* key, F&& fn, unsigned flags = 0) {
    Json child = Json::object();
    Json* saved = cur_;
    cur_ = &child;
    fn();
    cur_ = saved;
    if (!child.empty() || (flags & kAlways)) (*cur_)[key] = std::move(child);
  }
  template <typename T, typename F>
  void PresentList(const char* key, bool& present, std::vector<T>& l, F&& fn) {
    if (!present) return;
    Json arr = Json::array();
    Json* saved = cur_;
    for (T& item : l) {
      Json child = Json::object();
      cur_ = &child;
      fn(item);
      arr.push_back(std::move(child));
    }
    cur_ = saved;
    (*cur_)[key] = std::move(arr);
  }
  void DerivedIps(const char* key, const std::string& ip) {
    if (!ip.empty()) (*cur_)[key] = Json::array({Json{{"ip", ip}}});
  }
  void Ignore(const char*) {}
  void Ignore(std::initializer_list<const char*>) {}

 private:
  Json* cur_;
};

// ------------------------------------------------------------------ fingerprint

// A compact binary form of the same tree the Encoder builds: same omission rules, fields in schema
// order, strings length-prefixed and values type-tagged. Two objects of one kind have equal
// fingerprints exactly when their compact JSON is equal, without building a JSON tree (used for
// no-op write detection and spec comparisons, which only test equality).
class Fingerprinter : public WritingVisitor<Fingerprinter> {
 public:
  explicit Fingerprinter(std::string* out) : out_(out) {}

  void Str(const char* key, const std::string& s, unsigned flags = 0) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (skip_rv_ && depth_ == 1 && std::strcmp(key, "resourceVersion") == 0) return;
    if (!s.empty() || (flags & kAlways)) {
      Key(key, 's');
      Bytes(s);
    }
  }
  void OptStr(const char* key, const std::optional<std::string>& s) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (s) {
      Key(key, 's');
      Bytes(*s);
    }
  }
  void Int32(const char* key, int32_t v, unsigned flags = 0) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v != 0 || (flags & kAlways)) IntVal(key, v);
  }
  void OptInt32(const char* key, const std::optional<int32_t>& v) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v) IntVal(key, *v);
  }
  void Int64(const char* key, int64_t v, unsigned flags = 0) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v != 0 || (flags & kAlways)) IntVal(key, v);
  }
  void OptInt64(const char* key, const std::optional<int64_t>& v) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v) IntVal(key, *v);
  }
  void Bool(const char* key, bool v) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v) {
      Key(key, 'b');
      out_->push_back('1');
    }
  }
  void OptBool(const char* key, const std::optional<bool>& v) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v) {
      Key(key, 'b');
      out_->push_back(*v ? '1' : '0');
    }
  }
  void IntStrVal(const IntOrString& v) {
    if (v.is_string) {
      out_->push_back('s');
      Bytes(v.str_val);
    } else {
      out_->push_back('i');
      Raw(static_cast<int64_t>(v.int_val));
    }
  }
  void IntStr(const char* key, const IntOrString& v, unsigned flags = 0) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v.is_string || v.int_val != 0 || (flags & kAlways)) {
      Key(key, 'v');
      IntStrVal(v);
    }
  }
  void OptIntStr(const char* key, const std::optional<IntOrString>& v) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (v) {
      Key(key, 'v');
      IntStrVal(*v);
    }
  }
  void StrMap(const char* key, const std::map<std::string, std::string>& m) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (m.empty()) return;
    Key(key, 'M');
    Raw(static_cast<int64_t>(m.size()));
    for (const auto& [k, v] : m) {
      Bytes(k);
      Bytes(v);
    }
  }
  void StrList(const char* key, const std::vector<std::string>& l) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (l.empty()) return;
    Key(key, 'L');
    Raw(static_cast<int64_t>(l.size()));
    for (const std::string& s : l) Bytes(s);
  }
  void StrListMap(const char* key, const std::map<std::string, std::vector<std::string>>& m) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (m.empty()) return;
    Key(key, 'N');
    Raw(static_cast<int64_t>(m.size()));
    for (const auto& [k, v] : m) {
      Bytes(k);
      Raw(static_cast<int64_t>(v.size()));
      for (const std::string& s : v) Bytes(s);
    }
  }
  template <typename F>
  void Obj(const char* key, F&& fn, unsigned flags = 0) {
    if (depth_ == 0 && SkipRoot(key)) return;
    const size_t start = out_->size();
    Key(key, '{');
    const size_t body = out_->size();
    ++depth_;
    fn();
    --depth_;
    if (out_->size() == body && !(flags & kAlways)) {
      out_->resize(start);
    } else {
      out_->push_back('}');
    }
  }
  template <typename T, typename F>
  void PresentList(const char* key, bool& present, std::vector<T>& l, F&& fn) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (!present) return;
    Key(key, '[');
    Raw(static_cast<int64_t>(l.size()));
    ++depth_;
    for (T& item : l) {
      out_->push_back('{');
      fn(item);
      out_->push_back('}');
    }
    --depth_;
    out_->push_back(']');
  }
  void DerivedIps(const char* key, const std::string& ip) {
    if (depth_ == 0 && SkipRoot(key)) return;
    if (ip.empty()) return;
    Key(key, 'D');
    Bytes(ip);
  }
  void Ignore(const char*) {}
  void Ignore(std::initializer_list<const char*>) {}

  // Root-level switches: leave out metadata.resourceVersion / the root "status" object / every
  // root field but "status".
  void set_skip_resource_version(bool v) { skip_rv_ = v; }
  void set_skip_root_status(bool v) { skip_root_status_ = v; }
  void set_only_root_status(bool v) { only_root_status_ = v; }

 private:
  bool SkipRoot(const char* key) const {
    if (!skip_root_status_ && !only_root_status_) return false;
    const bool status = std::strcmp(key, "status") == 0;
    return skip_root_status_ ? status : !status;
  }
  void Key(const char* key, char tag) {
    out_->append(key);
    out_->push_back('\0');
    out_->push_back(tag);
  }
  void Raw(int64_t v) { out_->append(reinterpret_cast<const char*>(&v), sizeof(v)); }
  void Bytes(const std::string& s) {
    Raw(static_cast<int64_t>(s.size()));
    out_->append(s);
  }
  void IntVal(const char* key, int64_t v) {
    Key(key, 'i');
    Raw(v);
  }

  std::string* out_;
  int depth_ = 0;
  bool skip_rv_ = false;
  bool skip_root_status_ = false;
  bool only_root_status_ = false;
};

// ------------------------------------------------------------------ schema (JSON names as Kubernetes prints them)

template <class V>
void VisitSelector(V& v, LabelSelector& s) {
  v.StrMap("matchLabels", s.match_labels);
  v.List("matchExpressions", s.match_expressions, [&](LabelSelectorRequirement& r) {
    v.Str("key", r.key);
    v.Str("operator", r.op);
    v.StrList("values", r.values);
  });
}

template <class V>
void VisitMeta(V& v, ObjectMeta& m) {
  v.Str("name", m.name);
  v.Str("generateName", m.generate_name);
  v.Str("namespace", m.namespace_);
  v.Str("uid", m.uid);
  v.Str("resourceVersion", m.resource_version);
  v.Int64("generation", m.generation);
  v.Str("creationTimestamp", m.creation_timestamp);
  v.OptStr("deletionTimestamp", m.deletion_timestamp);
  v.OptInt64("deletionGracePeriodSeconds", m.deletion_grace_period_seconds);
  v.StrMap("labels", m.labels);
  v.StrMap("annotations", m.annotations);
  v.StrList("finalizers", m.finalizers);
  v.List("ownerReferences", m.owner_references, [&](OwnerReference& r) {
    v.Str("apiVersion", r.api_version);
    v.Str("kind", r.kind);
    v.Str("name", r.name);
    v.Str("uid", r.uid);
    v.OptBool("controller", r.controller);
    v.OptBool("blockOwnerDeletion", r.block_owner_deletion);
  });
  v.Ignore({"managedFields", "selfLink"});
}

template <class V>
void VisitTargetRef(V& v, std::string& kind, std::string& ns, std::string& name, std::string& uid) {
  v.Obj("targetRef", [&] {
    v.Str("kind", kind);
    v.Str("namespace", ns);
    v.Str("name", name);
    v.Str("uid", uid);
    v.Ignore({"apiVersion", "resourceVersion", "fieldPath"});
  });
}

template <class V>
void VisitContainer(V& v, Container& c) {
  v.Str("name", c.name);
  v.Str("image", c.image);
  v.List("ports", c.ports, [&](ContainerPort& p) {
    v.Str("name", p.name);
    v.Int32("containerPort", p.container_port, kAlways);
    v.Str("protocol", p.protocol);
    v.Ignore({"hostPort", "hostIP"});
  });
  v.OptObj("readinessProbe", c.readiness_probe, [&](Probe& p) {
    v.OptObj("httpGet", p.http_get, [&](HttpGetProbe& h) {
      v.Str("path", h.path);
      v.IntStr("port", h.port, kAlways);
      v.Str("scheme", h.scheme);
      v.Ignore({"host", "httpHeaders"});
    });
    v.Int32("initialDelaySeconds", p.initial_delay_seconds);
    v.Int32("timeoutSeconds", p.timeout_seconds);
    v.Int32("periodSeconds", p.period_seconds);
    v.Int32("successThreshold", p.success_threshold);
    v.Int32("failureThreshold", p.failure_threshold);
    v.Ignore({"tcpSocket", "exec", "grpc", "terminationGracePeriodSeconds"});
  });
  v.Ignore({"command", "args", "env", "envFrom", "resources", "volumeMounts", "volumeDevices", "livenessProbe",
            "startupProbe", "lifecycle", "imagePullPolicy", "securityContext", "workingDir",
            "terminationMessagePath", "terminationMessagePolicy", "stdin", "stdinOnce", "tty", "resizePolicy",
            "restartPolicy"});
}

template <class V>
void VisitPodSpec(V& v, PodSpec& s) {
  v.List("containers", s.containers, [&](Container& c) { VisitContainer(v, c); });
  v.Str("nodeName", s.node_name);
  v.StrMap("nodeSelector", s.node_selector);
  v.Str("serviceAccountName", s.service_account_name);
  v.Str("schedulerName", s.scheduler_name);
  v.Str("restartPolicy", s.restart_policy);
  v.OptInt64("terminationGracePeriodSeconds", s.termination_grace_period_seconds);
  v.List("readinessGates", s.readiness_gates,
         [&](PodReadinessGate& g) { v.Str("conditionType", g.condition_type); });
  v.List("tolerations", s.tolerations, [&](Toleration& t) {
    v.Str("key", t.key);
    v.Str("operator", t.op);
    v.Str("value", t.value);
    v.Str("effect", t.effect);
    v.OptInt64("tolerationSeconds", t.toleration_seconds);
  });
  v.Str("hostname", s.hostname);
  v.Str("subdomain", s.subdomain);
  v.Ignore({"volumes", "initContainers", "ephemeralContainers", "affinity", "securityContext", "dnsPolicy",
            "dnsConfig", "enableServiceLinks", "priority", "priorityClassName", "preemptionPolicy",
            "topologySpreadConstraints", "imagePullSecrets", "hostNetwork", "hostPID", "hostIPC", "hostUsers",
            "automountServiceAccountToken", "serviceAccount", "runtimeClassName", "shareProcessNamespace",
            "activeDeadlineSeconds", "overhead", "os", "hostAliases", "setHostnameAsFQDN", "schedulingGates",
            "resourceClaims", "resources", "nodeAffinity"});
}

template <class V>
void VisitTemplate(V& v, PodTemplateSpec& t) {
  v.Obj("template", [&] {
    v.Obj("metadata", [&] { VisitMeta(v, t.metadata); });
    v.Obj("spec", [&] { VisitPodSpec(v, t.spec); });
  }, kAlways);
}

template <class V>
void VisitIngressBackend(V& v, IngressBackend& b) {
  v.OptObj("service", b.service, [&](IngressServiceBackend& s) {
    v.Str("name", s.name);
    v.Obj("port", [&] {
      v.Str("name", s.port.name);
      v.Int32("number", s.port.number);
    });
  });
  v.OptObj("resource", b.resource, [&](TypedLocalObjectReference& r) {
    v.Str("apiGroup", r.api_group);
    v.Str("kind", r.kind);
    v.Str("name", r.name);
  });
}

template <class V>
void VisitKeyValues(V& v, const char* key, std::vector<KeyValue>& kvs) {
  v.List(key, kvs, [&](KeyValue& kv) {
    v.Str("key", kv.key, kAlways);
    v.Str("value", kv.value, kAlways);
  });
}

template <class V>
void VisitEndpointAddress(V& v, EndpointAddress& a) {
  v.Str("ip", a.ip);
  v.Str("nodeName", a.node_name);
  VisitTargetRef(v, a.target_kind, a.target_namespace, a.target_name, a.target_uid);
  v.Ignore("hostname");
}

// The body of each kind (everything but apiVersion, kind, metadata).
template <class V>
void VisitBody(V& v, Object& obj) {
  switch (obj.kind()) {
    case Kind::kNamespace: {
      auto& o = static_cast<Namespace&>(obj);
      v.Obj("spec", [&] { v.StrList("finalizers", o.spec_finalizers); });
      v.Obj("status", [&] {
        v.Str("phase", o.phase);
        v.Ignore("conditions");
      });
      break;
    }
    case Kind::kNode: {
      auto& o = static_cast<Node&>(obj);
      v.Obj("spec", [&] {
        v.Str("providerID", o.provider_id);
        v.Bool("unschedulable", o.unschedulable);
        v.List("taints", o.taints, [&](Taint& t) {
          v.Str("key", t.key);
          v.Str("value", t.value);
          v.Str("effect", t.effect);
          v.Ignore("timeAdded");
        });
        v.Ignore({"podCIDR", "podCIDRs", "configSource", "externalID"});
      });
      v.Obj("status", [&] {
        v.List("addresses", o.addresses, [&](NodeAddress& a) {
          v.Str("type", a.type);
          v.Str("address", a.address);
        });
        v.List("conditions", o.conditions, [&](NodeCondition& c) {
          v.Str("type", c.type);
          v.Str("status", c.status);
          v.Str("reason", c.reason);
          v.Str("message", c.message);
          v.Ignore({"lastHeartbeatTime", "lastTransitionTime"});
        });
        v.Ignore({"capacity", "allocatable", "nodeInfo", "daemonEndpoints", "images", "volumesInUse",
                  "volumesAttached", "phase", "config", "runtimeHandlers", "features"});
      });
      break;
    }
    case Kind::kPod: {
      auto& o = static_cast<Pod&>(obj);
      v.Obj("spec", [&] { VisitPodSpec(v, o.spec); });
      v.Obj("status", [&] {
        v.Str("phase", o.phase);
        v.Str("podIP", o.pod_ip);
        v.DerivedIps("podIPs", o.pod_ip);
        v.Str("hostIP", o.host_ip);
        v.DerivedIps("hostIPs", o.host_ip);
        v.List("conditions", o.conditions, [&](PodCondition& c) {
          v.Str("type", c.type);
          v.Str("status", c.status);
          v.Str("reason", c.reason);
          v.Str("message", c.message);
          v.Str("lastTransitionTime", c.last_transition_time);
          v.Ignore({"lastProbeTime", "observedGeneration"});
        });
        v.Str("startTime", o.start_time);
        v.Ignore({"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses", "qosClass",
                  "nominatedNodeName", "message", "reason", "resize", "resourceClaimStatuses",
                  "observedGeneration"});
      });
      break;
    }
    case Kind::kService: {
      auto& o = static_cast<Service&>(obj);
      v.Obj("spec", [&] {
        v.Str("type", o.type);
        v.StrMap("selector", o.selector);
        v.List("ports", o.ports, [&](ServicePort& p) {
          v.Str("name", p.name);
          v.Str("protocol", p.protocol);
          v.OptStr("appProtocol", p.app_protocol);
          v.Int32("port", p.port, kAlways);
          v.IntStr("targetPort", p.target_port);
          v.Int32("nodePort", p.node_port);
        });
        v.Str("clusterIP", o.cluster_ip);
        v.StrList("clusterIPs", o.cluster_ips);
        v.StrList("ipFamilies", o.ip_families);
        v.Str("ipFamilyPolicy", o.ip_family_policy);
        v.Str("externalName", o.external_name);
        v.Str("externalTrafficPolicy", o.external_traffic_policy);
        v.Str("internalTrafficPolicy", o.internal_traffic_policy);
        v.Str("sessionAffinity", o.session_affinity);
        v.Int32("healthCheckNodePort", o.health_check_node_port);
        v.OptBool("publishNotReadyAddresses", o.publish_not_ready_addresses);
        v.StrList("loadBalancerSourceRanges", o.load_balancer_source_ranges);
        v.Ignore({"externalIPs", "loadBalancerIP", "loadBalancerClass", "allocateLoadBalancerNodePorts",
                  "sessionAffinityConfig", "trafficDistribution"});
      });
      v.Obj("status", [&] { v.Obj("loadBalancer", [&] { v.Ignore({"ingress"}); }, kAlways); v.Ignore("conditions"); },
            kAlways);
      break;
    }
    case Kind::kEndpoints: {
      auto& o = static_cast<Endpoints&>(obj);
      v.List("subsets", o.subsets, [&](EndpointSubset& s) {
        v.List("addresses", s.addresses, [&](EndpointAddress& a) { VisitEndpointAddress(v, a); });
        v.List("notReadyAddresses", s.not_ready_addresses, [&](EndpointAddress& a) { VisitEndpointAddress(v, a); });
        v.List("ports", s.ports, [&](EndpointPort& p) {
          v.Str("name", p.name);
          v.Int32("port", p.port, kAlways);
          v.Str("protocol", p.protocol);
          v.Ignore("appProtocol");
        });
      });
      break;
    }
    case Kind::kEndpointSlice: {
      auto& o = static_cast<EndpointSlice&>(obj);
      v.Str("addressType", o.address_type);
      v.List("endpoints", o.endpoints, [&](SliceEndpoint& e) {
        v.StrList("addresses", e.addresses);
        v.Obj("conditions", [&] {
          v.OptBool("ready", e.conditions.ready);
          v.OptBool("serving", e.conditions.serving);
          v.OptBool("terminating", e.conditions.terminating);
        }, kAlways);
        v.Str("hostname", e.hostname);
        v.Str("nodeName", e.node_name);
        v.Str("zone", e.zone);
        VisitTargetRef(v, e.target_kind, e.target_namespace, e.target_name, e.target_uid);
        v.Ignore({"hints", "deprecatedTopology"});
      });
      v.List("ports", o.ports, [&](SlicePort& p) {
        v.OptStr("name", p.name);
        v.OptInt32("port", p.port);
        v.Str("protocol", p.protocol);
        v.OptStr("appProtocol", p.app_protocol);
      });
      break;
    }
    case Kind::kDeployment: {
      auto& o = static_cast<Deployment&>(obj);
      v.Obj("spec", [&] {
        v.Int32("replicas", o.replicas, kAlways);
        v.Obj("selector", [&] { VisitSelector(v, o.selector); }, kAlways);
        VisitTemplate(v, o.template_);
        v.Obj("strategy", [&] {
          v.Str("type", o.strategy.type);
          if (o.strategy.type == "RollingUpdate") {
            v.Obj("rollingUpdate", [&] {
              v.IntStr("maxSurge", o.strategy.max_surge, kAlways);
              v.IntStr("maxUnavailable", o.strategy.max_unavailable, kAlways);
            });
          } else {
            v.Ignore("rollingUpdate");
          }
        });
        v.Int32("minReadySeconds", o.min_ready_seconds);
        v.Int32("revisionHistoryLimit", o.revision_history_limit, kAlways);
        v.Int32("progressDeadlineSeconds", o.progress_deadline_seconds, kAlways);
        v.Ignore("paused");
      });
      v.Obj("status", [&] {
        v.Int64("observedGeneration", o.observed_generation);
        v.Int32("replicas", o.status_replicas);
        v.Int32("readyReplicas", o.ready_replicas);
        v.Int32("availableReplicas", o.available_replicas);
        v.Int32("updatedReplicas", o.updated_replicas);
        v.Ignore({"unavailableReplicas", "conditions", "collisionCount", "terminatingReplicas"});
      });
      break;
    }
    case Kind::kReplicaSet: {
      auto& o = static_cast<ReplicaSet&>(obj);
      v.Obj("spec", [&] {
        v.Int32("replicas", o.replicas, kAlways);
        v.Obj("selector", [&] { VisitSelector(v, o.selector); }, kAlways);
        VisitTemplate(v, o.template_);
        v.Ignore("minReadySeconds");
      });
      v.Obj("status", [&] {
        v.Int32("replicas", o.status_replicas, kAlways);
        v.Int32("readyReplicas", o.ready_replicas);
        v.Int32("availableReplicas", o.available_replicas);
        v.Ignore({"observedGeneration", "fullyLabeledReplicas", "conditions", "terminatingReplicas"});
      });
      break;
    }
    case Kind::kIngress: {
      auto& o = static_cast<Ingress&>(obj);
      v.Obj("spec", [&] {
        v.OptStr("ingressClassName", o.ingress_class_name);
        v.OptObj("defaultBackend", o.default_backend, [&](IngressBackend& b) { VisitIngressBackend(v, b); });
        v.List("tls", o.tls, [&](IngressTls& t) {
          v.StrList("hosts", t.hosts);
          v.Str("secretName", t.secret_name);
        });
        v.PresentList("rules", o.has_rules, o.rules, [&](IngressRule& r) {
          v.Str("host", r.host);
          v.PresentObj("http", r.has_http, [&] {
            bool paths_present = true;
            v.PresentList("paths", paths_present, r.paths, [&](HttpIngressPath& p) {
              v.Str("path", p.path);
              v.OptStr("pathType", p.path_type);
              v.Obj("backend", [&] { VisitIngressBackend(v, p.backend); }, kAlways);
            });
          });
        });
      }, kAlways);
      v.Obj("status", [&] {
        v.Obj("loadBalancer", [&] {
          v.List("ingress", o.status_ingress, [&](IngressLoadBalancerIngress& i) {
            v.Str("ip", i.ip);
            v.Str("hostname", i.hostname);
            v.List("ports", i.ports, [&](IngressPortStatus& p) {
              v.Int32("port", p.port, kAlways);
              v.Str("protocol", p.protocol);
              v.Ignore("error");
            });
          });
        }, kAlways);
      }, kAlways);
      break;
    }
    case Kind::kIngressClass: {
      auto& o = static_cast<IngressClass&>(obj);
      v.Obj("spec", [&] {
        v.Str("controller", o.controller);
        v.OptObj("parameters", o.parameters, [&](IngressClassParametersReference& p) {
          v.OptStr("apiGroup", p.api_group);
          v.Str("kind", p.kind);
          v.Str("name", p.name);
          v.OptStr("scope", p.scope);
          v.OptStr("namespace", p.namespace_);
        });
      }, kAlways);
      break;
    }
    case Kind::kIngressClassParams: {
      auto& o = static_cast<IngressClassParams&>(obj);
      v.Obj("spec", [&] {
        v.OptStr("loadBalancerName", o.load_balancer_name);
        v.StrList("certificateArn", o.certificate_arn);
        v.OptObj("namespaceSelector", o.namespace_selector, [&](LabelSelector& s) { VisitSelector(v, s); });
        v.Obj("group", [&] { v.OptStr("name", o.group_name); });
        v.OptStr("scheme", o.scheme);
        v.StrList("inboundCIDRs", o.inbound_cidrs);
        v.OptStr("sslPolicy", o.ssl_policy);
        v.OptStr("sslRedirectPort", o.ssl_redirect_port);
        v.PresentObj("subnets", o.has_subnets, [&] {
          v.StrList("ids", o.subnet_ids);
          v.StrListMap("tags", o.subnet_tags);
        });
        v.OptStr("ipAddressType", o.ip_address_type);
        VisitKeyValues(v, "tags", o.tags);
        v.OptStr("targetType", o.target_type);
        VisitKeyValues(v, "loadBalancerAttributes", o.load_balancer_attributes);
        v.List("listeners", o.listeners, [&](IngressClassParamsListener& l) {
          v.Str("protocol", l.protocol);
          v.Int32("port", l.port);
          VisitKeyValues(v, "listenerAttributes", l.listener_attributes);
        });
        v.Obj("minimumLoadBalancerCapacity",
              [&] { v.OptInt32("capacityUnits", o.minimum_load_balancer_capacity_units); });
        v.Obj("ipamConfiguration", [&] { v.OptStr("ipv4IPAMPoolId", o.ipv4_ipam_pool_id); });
        v.StrList("prefixListsIDs", o.prefix_lists_ids);
        v.StrList("PrefixListsIDs", o.prefix_lists_ids_legacy);
        v.OptStr("wafv2AclArn", o.wafv2_acl_arn);
        v.OptStr("wafv2AclName", o.wafv2_acl_name);
      }, kAlways);
      break;
    }
    case Kind::kSecret: {
      auto& o = static_cast<Secret&>(obj);
      v.Str("type", o.type);
      v.StrMap("data", o.data);
      v.StrMap("stringData", o.string_data);
      v.Ignore("immutable");
      break;
    }
    case Kind::kConfigMap: {
      auto& o = static_cast<ConfigMap&>(obj);
      v.StrMap("data", o.data);
      v.Ignore({"binaryData", "immutable"});
      break;
    }
    case Kind::kServiceAccount:
      v.Ignore({"secrets", "imagePullSecrets", "automountServiceAccountToken"});
      break;
    case Kind::kEvent: {
      auto& o = static_cast<Event&>(obj);
      v.Obj("involvedObject", [&] {
        v.Str("kind", o.involved_object.kind);
        v.Str("namespace", o.involved_object.namespace_);
        v.Str("name", o.involved_object.name);
        v.Str("uid", o.involved_object.uid);
        v.Str("apiVersion", o.involved_object.api_version);
        v.Str("resourceVersion", o.involved_object.resource_version);
        v.Str("fieldPath", o.involved_object.field_path);
      }, kAlways);
      v.Str("reason", o.reason);
      v.Str("message", o.message);
      v.Str("type", o.type);
      v.Obj("source", [&] {
        v.Str("component", o.source_component);
        v.Ignore("host");
      }, kAlways);
      std::string reporting_instance;  // not modelled; the API server prints it empty
      v.Str("reportingComponent", o.reporting_component, kAlways);
      v.Str("reportingInstance", reporting_instance, kAlways);
      v.Str("firstTimestamp", o.first_timestamp);
      v.Str("lastTimestamp", o.last_timestamp);
      v.Int32("count", o.count);
      v.Ignore({"eventTime", "action", "related", "series"});
      break;
    }
    case Kind::kTargetGroupBinding: {
      auto& o = static_cast<TargetGroupBinding&>(obj);
      v.Obj("spec", [&] {
        v.Str("targetGroupARN", o.target_group_arn);
        v.Str("targetGroupName", o.target_group_name);
        v.Str("targetType", o.target_type);
        v.Obj("serviceRef", [&] {
          v.Str("name", o.service_name, kAlways);
          v.IntStr("port", o.service_port, kAlways);
        }, kAlways);
        v.Obj("networking", [&] {
          v.List("ingress", o.networking_ingress, [&](TgbNetworkingIngressRule& r) {
            v.List("from", r.from, [&](TgbNetworkingPeer& p) {
              v.Obj("ipBlock", [&] { v.OptStr("cidr", p.ip_block_cidr); });
              v.OptObj("securityGroup", p.security_group, [&](TgbSecurityGroup& g) { v.Str("groupID", g.group_id); });
            });
            v.List("ports", r.ports, [&](TgbNetworkingPort& p) {
              v.Str("protocol", p.protocol);
              v.OptIntStr("port", p.port);
            });
          });
        });
        v.OptObj("nodeSelector", o.node_selector, [&](LabelSelector& s) { VisitSelector(v, s); });
        v.Str("ipAddressType", o.ip_address_type);
        v.Str("vpcID", o.vpc_id);
        v.OptBool("multiClusterTargetGroup", o.multi_cluster_target_group);
        v.Str("targetGroupProtocol", o.target_group_protocol);
      }, kAlways);
      v.Obj("status", [&] { v.Int64("observedGeneration", o.observed_generation); });
      break;
    }
  }
}

std::shared_ptr<Object> NewObject(Kind kind) {
  switch (kind) {
    case Kind::kNamespace: return std::make_shared<Namespace>();
    case Kind::kNode: return std::make_shared<Node>();
    case Kind::kPod: return std::make_shared<Pod>();
    case Kind::kService: return std::make_shared<Service>();
    case Kind::kEndpoints: return std::make_shared<Endpoints>();
    case Kind::kEndpointSlice: return std::make_shared<EndpointSlice>();
    case Kind::kDeployment: return std::make_shared<Deployment>();
    case Kind::kReplicaSet: return std::make_shared<ReplicaSet>();
    case Kind::kIngress: return std::make_shared<Ingress>();
    case Kind::kIngressClass: return std::make_shared<IngressClass>();
    case Kind::kIngressClassParams: return std::make_shared<IngressClassParams>();
    case Kind::kSecret: return std::make_shared<Secret>();
    case Kind::kConfigMap: return std::make_shared<ConfigMap>();
    case Kind::kServiceAccount: return std::make_shared<ServiceAccount>();
    case Kind::kEvent: return std::make_shared<Event>();
    case Kind::kTargetGroupBinding: return std::make_shared<TargetGroupBinding>();
  }
  return nullptr;
}

std::string Loc(const std::string& file, const YAML::Node& n, int line_offset) {
  YAML::Mark m = n.Mark();
  int line = m.line < 0 ? 1 : m.line + 1;
  int col = m.column < 0 ? 1 : m.column + 1;
  return file + ":" + std::to_string(line + line_offset) + ":" + std::to_string(col);
}

Error DecodeError(const std::string& location, const std::string& message) {
  return MakeError(ErrorCode::kInvalidArgument, location + ": " + message, "BadRequest");
}

std::string ScalarField(const YAML::Node& doc, const char* key) {
  if (!doc.IsMap()) return "";
  YAML::Node n = doc[key];
  if (!n || !n.IsScalar()) return "";
  return n.Scalar();
}

Result<DecodedObject> DecodeNode(const YAML::Node& doc, const std::string& file, int line_offset) {
  const std::string loc = Loc(file, doc, line_offset);
  if (!doc.IsMap()) {
    return DecodeError(loc, "json: cannot unmarshal " + std::string(JsonTypeName(doc)) +
                                " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                                "Kind string \"json:\\\"kind,omitempty\\\"\" }");
  }
  const std::string api_version = ScalarField(doc, "apiVersion");
  const std::string kind_name = ScalarField(doc, "kind");
  if (api_version.empty() || kind_name.empty()) {
    std::string msg = "error validating data: [";
    if (api_version.empty()) msg += "apiVersion not set";
    if (api_version.empty() && kind_name.empty()) msg += ", ";
    if (kind_name.empty()) msg += "kind not set";
    return DecodeError(loc, msg + "]");
  }
  Kind kind;
  if (!ParseKind(kind_name, &kind) || api_version != KindApiVersion(kind)) {
    return DecodeError(loc, "no matches for kind \"" + kind_name + "\" in version \"" + api_version + "\"");
  }
  std::shared_ptr<Object> obj = NewObject(kind);
  Decoder d(doc, file, line_offset);
  d.Ignore({"apiVersion", "kind"});
  d.Obj("metadata", [&] { VisitMeta(d, obj->metadata); });
  VisitBody(d, *obj);
  d.Finish();
  if (!d.ok()) {
    const std::string version = api_version.substr(api_version.find('/') == std::string::npos
                                                       ? 0
                                                       : api_version.find('/') + 1);
    return DecodeError(d.error_location(), kind_name + " in version \"" + version + "\" cannot be handled as a " +
                                               kind_name + ": " + d.error_message());
  }
  if (!KindIsNamespaced(kind)) obj->metadata.namespace_.clear();
  DecodedObject out;
  out.object = obj;
  out.line = doc.Mark().line + 1 + line_offset;
  out.column = doc.Mark().column + 1;
  return out;
}

Json ToJson(const Object& obj) {
  Json root = Json::object();
  root["apiVersion"] = KindApiVersion(obj.kind());
  root["kind"] = KindName(obj.kind());
  // The encoder only reads; the schema functions take non-const references so that one schema
  // serves both directions.
  Object& mutable_obj = const_cast<Object&>(obj);
  Encoder e(&root);
  e.Obj("metadata", [&] { VisitMeta(e, mutable_obj.metadata); }, kAlways);
  VisitBody(e, mutable_obj);
  return root;
}

}  // namespace

bool IsSimulatorConfigNode(const YAML::Node& node) {
  return node.IsMap() && ScalarField(node, "apiVersion") == "sim.local/v1";
}

Result<ObjectPtr> DecodeObjectNode(const YAML::Node& node, const std::string& file_name, int line_offset) {
  auto r = DecodeNode(node, file_name, line_offset);
  if (!r.ok()) return r.error();
  return r.value().object;
}

Result<std::vector<DecodedObject>> DecodeManifestsWithPositions(const std::string& text, const std::string& file_name,
                                                                int line_offset) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line < 0 ? 1 : e.mark.line + 1;
    int col = e.mark.column < 0 ? 1 : e.mark.column + 1;
    return MakeError(ErrorCode::kInvalidArgument,
                     file_name + ":" + std::to_string(line + line_offset) + ":" + std::to_string(col) +
                         ": yaml: " + e.msg,
                     "BadRequest");
  }
  std::vector<DecodedObject> out;
  for (const YAML::Node& doc : docs) {
    if (!doc || doc.IsNull()) continue;
    if (IsSimulatorConfigNode(doc)) continue;
    // A `kind: List` document (kubectl get -o yaml) carries its objects in items.
    if (doc.IsMap() && ScalarField(doc, "kind") == "List" && ScalarField(doc, "apiVersion") == "v1") {
      YAML::Node items = doc["items"];
      if (items && items.IsSequence()) {
        for (size_t i = 0; i < items.size(); ++i) {
          auto r = DecodeNode(items[i], file_name, line_offset);
          if (!r.ok()) return r.error();
          out.push_back(r.value());
        }
      }
      continue;
    }
    auto r = DecodeNode(doc, file_name, line_offset);
    if (!r.ok()) return r.error();
    out.push_back(r.value());
  }
  return out;
}

Result<std::vector<ObjectPtr>> DecodeManifests(const std::string& text, const std::string& file_name,
                                               int line_offset) {
  auto r = DecodeManifestsWithPositions(text, file_name, line_offset);
  if (!r.ok()) return r.error();
  std::vector<ObjectPtr> out;
  out.reserve(r.value().size());
  for (auto& d : r.value()) out.push_back(d.object);
  return out;
}

std::string EncodeJson(const Object& obj) { return ToJson(obj).dump(4); }

std::string EncodeCompactJson(const Object& obj) { return ToJson(obj).dump(); }

std::string EncodeSpecJson(const Object& obj) {
  Json j = ToJson(obj);
  j.erase("apiVersion");
  j.erase("kind");
  j.erase("metadata");
  j.erase("status");
  return j.dump();
}

std::string EncodeFingerprint(const Object& obj, bool include_resource_version) {
  std::string out;
  out.reserve(1024);
  out.push_back(static_cast<char>(obj.kind()));
  Object& mutable_obj = const_cast<Object&>(obj);
  Fingerprinter f(&out);
  f.set_skip_resource_version(!include_resource_version);
  f.Obj("metadata", [&] { VisitMeta(f, mutable_obj.metadata); }, kAlways);
  f.set_skip_resource_version(false);
  VisitBody(f, mutable_obj);
  return out;
}

std::string EncodeSpecFingerprint(const Object& obj) {
  std::string out;
  out.reserve(512);
  out.push_back(static_cast<char>(obj.kind()));
  Fingerprinter f(&out);
  f.set_skip_root_status(true);
  VisitBody(f, const_cast<Object&>(obj));
  return out;
}

std::string EncodeStatusFingerprint(const Object& obj) {
  std::string out;
  out.reserve(256);
  out.push_back(static_cast<char>(obj.kind()));
  Fingerprinter f(&out);
  f.set_only_root_status(true);
  VisitBody(f, const_cast<Object&>(obj));
  return out;
}

std::string EncodeJsonList(const std::vector<ObjectPtr>& objects) {
  Json list = Json::object();
  list["apiVersion"] = "v1";
  list["kind"] = "List";
  list["metadata"] = Json{{"resourceVersion", ""}};
  list["items"] = Json::array();
  for (const ObjectPtr& o : objects) list["items"].push_back(ToJson(*o));
  return list.dump(4);
}

}  // namespace sim::k8s
