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

// A bump allocator. Each allocation is preceded by its size (for realloc); the last
// allocation grows in place when its block has room, as cmark-gfm's buffers grow by
// realloc while a node's text is read.
struct ParseMemory::Arena {
  static constexpr std::size_t k_block = std::size_t{4} << 20;
  static constexpr std::size_t k_align = 16;
  static constexpr std::size_t k_header = 16;

  struct Block {
    std::byte* data = nullptr;
    std::size_t size = 0;
  };
  std::vector<Block> blocks;  // blocks[0..current] in use; later ones kept for reuse
  std::vector<Block> large;   // allocations larger than a block, freed by reset
  std::size_t current = 0;
  std::size_t used = 0;
  std::byte* last = nullptr;  // the newest allocation (its payload)

  ~Arena() { release(); }

  void release() {
    for (const Block& b : blocks) std::free(b.data);
    for (const Block& b : large) std::free(b.data);
    blocks.clear();
    large.clear();
    current = used = 0;
    last = nullptr;
  }

  void reset() {
    for (const Block& b : large) std::free(b.data);
    large.clear();
    current = used = 0;
    last = nullptr;
  }

  static std::size_t rounded(std::size_t bytes) { return (bytes + k_align - 1) & ~(k_align - 1); }
  static std::size_t& size_of(std::byte* payload) {
    return *reinterpret_cast<std::size_t*>(payload - k_header);
  }

  std::byte* allocate(std::size_t bytes) {
    const std::size_t need = k_header + rounded(bytes);
    if (need > k_block / 4) {
      auto* data = static_cast<std::byte*>(std::malloc(need));
      if (data == nullptr) return nullptr;
      large.push_back({data, need});
      std::byte* payload = data + k_header;
      size_of(payload) = bytes;
      return payload;  // not `last`: it cannot grow in place
    }
    if (blocks.empty() || used + need > blocks[current].size) {
      if (!blocks.empty()) ++current;
      if (current == blocks.size()) {
        auto* data = static_cast<std::byte*>(std::malloc(k_block));
        if (data == nullptr) return nullptr;
        blocks.push_back({data, k_block});
      }
      used = 0;
    }
    std::byte* payload = blocks[current].data + used + k_header;
    used += need;
    size_of(payload) = bytes;
    last = payload;
    return payload;
  }

  void* zeroed(std::size_t count, std::size_t size) {
    if (size != 0 && count > SIZE_MAX / size) return nullptr;
    std::byte* p = allocate(count * size);
    if (p != nullptr) std::memset(p, 0, count * size);
    return p;
  }

  void* grow(void* ptr, std::size_t bytes) {
    if (ptr == nullptr) return allocate(bytes);
    auto* p = static_cast<std::byte*>(ptr);
    const std::size_t old = size_of(p);
    if (p == last) {
      const std::size_t start = static_cast<std::size_t>(p - blocks[current].data) - k_header;
      const std::size_t need = k_header + rounded(bytes);
      if (start + need <= blocks[current].size) {
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

// When the arena cannot get memory, the allocation is cmark-gfm's default allocator's
// (which ends the process when there is none, as without the arena), kept with the
// arena's large blocks so that reset frees it. A header in front keeps realloc's size.
void* fallback(std::size_t bytes) {
  const std::size_t need = ParseMemory::Arena::k_header + bytes;
  auto* data = static_cast<std::byte*>(cmark_get_default_mem_allocator()->calloc(1, need));
  t_arena->large.push_back({data, need});
  std::byte* payload = data + ParseMemory::Arena::k_header;
  ParseMemory::Arena::size_of(payload) = bytes;
  return payload;
}

void* arena_calloc(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) {
    return cmark_get_default_mem_allocator()->calloc(count, size);  // refuses, as ever
  }
  void* p = t_arena->zeroed(count, size);
  return p != nullptr ? p : fallback(count * size);
}
void* arena_realloc(void* ptr, std::size_t bytes) {
  void* p = t_arena->grow(ptr, bytes);
  if (p != nullptr) return p;
  void* q = fallback(bytes);
  if (ptr == nullptr) return q;
  const std::size_t old = ParseMemory::Arena::size_of(static_cast<std::byte*>(ptr));
  std::memcpy(q, ptr, old < bytes ? old : bytes);
  return q;
}
void arena_free(void* /*ptr*/) {}
void no_free(cmark_node* /*root*/) {}

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

std::size_t ParseMemory::capacity() const {
  std::size_t total = 0;
  for (const auto& b : m_arena->blocks) total += b.size;
  for (const auto& b : m_arena->large) total += b.size;
  return total;
}

NodePtr parse_gfm(std::string_view head, std::string_view body, ParseMemory* memory) {
  cmark_gfm_core_extensions_ensure_registered();
  const bool arena = memory != nullptr && memory->active();
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
  return NodePtr(cmark_parser_finish(parser), arena ? &no_free : &cmark_node_free);
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
