#include "formats/tree.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>

#include "core/text.h"
#include "formats/limits.h"

namespace racine {

namespace {

// Reads a string without copying it.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // NOLINT: read only, std::streambuf wants char*
    setg(p, p, p + s.size());
  }
};

// Thrown by the builder at the value that crosses its limit.
struct TooManyNodes {
  int pos;
};

class Builder : public YAML::EventHandler {
 public:
  explicit Builder(std::uint64_t max_values) : m_max_values(max_values) {}
  std::vector<TreeNode> stack;  // open collections
  TreeNode root;
  bool has_root = false;
  int alias_at = -1;  // byte offset of the first alias
  // Byte offset of the first value that is not valid UTF-8 once decoded: yaml-cpp 0.7
  // decodes the escapes \_ \N \L \P of double-quoted strings to single bytes.
  int bad_utf8_at = -1;
  int start = -1;  // byte offset where the document starts

  void OnDocumentStart(const YAML::Mark& mark) override { start = mark.pos; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    count(mark);
    TreeNode n;
    n.offset = offset(mark);
    add(std::move(n));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    if (alias_at < 0) alias_at = mark.pos;
    OnNull(mark, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    count(mark);
    TreeNode n;
    n.kind = TreeNode::Kind::scalar;
    if (bad_utf8_at < 0 && text::find_invalid_utf8(value)) bad_utf8_at = mark.pos;
    n.quoted = tag == "!";
    n.value = value;
    n.offset = offset(mark);
    add(std::move(n));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(TreeNode::Kind::sequence, mark);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(TreeNode::Kind::map, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  static std::uint32_t offset(const YAML::Mark& m) {
    return m.pos < 0 ? 0U : static_cast<std::uint32_t>(m.pos);
  }
  void count(const YAML::Mark& mark) {
    if (++m_nodes > m_max_values) throw TooManyNodes{mark.pos};
  }
  void open(TreeNode::Kind kind, const YAML::Mark& mark) {
    count(mark);
    TreeNode n;
    n.kind = kind;
    n.offset = offset(mark);
    stack.push_back(std::move(n));
  }
  void close() {
    TreeNode n = std::move(stack.back());
    stack.pop_back();
    add(std::move(n));
  }
  std::uint64_t m_max_values;
  std::uint64_t m_nodes = 0;
  void add(TreeNode n) {
    if (!stack.empty()) {
      stack.back().items.push_back(std::move(n));
    } else {
      root = std::move(n);
      has_root = true;
    }
  }
};

}  // namespace

Error error_at(const SourcePtr& src, std::uint32_t offset, std::string message) {
  const Position p = src->position(
      std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(src->text().size())));
  return Error{src->path(), p.line, p.column, std::move(message)};
}

namespace {
Error bad_utf8(const SourcePtr& src, int pos) {
  return error_at(src, pos < 0 ? 0U : static_cast<std::uint32_t>(pos),
                  "this value is not valid UTF-8 once its escapes are decoded: write the "
                  "character itself instead of the escapes \\_ \\N \\L \\P");
}

Error too_many_nodes(const SourcePtr& src, int pos, std::uint64_t max_values) {
  return error_at(
      src, pos < 0 ? 0U : static_cast<std::uint32_t>(pos),
      fmt::format("more than {} values in one document, above the limit of one per "
                  "{} bytes of limits.max-bytes (raise it in .racine.yaml to read this)",
                  max_values, k_tree_bytes_per_value));
}
}  // namespace

void refuse(const TreeNode& n, std::string message) {
  throw TreeRefusal{n.offset, std::move(message)};
}

const std::string& scalar_of(const TreeNode& n, std::string_view what) {
  if (n.kind != TreeNode::Kind::scalar)
    refuse(n, fmt::format("{} must be a string, not {}", what, n.kind_name()));
  return n.value;
}

const TreeNode* TreeNode::find(std::string_view key) const {
  if (kind != Kind::map) return nullptr;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].kind == Kind::scalar && items[i].value == key) return &items[i + 1];
  }
  return nullptr;
}

std::string_view TreeNode::kind_name() const {
  switch (kind) {
    case Kind::null: return "null";
    case Kind::scalar: return "a scalar";
    case Kind::sequence: return "a sequence";
    case Kind::map: return "a mapping";
  }
  return "?";
}

Result<TreeNode> parse_tree(const SourcePtr& src, std::uint64_t max_values) {
  ViewBuffer buffer(src->text());
  std::istream in(&buffer);
  Builder b(max_values);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(b)) return error_at(src, 0, "the document is empty");
    if (b.alias_at >= 0) {
      return error_at(src, static_cast<std::uint32_t>(b.alias_at),
                      "aliases (*name) are not allowed in a racine document: write the value out");
    }
    if (b.bad_utf8_at >= 0) return bad_utf8(src, b.bad_utf8_at);
    Builder rest(max_values);
    if (parser.HandleNextDocument(rest)) {
      // yaml-cpp 0.7 returns the same document forever on some malformed input.
      Builder third(max_values);
      if (rest.start <= b.start ||
          (parser.HandleNextDocument(third) && third.start <= rest.start)) {
        return error_at(src, static_cast<std::uint32_t>(std::max(rest.start, 0)),
                        "malformed YAML: the parser cannot go past this point");
      }
      return error_at(src, rest.root.offset, "a second YAML document: a file holds one matrix");
    }
  } catch (const TooManyNodes& e) {
    return too_many_nodes(src, e.pos, max_values);
  } catch (const YAML::DeepRecursion& e) {
    return error_at(src, e.mark.pos < 0 ? 0U : static_cast<std::uint32_t>(e.mark.pos),
                    fmt::format("nesting deeper than {} levels", e.depth()));
  } catch (const YAML::Exception& e) {
    return error_at(src, e.mark.pos < 0 ? 0U : static_cast<std::uint32_t>(e.mark.pos), e.msg);
  }
  if (!b.has_root) return error_at(src, 0, "the document is empty");
  return std::move(b.root);
}

Result<std::vector<TreeNode>> parse_documents(const SourcePtr& src, std::uint64_t max_values) {
  ViewBuffer buffer(src->text());
  std::istream in(&buffer);
  std::vector<TreeNode> out;
  try {
    YAML::Parser parser(in);
    int last_start = -1;
    for (;;) {
      Builder b(max_values);
      if (!parser.HandleNextDocument(b)) break;
      // yaml-cpp 0.7 can return the same document forever on some malformed input.
      if (b.start <= last_start) {
        return error_at(src, static_cast<std::uint32_t>(std::max(b.start, 0)),
                        "malformed YAML: the parser cannot go past this point");
      }
      last_start = b.start;
      if (b.alias_at >= 0) {
        return error_at(src, static_cast<std::uint32_t>(b.alias_at),
                        "aliases (*name) are not allowed here: write the value out");
      }
      if (b.bad_utf8_at >= 0) return bad_utf8(src, b.bad_utf8_at);
      if (b.has_root && b.root.kind != TreeNode::Kind::null) out.push_back(std::move(b.root));
    }
  } catch (const TooManyNodes& e) {
    return too_many_nodes(src, e.pos, max_values);
  } catch (const YAML::DeepRecursion& e) {
    return error_at(src, e.mark.pos < 0 ? 0U : static_cast<std::uint32_t>(e.mark.pos),
                    fmt::format("nesting deeper than {} levels", e.depth()));
  } catch (const YAML::Exception& e) {
    return error_at(src, e.mark.pos < 0 ? 0U : static_cast<std::uint32_t>(e.mark.pos), e.msg);
  }
  return out;
}

}  // namespace racine
