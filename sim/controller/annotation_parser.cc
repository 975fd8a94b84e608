// Mirrors upstream pkg/annotations/parser.go (and Go strconv error texts).
#include "sim/controller/annotation_parser.h"

#include <cctype>
#include <limits>

namespace sim::controller {

namespace {

std::string TrimSpace(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace

std::string GoQuote(const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\r':
        o += "\\r";
        break;
      case '\t':
        o += "\\t";
        break;
      case '\a':
        o += "\\a";
        break;
      case '\b':
        o += "\\b";
        break;
      case '\f':
        o += "\\f";
        break;
      case '\v':
        o += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          o += "\\x";
          o += kHex[c >> 4];
          o += kHex[c & 0xF];
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  o += '"';
  return o;
}

Result<bool> GoParseBool(const std::string& s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  return MakeError(ErrorCode::kInvalidArgument, "strconv.ParseBool: parsing " + GoQuote(s) + ": invalid syntax");
}

Result<int64_t> GoParseInt(const std::string& s, int bit_size) {
  auto syntax = [&]() {
    return MakeError(ErrorCode::kInvalidArgument, "strconv.ParseInt: parsing " + GoQuote(s) + ": invalid syntax");
  };
  auto range = [&]() {
    return MakeError(ErrorCode::kInvalidArgument, "strconv.ParseInt: parsing " + GoQuote(s) + ": value out of range");
  };
  if (s.empty()) return syntax();
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= s.size()) return syntax();
  // Magnitude limit: 2^(bit_size-1) for negatives, 2^(bit_size-1)-1 for positives.
  const unsigned long long cutoff = 1ULL << (bit_size - 1);
  unsigned long long v = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return syntax();
    if (!overflow) {
      v = v * 10 + static_cast<unsigned long long>(c - '0');
      if (v > cutoff) overflow = true;
    }
  }
  if (overflow || (!neg && v >= cutoff) || (neg && v > cutoff)) return range();
  int64_t r = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return r;
}

bool AnnotationParser::ParseString(std::string_view suffix, std::string* value,
                                   const Annotations& annotations) const {
  AssignKey(suffix, &key_buf_);
  auto it = annotations.find(key_buf_);
  if (it == annotations.end()) return false;
  *value = it->second;
  return true;
}

Result<bool> AnnotationParser::ParseBool(std::string_view suffix, bool* value, const Annotations& annotations) const {
  std::string raw;
  if (!ParseString(suffix, &raw, annotations)) return false;
  auto v = GoParseBool(raw);
  if (!v.ok()) {
    return Wrap(v.error(), "failed to parse bool annotation, " + Key(suffix) + ": " + raw);
  }
  *value = v.value();
  return true;
}

Result<bool> AnnotationParser::ParseInt32(std::string_view suffix, int32_t* value,
                                          const Annotations& annotations) const {
  std::string raw;
  if (!ParseString(suffix, &raw, annotations)) return false;
  auto v = GoParseInt(raw, 32);
  if (!v.ok()) {
    return Wrap(v.error(), "failed to parse int32 annotation, " + Key(suffix) + ": " + raw);
  }
  *value = static_cast<int32_t>(v.value());
  return true;
}

Result<bool> AnnotationParser::ParseInt64(std::string_view suffix, int64_t* value,
                                          const Annotations& annotations) const {
  std::string raw;
  if (!ParseString(suffix, &raw, annotations)) return false;
  auto v = GoParseInt(raw, 64);
  if (!v.ok()) {
    return Wrap(v.error(), "failed to parse int64 annotation, " + Key(suffix) + ": " + raw);
  }
  *value = v.value();
  return true;
}

bool AnnotationParser::ParseStringSlice(std::string_view suffix, std::vector<std::string>* value,
                                        const Annotations& annotations) const {
  std::string raw;
  if (!ParseString(suffix, &raw, annotations)) return false;
  *value = SplitCommaSeparatedString(raw);
  return true;
}

std::vector<std::string> SplitCommaSeparatedString(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(',', start);
    std::string part = TrimSpace(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (!part.empty()) out.push_back(part);
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

std::vector<std::string> SplitKeyValuePairs(const std::string& s) {
  std::vector<std::string> result;
  std::string current;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      current += s[i + 1];
      ++i;
    } else if (s[i] == ',') {
      std::string remaining = TrimSpace(s.substr(i + 1));
      if (remaining.find('=') != std::string::npos) {
        result.push_back(TrimSpace(current));
        current.clear();
      } else if (!remaining.empty()) {
        result.push_back(TrimSpace(current));
        result.push_back(remaining);
        return result;
      } else {
        current += s[i];
      }
    } else {
      current += s[i];
    }
  }
  if (!current.empty()) result.push_back(TrimSpace(current));
  return result;
}

Result<bool> AnnotationParser::ParseStringMap(std::string_view suffix, std::map<std::string, std::string>* value,
                                              const Annotations& annotations) const {
  std::string raw;
  if (!ParseString(suffix, &raw, annotations)) return false;
  std::map<std::string, std::string> kv;
  for (const std::string& pair : SplitKeyValuePairs(raw)) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "failed to parse stringMap annotation, " + Key(suffix) + ": " + raw);
    }
    std::string k = TrimSpace(pair.substr(0, eq));
    std::string v = TrimSpace(pair.substr(eq + 1));
    if (k.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "failed to parse stringMap annotation, " + Key(suffix) + ": " + raw);
    }
    kv[k] = v;
  }
  if (value != nullptr) *value = std::move(kv);
  return true;
}

Result<bool> AnnotationParser::ParseJSON(std::string_view suffix,
                                         const std::function<Status(const std::string&)>& decode,
                                         const Annotations& annotations) const {
  std::string raw;
  if (!ParseString(suffix, &raw, annotations)) return false;
  Status st = decode(raw);
  if (!st.ok()) {
    return Wrap(st.error(), "failed to parse json annotation, " + Key(suffix) + ": " + raw);
  }
  return true;
}

}  // namespace sim::controller
