// The parsing stage of the Markdown reader: cmark-gfm trees in a ParseMemory arena read
// the same as trees allocated node by node (formats/markdown_cmark.h).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/markdown_cmark.h"

namespace racine::markdown {
namespace {

// Every node's type and rendered text, depth first.
std::vector<std::string> dump(cmark_node* root) {
  std::vector<std::string> out;
  cmark_iter* it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    out.push_back(std::string(cmark_node_get_type_string(n)) + ":" + rendered_text(n));
  }
  cmark_iter_free(it);
  return out;
}

std::string document(std::size_t rows, std::size_t title_bytes) {
  std::string md = "# Title\n\n| Task | PM | Dev |\n|---|---|---|\n";
  for (std::size_t r = 0; r < rows; ++r) {
    md +=
        "| " + std::string(title_bytes, 'a') + std::to_string(r) + " **bold** `code` | RA | C |\n";
  }
  md += "\n*Note <sup>1</sup> with a [link](https://example.org).\n";
  return md;
}

TEST(ParseMemory, TreesReadTheSameAsWithoutIt) {
  ParseMemory memory;
  // Small cells, then a cell longer than a block's quarter (its own allocation), then
  // small ones again after reset: blocks are reused.
  for (const auto& [rows, bytes] : std::vector<std::pair<std::size_t, std::size_t>>{
           {2000, 10}, {3, std::size_t{3} << 20}, {500, 40}}) {
    const std::string md = document(rows, bytes);
    const NodePtr plain = parse_gfm("", md);
    std::vector<std::string> expected = dump(plain.get());
    {
      const NodePtr arena = parse_gfm("", md, &memory);
      EXPECT_EQ(dump(arena.get()), expected) << rows << " rows of " << bytes << " bytes";
    }
    EXPECT_GT(memory.capacity(), 0U);
    memory.reset();
  }
}

TEST(ParseMemory, APathologicalParseSpillsToTheHeap) {
  // cmark-gfm's table extension re-reads a paragraph at each line that looks like a
  // delimiter row, copying its cells: 20 KB of these allocate about 700 MB in total
  // while keeping under 2 MB. Past its budget the arena spills: what it holds stays
  // bounded, and the tree reads the same.
  std::string md;
  for (int i = 0; i < 2000; ++i) md += "a|b\n-|-|-\n";
  const NodePtr plain = parse_gfm("", md);
  const std::vector<std::string> expected = dump(plain.get());
  ParseMemory memory;
  {
    const NodePtr tree = parse_gfm("", md, &memory);
    EXPECT_TRUE(memory.spilled());
    EXPECT_LT(memory.capacity(), std::size_t{72} << 20);
    EXPECT_EQ(dump(tree.get()), expected);
  }
  memory.reset();
  EXPECT_FALSE(memory.spilled());
  // An ordinary document of the same size does not spill.
  const NodePtr ordinary = parse_gfm("", document(400, 20), &memory);
  EXPECT_FALSE(memory.spilled());
}

TEST(ParseMemory, ResetKeepsBlocksAndDropsLargeAllocations) {
  ParseMemory memory;
  {
    const NodePtr tree = parse_gfm("", document(3, std::size_t{3} << 20), &memory);
    ASSERT_NE(tree, nullptr);
  }
  const std::size_t with_large = memory.capacity();
  memory.reset();
  EXPECT_LT(memory.capacity(), with_large);
  EXPECT_GT(memory.capacity(), 0U);
}

TEST(ParseMemory, OnlyTheFirstOnAThreadIsActive) {
  ParseMemory outer;
  ASSERT_TRUE(outer.active());
  const NodePtr a = parse_gfm("", document(10, 5), &outer);
  const std::vector<std::string> a_first = dump(a.get());
  {
    // A second memory while the first lives: its trees are allocated node by node, and
    // reading the first one's tree meanwhile allocates in the first one's arena.
    ParseMemory inner;
    EXPECT_FALSE(inner.active());
    const NodePtr b = parse_gfm("", document(10, 6), &inner);
    EXPECT_EQ(dump(b.get()).size(), a_first.size());
    EXPECT_EQ(dump(a.get()), a_first);
    EXPECT_EQ(inner.capacity(), 0U);
  }
  EXPECT_EQ(dump(a.get()), a_first);
  const NodePtr c = parse_gfm("", document(10, 7), &outer);
  EXPECT_EQ(dump(c.get()).size(), a_first.size());
}

}  // namespace
}  // namespace racine::markdown
