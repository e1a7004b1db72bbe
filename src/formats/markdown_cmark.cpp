#include "formats/markdown_cmark.h"

#include <cmark-gfm-core-extensions.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "core/text.h"

namespace racine::markdown {

namespace {

// `<sup>12</sup>` (raw HTML, as some tools write footnote calls) at `n`: the number as
// superscript digits ("¹²"), which are footnote markers like any other; `n` moves to the
// closing tag. Empty when `n` does not open such a group.
std::string superscript_group(cmark_node*& n) {
  auto literal = [](cmark_node* x) {
    const char* l = x != nullptr ? cmark_node_get_literal(x) : nullptr;
    return l != nullptr ? std::string_view(l) : std::string_view();
  };
  auto is_tag = [&](cmark_node* x, std::string_view tag) {
    if (x == nullptr || cmark_node_get_type(x) != CMARK_NODE_HTML_INLINE) return false;
    const std::string_view l = literal(x);
    if (l.size() != tag.size()) return false;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(l[i])) != tag[i]) return false;
    }
    return true;
  };
  if (!is_tag(n, "<sup>")) return "";
  cmark_node* body = cmark_node_next(n);
  if (body == nullptr || cmark_node_get_type(body) != CMARK_NODE_TEXT) return "";
  cmark_node* close = cmark_node_next(body);
  if (!is_tag(close, "</sup>")) return "";
  const std::string_view digits = literal(body);
  if (digits.empty() || digits.size() > 3) return "";
  static constexpr std::array<std::string_view, 10> k_superscript = {
      "\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074",
      "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
  std::string out;
  for (const char c : digits) {
    if (c < '0' || c > '9') return "";
    out += k_superscript[static_cast<std::size_t>(c - '0')];
  }
  n = close;
  return out;
}

}  // namespace

// A bump allocator. Each allocation is preceded by a header: its size (for realloc) and
// its owner. The last allocation grows in place when its block has room, as cmark-gfm's
// buffers grow by realloc while a node's text is read. What is freed is taken back only
// at reset, so a parse that allocates far more than it keeps (cmark-gfm's table
// extension re-reads a paragraph at each line that looks like a delimiter row, copying
// its cells each time) would grow without bound: past a budget per chunk the arena
// spills, and from then on until reset every allocation is the heap's, freed one by one
// as without the arena.
struct ParseMemory::Arena {
  static constexpr std::size_t k_block = std::size_t{4} << 20;
  static constexpr std::size_t k_align = 16;
  static constexpr std::size_t k_header = 16;
  enum : std::size_t { in_arena = 0, on_heap = 1 };

  struct Block {
    std::byte* data = nullptr;
    std::size_t size = 0;
  };
  std::vector<Block> blocks;  // blocks[0..current] in use; later ones kept for reuse
  std::vector<Block> large;   // allocations larger than a block's quarter, freed by reset
  std::size_t current = 0;
  std::size_t used = 0;
  std::byte* last = nullptr;  // the newest allocation (its payload)
  std::size_t handed = 0;     // bytes handed out since reset
  std::size_t budget = SIZE_MAX;
  bool spilled = false;

  ~Arena() { release(); }

  void release() {
    reset();
    for (const Block& b : blocks) std::free(b.data);
    blocks.clear();
  }

  void reset() {
    for (const Block& b : large) std::free(b.data);
    large.clear();
    current = used = handed = 0;
    last = nullptr;
    spilled = false;
  }

  static std::size_t rounded(std::size_t bytes) { return (bytes + k_align - 1) & ~(k_align - 1); }
  static std::size_t& size_of(std::byte* payload) {
    return *reinterpret_cast<std::size_t*>(payload - k_header);
  }
  static std::size_t& owner_of(std::byte* payload) {
    return *reinterpret_cast<std::size_t*>(payload - k_header + sizeof(std::size_t));
  }

  // An allocation in the arena, or nullptr when it has spilled or the system has no
  // memory for another block (it spills then too).
  std::byte* allocate(std::size_t bytes) {
    const std::size_t need = k_header + rounded(bytes);
    if (spilled || need > budget - std::min(budget, handed)) {
      spilled = true;
      return nullptr;
    }
    std::byte* payload = nullptr;
    if (need > k_block / 4) {
      auto* data = static_cast<std::byte*>(std::malloc(need));
      if (data == nullptr) {
        spilled = true;
        return nullptr;
      }
      large.push_back({data, need});
      payload = data + k_header;  // not `last`: it cannot grow in place
    } else {
      if (blocks.empty() || used + need > blocks[current].size) {
        const std::size_t next = blocks.empty() ? 0 : current + 1;
        if (next == blocks.size()) {
          auto* data = static_cast<std::byte*>(std::malloc(k_block));
          if (data == nullptr) {
            spilled = true;
            return nullptr;
          }
          blocks.push_back({data, k_block});
        }
        current = next;
        used = 0;
      }
      payload = blocks[current].data + used + k_header;
      used += need;
      last = payload;
    }
    handed += need;
    size_of(payload) = bytes;
    owner_of(payload) = in_arena;
    return payload;
  }

  void* zeroed(std::size_t count, std::size_t size) {
    std::byte* p = allocate(count * size);
    if (p != nullptr) std::memset(p, 0, count * size);
    return p;
  }

  void* grow(void* ptr, std::size_t bytes) {
    if (ptr == nullptr) return allocate(bytes);
    auto* p = static_cast<std::byte*>(ptr);
    const std::size_t old = size_of(p);
    if (p == last && !spilled) {
      const std::size_t start = static_cast<std::size_t>(p - blocks[current].data) - k_header;
      const std::size_t need = k_header + rounded(bytes);
      const std::size_t had = used - start;
      if (start + need <= blocks[current].size &&
          (need <= had || need - had <= budget - std::min(budget, handed))) {
        if (need > had) handed += need - had;
        used = start + need;
        size_of(p) = bytes;
        return p;
      }
    }
    std::byte* q = allocate(bytes);
    if (q != nullptr) std::memcpy(q, p, old < bytes ? old : bytes);
    return q;
  }
};

namespace {

thread_local ParseMemory::Arena* t_arena = nullptr;

using Arena = ParseMemory::Arena;

// An allocation of the heap, through cmark-gfm's default allocator (which ends the
// process when the system has no memory, as without the arena), with the same header.
std::byte* heap_allocation(std::size_t bytes) {
  auto* data = static_cast<std::byte*>(
      cmark_get_default_mem_allocator()->calloc(1, Arena::k_header + bytes));
  std::byte* payload = data + Arena::k_header;
  Arena::size_of(payload) = bytes;
  Arena::owner_of(payload) = Arena::on_heap;
  return payload;
}

void* arena_calloc(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) {
    return cmark_get_default_mem_allocator()->calloc(count, size);  // refuses, as ever
  }
  void* p = t_arena->zeroed(count, size);
  return p != nullptr ? p : heap_allocation(count * size);
}

void* arena_realloc(void* ptr, std::size_t bytes) {
  auto* p = static_cast<std::byte*>(ptr);
  if (p != nullptr && Arena::owner_of(p) == Arena::on_heap) {
    auto* data = static_cast<std::byte*>(
        cmark_get_default_mem_allocator()->realloc(p - Arena::k_header, Arena::k_header + bytes));
    std::byte* payload = data + Arena::k_header;
    Arena::size_of(payload) = bytes;
    return payload;
  }
  if (void* q = t_arena->grow(ptr, bytes)) return q;
  std::byte* q = heap_allocation(bytes);
  if (p != nullptr) {
    const std::size_t old = Arena::size_of(p);
    std::memcpy(q, p, old < bytes ? old : bytes);
  }
  return q;
}

// Only the heap's allocations are freed one by one; the arena's wait for reset.
void arena_free(void* ptr) {
  auto* p = static_cast<std::byte*>(ptr);
  if (p != nullptr && Arena::owner_of(p) == Arena::on_heap)
    cmark_get_default_mem_allocator()->free(p - Arena::k_header);
}

// A tree in the arena is freed node by node only when the arena spilled: the heap's
// nodes and buffers among its own are then freed; otherwise reset takes it all back.
void arena_tree_free(cmark_node* root) {
  if (root != nullptr && t_arena != nullptr && t_arena->spilled) cmark_node_free(root);
}

cmark_mem k_arena_mem = {arena_calloc, arena_realloc, arena_free};

}  // namespace

ParseMemory::ParseMemory() : m_arena(std::make_unique<Arena>()), m_active(t_arena == nullptr) {
  if (m_active) t_arena = m_arena.get();
}

ParseMemory::~ParseMemory() {
  if (m_active) t_arena = nullptr;
}

void ParseMemory::reset() {
  m_arena->reset();
}

bool ParseMemory::spilled() const {
  return m_arena->spilled;
}

std::size_t ParseMemory::capacity() const {
  std::size_t total = 0;
  for (const auto& b : m_arena->blocks) total += b.size;
  for (const auto& b : m_arena->large) total += b.size;
  return total;
}

NodePtr parse_gfm(std::string_view head, std::string_view body, ParseMemory* memory) {
  cmark_gfm_core_extensions_ensure_registered();
  const bool arena = memory != nullptr && memory->active();
  // The arena's budget for this tree: far above what a tree keeps (about 45 bytes per
  // byte of Markdown), far below what a pathological parse allocates (see Arena).
  if (arena) t_arena->budget = (std::size_t{64} << 20) + 64 * (head.size() + body.size());
  cmark_parser* parser = arena ? cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &k_arena_mem)
                               : cmark_parser_new(CMARK_OPT_DEFAULT);
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> guard(parser, &cmark_parser_free);
  for (const char* ext : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (cmark_syntax_extension* e = cmark_find_syntax_extension(ext)) {
      cmark_parser_attach_syntax_extension(parser, e);
    }
  }
  if (!head.empty()) cmark_parser_feed(parser, head.data(), head.size());
  cmark_parser_feed(parser, body.data(), body.size());
  return NodePtr(cmark_parser_finish(parser), arena ? &arena_tree_free : &cmark_node_free);
}

bool is_table(cmark_node* n) {
  return std::string_view(cmark_node_get_type_string(n)) == "table";
}

// Walks the subtree with parent links, without recursion (inline nesting can be as deep
// as the input is long) and without cmark_iter's allocation: this runs for every cell.
std::string rendered_text(cmark_node* root) {
  std::string out;
  cmark_node* n = cmark_node_first_child(root);
  while (n != nullptr) {
    const auto t = cmark_node_get_type(n);
    if (t == CMARK_NODE_HTML_INLINE) {
      out += superscript_group(n);
    } else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
      if (const char* lit = cmark_node_get_literal(n)) out += lit;
    } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      out += ' ';
    } else if (t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_HTML_BLOCK) {
      if (cmark_node* child = cmark_node_first_child(n)) {
        n = child;
        continue;
      }
    }
    // Next: the sibling, or the sibling of the nearest ancestor below `root` that has one.
    while (n != nullptr && n != root && cmark_node_next(n) == nullptr) n = cmark_node_parent(n);
    n = (n == nullptr || n == root) ? nullptr : cmark_node_next(n);
  }
  return out;
}

bool is_bold_only(cmark_node* cell) {
  cmark_node* child = cmark_node_first_child(cell);
  int strong = 0;
  for (; child != nullptr; child = cmark_node_next(child)) {
    const auto t = cmark_node_get_type(child);
    if (t == CMARK_NODE_STRONG) {
      ++strong;
    } else if (t == CMARK_NODE_TEXT) {
      const char* lit = cmark_node_get_literal(child);
      if (lit != nullptr && !text::trim(lit).empty()) return false;
    } else {
      return false;
    }
  }
  return strong == 1;
}

}  // namespace racine::markdown
