#include "sim/base/text_lines.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace sim {
TEST_SUITE("base.text_lines") {
TEST_CASE("text lines read back as pushed, in order, empty lines included") {
  TextLines lines;
  CHECK(lines.empty());
  lines.push_back("+ target group k8s-default-web-0123456789");
  lines.push_back("");
  lines.Append({"+ target ", "k8s-default-web-0123456789", " <- ", "i-0abc:30080"});
  lines.Append({});
  lines.push_back(std::string(300, 'x'));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "+ target group k8s-default-web-0123456789");
  CHECK(lines[1].empty());
  CHECK(lines[2] == "+ target k8s-default-web-0123456789 <- i-0abc:30080");
  CHECK(lines[3].empty());
  CHECK(lines[4] == std::string(300, 'x'));
  CHECK(lines.back() == lines[4]);
  const std::vector<std::string> as_vector = lines.ToVector();
  CHECK(as_vector == std::vector<std::string>{"+ target group k8s-default-web-0123456789", "",
                                              "+ target k8s-default-web-0123456789 <- i-0abc:30080", "",
                                              std::string(300, 'x')});
  std::vector<std::string> iterated;
  for (std::string_view l : lines) iterated.emplace_back(l);
  CHECK(iterated == as_vector);
}

TEST_CASE("text lines compare by their lines, not by how the text was cut") {
  CHECK(TextLines{"ab", "c"} == TextLines{"ab", "c"});
  CHECK_FALSE(TextLines{"ab", "c"} == TextLines{"a", "bc"});  // same text, other lines
  CHECK_FALSE(TextLines{"ab"} == TextLines{"ab", ""});
  TextLines built;
  built.Append({"a", "b"});
  built.push_back("c");
  CHECK(built == TextLines{"ab", "c"});
}
}
}  // namespace sim
