#pragma once
// Markdown reader, parsing stage: cmark-gfm with GitHub's extensions (tables,
// strikethrough, autolinks, tag filter) parses one chunk of the document into a tree,
// and these helpers read text out of its nodes. See markdown_reader.h for the stages.

#include <cmark-gfm.h>

#include <memory>
#include <string>
#include <string_view>

namespace racine::markdown {

using NodePtr = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

// Memory for the trees of one read, chunk after chunk: cmark-gfm allocates a node and a
// buffer or two per cell, and freeing them one by one was a fifth of the reader's
// instructions. While a ParseMemory lives, trees that parse_gfm makes with it are carved
// out of large blocks (a bump allocator); reset() takes them all back at once, keeping
// the blocks for the next chunk; the destructor returns the blocks. cmark-gfm's
// allocator callbacks take no context, and reading a tree may allocate (a literal is
// made a C string on first read), so the arena is the thread's: only the first
// ParseMemory alive on a thread is active; one made while another lives leaves its
// trees to the default allocator (node by node), so that no tree ever allocates in
// another tree's arena.
class ParseMemory {
 public:
  ParseMemory();
  ~ParseMemory();
  ParseMemory(const ParseMemory&) = delete;
  ParseMemory& operator=(const ParseMemory&) = delete;

  // Every tree parsed with this memory is gone: its nodes are no longer valid.
  void reset();

  // True when trees parsed with it live in its arena (see above).
  [[nodiscard]] bool active() const { return m_active; }

  // True when a parse since the last reset went past the arena's budget (a parse that
  // allocates far more than it keeps): its later allocations were the heap's.
  [[nodiscard]] bool spilled() const;

  // Bytes held in blocks (for tests and benchmarks).
  [[nodiscard]] std::size_t capacity() const;

  struct Arena;

 private:
  std::unique_ptr<Arena> m_arena;
  bool m_active = false;
};

// The tree of `head` followed by `body` (`head`: the repeated header of a table cut into
// chunks, or empty), parsed as GitHub renders it. With an active `memory`, the tree
// lives in it: freeing the returned pointer does nothing, and `memory.reset()` (or its
// end) ends the tree; otherwise the tree is allocated and freed node by node.
NodePtr parse_gfm(std::string_view head, std::string_view body, ParseMemory* memory = nullptr);

// True when `n` is a table of the table extension.
bool is_table(cmark_node* n);

// Rendered text of a node: text and code literals, breaks as spaces, HTML dropped
// (but for footnote calls written `<sup>1</sup>`, kept as "¹").
std::string rendered_text(cmark_node* root);

// True when the only content of `cell` is one strong (or emphasis) span: a section row title.
bool is_bold_only(cmark_node* cell);

}  // namespace racine::markdown
