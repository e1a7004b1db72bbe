#pragma once
// A YAML (or JSON) document as a plain tree whose every node knows where it starts, for
// the canonical readers' error messages. Built from libyaml's event parser (which keeps
// no tree of its own): nesting is bounded at 500 levels, and aliases are refused, so
// that an alias bomb never expands (a racine document has no use for them); anchors
// (`&name`) are accepted and ignored.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/source.h"
#include "formats/limits.h"

namespace racine {

struct TreeNode {
  enum class Kind : std::uint8_t { null, scalar, sequence, map };
  // Largest members first: 64 bytes a node (a canonical matrix has about 19 per activity).
  std::string value;            // of a scalar
  std::vector<TreeNode> items;  // a sequence's items; a map's keys and values, alternating
  std::uint32_t offset = 0;     // byte offset of the node in the source
  Kind kind = Kind::null;
  bool quoted = false;  // a scalar written in quotes (never a number or a boolean)

  // The value of `key` in a map, or nullptr.
  [[nodiscard]] const TreeNode* find(std::string_view key) const;
  [[nodiscard]] TreeNode* find(std::string_view key) {
    return const_cast<TreeNode*>(static_cast<const TreeNode&>(*this).find(key));
  }
  // "a mapping", "a sequence", "a string", "null", for messages.
  [[nodiscard]] std::string_view kind_name() const;
  // Same kind, quoting, value, offset and items (the JSON reader against libyaml's).
  bool operator==(const TreeNode&) const = default;
};

// An Error at byte `offset` of `src`, with its line and column.
Error error_at(const SourcePtr& src, std::uint32_t offset, std::string message);

// A node that breaks the shape a reader expects: thrown while walking a tree, and
// turned into an Error with line and column by `error_at(src, r.offset, r.message)`.
struct TreeRefusal {
  std::uint32_t offset;
  std::string message;
};
[[noreturn]] void refuse(const TreeNode& n, std::string message);

// The value of a scalar; refuses anything else ("WHAT must be a string, not a mapping").
const std::string& scalar_of(const TreeNode& n, std::string_view what);

// Parses the single document of `src`. Errors carry the source's path, line and column.
// A document of more than `max_values` values is refused (see formats/limits.h).
// A document that starts with '{' or '[' is first read by simdjson (parse_json_tree),
// then, if it declines, by libyaml: the tree and every message are libyaml's either way.
Result<TreeNode> parse_tree(const SourcePtr& src,
                            std::uint64_t max_values = max_tree_values(Limits{}));

// The tree of a JSON document, read by simdjson, or nothing when simdjson cannot prove
// the tree is the one libyaml builds (invalid JSON, a limit crossed, or JSON that YAML
// 1.1 reads otherwise: see tree.cpp). Exposed for the tests and the fuzzer, which compare
// it with parse_yaml_tree.
std::optional<TreeNode> parse_json_tree(const SourcePtr& src,
                                        std::uint64_t max_values = max_tree_values(Limits{}));

// The document read by libyaml alone.
Result<TreeNode> parse_yaml_tree(const SourcePtr& src,
                                 std::uint64_t max_values = max_tree_values(Limits{}));

// Every document of a multi-document stream (`---` separated), empty ones left out;
// `max_values` applies to each document.
Result<std::vector<TreeNode>> parse_documents(const SourcePtr& src,
                                              std::uint64_t max_values = max_tree_values(Limits{}));

}  // namespace racine
