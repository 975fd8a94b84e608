#pragma once
// TextLines: a list of text lines stored back to back in one buffer, for long narratives (a step
// that registers 200,000 targets narrates a line for each): no allocation per line, and a line is
// read as a string_view. It reads like a std::vector<std::string> that is only appended to.
//
//   TextLines notes;
//   notes.push_back("+ target group k8s-default-web-0123456789");
//   notes.Append({"+ target ", tg_name, " <- ", id_port});   // joined in place, no temporary
//   for (std::string_view n : notes) out << n << "\n";

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

class TextLines {
 public:
  TextLines() = default;
  TextLines(std::initializer_list<std::string_view> lines) {
    for (std::string_view l : lines) push_back(l);
  }

  void push_back(std::string_view line) {
    text_.append(line);
    ends_.push_back(text_.size());
  }
  // One line made of `parts`, joined.
  void Append(std::initializer_list<std::string_view> parts) {
    for (std::string_view p : parts) text_.append(p);
    ends_.push_back(text_.size());
  }

  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  std::string_view back() const { return (*this)[size() - 1]; }

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    const_iterator() = default;
    const_iterator(const TextLines* lines, size_t i) : lines_(lines), i_(i) {}
    std::string_view operator*() const { return (*lines_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const TextLines* lines_ = nullptr;
    size_t i_ = 0;
  };
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }

  std::vector<std::string> ToVector() const { return std::vector<std::string>(begin(), end()); }
  bool operator==(const TextLines& o) const { return ends_ == o.ends_ && text_ == o.text_; }

 private:
  std::string text_;          // the lines, back to back
  std::vector<size_t> ends_;  // where each line ends in text_
};

}  // namespace sim
