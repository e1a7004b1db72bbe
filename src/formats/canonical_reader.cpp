#include "formats/canonical_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/ids.h"
#include "core/markers.h"
#include "core/text.h"
#include "formats/tree.h"

namespace racine {

namespace {

using Kind = TreeNode::Kind;

void expect_kind(const TreeNode& n, Kind kind, std::string_view what) {
  if (n.kind == kind) return;
  const char* want = kind == Kind::map        ? "a mapping"
                     : kind == Kind::sequence ? "a sequence"
                                              : "a string";
  refuse(n, fmt::format("{} must be {}, not {}", what, want, n.kind_name()));
}

// The keys of a mapping, each checked against `allowed`.
void check_keys(const TreeNode& map, std::string_view what,
                std::initializer_list<std::string_view> allowed) {
  // Each key is one of `allowed`, so a key seen twice is found among the keys before it
  // (at most as many as `allowed` holds): no set to allocate per mapping.
  for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
    const TreeNode& key = map.items[i];
    if (key.kind != Kind::scalar) refuse(key, fmt::format("{}: keys must be strings", what));
    if (std::find(allowed.begin(), allowed.end(), key.value) == allowed.end()) {
      std::string list;
      for (const auto a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      refuse(key, fmt::format("unknown key '{}' in {} (known: {})", key.value, what, list));
    }
    for (std::size_t j = 0; j < i; j += 2) {
      if (map.items[j].value == key.value)
        refuse(key, fmt::format("key '{}' appears twice in {}", key.value, what));
    }
  }
}

Span span_of(const TreeNode& n) {
  return {n.offset, n.offset + 1};
}

class CanonicalReader {
 public:
  CanonicalReader(const SourcePtr& src, const ReadOptions& options)
      : m_src(src), m_options(options) {}

  // Reads the matrix; each activity's subtree is released once read, so that the
  // model's allocations reuse its memory (the tree and the model of a large matrix are
  // then never whole at once).
  Matrix read(TreeNode& root) {
    expect_kind(root, Kind::map, "the document");
    check_keys(root, "the document",
               {"racine", "id", "title", "language", "roles", "parties", "options", "notes",
                "gray_zone", "glossary", "sections", "kubernetes"});
    const TreeNode* version = root.find("racine");
    if (version == nullptr) refuse(root, "not a racine document: the key 'racine: 1' is missing");
    if (version->kind != Kind::scalar || version->value != "1") {
      refuse(*version, fmt::format("unsupported format version '{}': this racine reads version 1",
                                   version->value));
    }
    m_m.source = m_src;
    if (const auto* n = root.find("id")) m_m.id = scalar_of(*n, "id");
    if (m_m.id.empty()) m_m.id = m_options.id;
    if (const auto* n = root.find("title")) m_m.title = scalar_of(*n, "title");
    if (const auto* n = root.find("language"); n != nullptr && n->kind != Kind::null) {
      m_m.language = scalar_of(*n, "language");
    }
    if (const auto* n = root.find("roles"); n != nullptr && n->kind != Kind::null) read_roles(*n);
    const TreeNode* parties = root.find("parties");
    if (parties == nullptr) refuse(root, "the key 'parties' is missing");
    read_parties(*parties);
    TreeNode* sections = root.find("sections");
    if (sections == nullptr) refuse(root, "the key 'sections' is missing");
    read_sections(*sections);
    if (const auto* n = root.find("notes"); n != nullptr && n->kind != Kind::null) read_notes(*n);
    if (const auto* n = root.find("gray_zone"); n != nullptr && n->kind != Kind::null) {
      m_m.gray_zone = GrayZone{scalar_of(*n, "gray_zone"), span_of(*n)};
    }
    if (const auto* n = root.find("glossary"); n != nullptr && n->kind != Kind::null)
      read_glossary(*n);
    bind_markers(m_m, MarkerBinding::by_section);
    if (const auto* n = root.find("options"); n != nullptr && n->kind != Kind::null)
      read_options(*n);
    return std::move(m_m);
  }

 private:
  // `roles: RASCI`, or `roles: {letters: RACI, legend: [{letter: R, text: "(R) Réalise"}]}`.
  void read_roles(const TreeNode& n) {
    const TreeNode* letters = &n;
    if (n.kind == Kind::map) {
      check_keys(n, "roles", {"letters", "legend"});
      letters = n.find("letters");
      if (letters == nullptr) refuse(n, "roles needs 'letters'");
      if (const auto* legend = n.find("legend"); legend != nullptr && legend->kind != Kind::null) {
        expect_kind(*legend, Kind::sequence, "a legend");
        for (const TreeNode& e : legend->items) {
          expect_kind(e, Kind::map, "a legend entry");
          check_keys(e, "a legend entry", {"letter", "text"});
          const TreeNode* l = e.find("letter");
          if (l == nullptr) refuse(e, "a legend entry needs a 'letter'");
          const std::string& v = scalar_of(*l, "a legend letter");
          if (v.size() != 1 || v[0] < 'A' || v[0] > 'Z')
            refuse(*l, fmt::format("a legend letter is one of A to Z, not '{}'", v));
          const TreeNode* t = e.find("text");
          m_m.roles.legend.push_back(
              {v[0], t != nullptr ? scalar_of(*t, "a legend text") : std::string(), e.offset});
        }
      }
    }
    const std::string& v = scalar_of(*letters, "roles");
    for (const char c : v) {
      if (c < 'A' || c > 'Z') refuse(*letters, fmt::format("role letters are A to Z, not '{}'", v));
    }
    if (v.empty()) refuse(*letters, "role letters cannot be empty");
    m_m.roles.letters = RoleSet::from_letters(v).to_string();
  }

  // `glossary: {disaster: [PRA, plan de reprise], backup: [snapshot]}`: a concept id
  // (no spaces) and the words or phrases that name it.
  void read_glossary(const TreeNode& n) {
    expect_kind(n, Kind::map, "glossary");
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i + 1 < n.items.size(); i += 2) {
      const TreeNode& key = n.items[i];
      const TreeNode& words = n.items[i + 1];
      const std::string& id = scalar_of(key, "a glossary concept");
      if (!seen.insert(id).second)
        refuse(key, fmt::format("glossary concept '{}' appears twice", id));
      if (id.empty() || id.find_first_of(" \t,:#~") != std::string::npos)
        refuse(key, fmt::format("a glossary concept is a word without spaces, ',', ':', '#' "
                                "or '~', not '{}'",
                                id));
      GlossaryEntry e{id, {}, span_of(key)};
      if (words.kind == Kind::scalar) {
        e.words.push_back(scalar_of(words, "a glossary word"));
      } else {
        expect_kind(words, Kind::sequence, "the words of a glossary concept");
        for (const TreeNode& w : words.items) e.words.push_back(scalar_of(w, "a glossary word"));
      }
      for (std::size_t w = 0; w < e.words.size(); ++w) {
        if (text::trim(e.words[w]).empty()) {
          refuse(words.kind == Kind::scalar ? words : words.items[w],
                 fmt::format("glossary concept '{}': a word cannot be empty", id));
        }
      }
      m_m.glossary.push_back(std::move(e));
    }
  }

  void read_parties(const TreeNode& list) {
    expect_kind(list, Kind::sequence, "parties");
    if (list.items.empty()) refuse(list, "parties: a matrix needs at least one party");
    for (const TreeNode& p : list.items) {
      expect_kind(p, Kind::map, "a party");
      check_keys(p, "a party", {"id", "name"});
      Party party;
      const TreeNode* name = p.find("name");
      if (name == nullptr) refuse(p, "a party needs a 'name'");
      party.name = scalar_of(*name, "a party's name");
      const TreeNode* id = p.find("id");
      party.id = id != nullptr ? scalar_of(*id, "a party's id") : text::slugify(party.name);
      if (party.id.empty()) refuse(id != nullptr ? *id : p, "a party's id cannot be empty");
      if (m_party_index.contains(party.id))
        refuse(id != nullptr ? *id : p, fmt::format("party id '{}' appears twice", party.id));
      m_party_index.emplace(party.id, m_m.parties.size());
      party.spellings.push_back({party.name, span_of(p)});
      m_m.parties.push_back(std::move(party));
    }
  }

  std::size_t party_of(const TreeNode& key) {
    // A few parties (the usual case, looked up once per cell): compared in turn, cheaper
    // than hashing; party ids are unique, so the first match is the one.
    if (m_m.parties.size() <= 8) {
      for (std::size_t p = 0; p < m_m.parties.size(); ++p) {
        if (m_m.parties[p].id == key.value) return p;
      }
    }
    const auto it = m_party_index.find(key.value);
    if (it == m_party_index.end()) {
      std::string ids;
      for (const auto& p : m_m.parties) {
        if (!ids.empty()) ids += ", ";
        ids += p.id;
      }
      refuse(key, fmt::format("unknown party id '{}' (parties: {})", key.value, ids));
    }
    return it->second;
  }

  void read_sections(TreeNode& list) {
    expect_kind(list, Kind::sequence, "sections");
    for (TreeNode& s : list.items) {
      expect_kind(s, Kind::map, "a section");
      check_keys(s, "a section", {"title", "activities"});
      Section sec;
      if (const auto* t = s.find("title"); t != nullptr && t->kind != Kind::null)
        sec.title = scalar_of(*t, "a section's title");
      sec.level = 2;
      sec.span = span_of(s);
      Table table;
      table.span = span_of(s);
      table.header_cells = static_cast<std::uint32_t>(m_m.parties.size() + 1);
      const auto table_index = static_cast<std::uint32_t>(m_m.tables.size());
      m_m.tables.push_back(table);
      if (auto* acts = s.find("activities"); acts != nullptr && acts->kind != Kind::null) {
        expect_kind(*acts, Kind::sequence, "activities");
        sec.activities.reserve(acts->items.size());
        for (TreeNode& a : acts->items) {
          sec.activities.push_back(read_activity(a, table_index));
          a = TreeNode();  // released (see read)
        }
      }
      m_m.sections.push_back(std::move(sec));
    }
  }

  Activity read_activity(const TreeNode& a, std::uint32_t table) {
    expect_kind(a, Kind::map, "an activity");
    check_keys(a, "an activity",
               {"id", "title", "line", "roles", "markers", "title_markers", "fields"});
    Activity act;
    act.span = span_of(a);
    act.table = table;
    act.source_cells = static_cast<std::uint32_t>(m_m.parties.size() + 1);
    act.cells.resize(m_m.parties.size());
    const TreeNode* title = a.find("title");
    if (title == nullptr) refuse(a, "an activity needs a 'title'");
    if (title->kind == Kind::map) {
      for (std::size_t i = 0; i + 1 < title->items.size(); i += 2) {
        act.titles.emplace_back(scalar_of(title->items[i], "a title's language"),
                                scalar_of(title->items[i + 1], "a title"));
      }
      if (act.titles.empty()) refuse(*title, "an activity's title cannot be empty");
      act.title = act.titles.front().second;
      for (const auto& [lang, t] : act.titles) {
        if (lang == m_m.language) act.title = t;
      }
    } else {
      act.title = scalar_of(*title, "an activity's title");
    }
    if (const auto* id = a.find("id")) {
      act.id = scalar_of(*id, "an activity's id");
      act.explicit_id = true;
      if (act.id.empty()) refuse(*id, "an activity's id cannot be empty");
      if (!m_ids.claim(act.id)) refuse(*id, fmt::format("duplicate activity id '{}'", act.id));
    } else {
      act.id = m_ids.from_title(act.title);  // derived like Markdown's, unique
    }
    if (const auto* line = a.find("line"))
      scalar_of(*line, "an activity's line");  // informative only
    if (const auto* roles = a.find("roles"); roles != nullptr && roles->kind != Kind::null) {
      expect_kind(*roles, Kind::map, "roles");
      for (std::size_t i = 0; i + 1 < roles->items.size(); i += 2) {
        const std::size_t p = party_of(roles->items[i]);
        const TreeNode& v = roles->items[i + 1];
        Cell& cell = act.cells[p];
        if (cell.present)
          refuse(roles->items[i],
                 fmt::format("party '{}' appears twice in roles", roles->items[i].value));
        cell.present = true;
        cell.span = span_of(v);
        if (v.kind == Kind::null) continue;
        const std::string& text = scalar_of(v, "roles");
        const RoleCell rc = parse_role_cell(text, m_m.roles.letters);
        cell.text = text;
        cell.roles = rc.roles;
        // Each marker once, as in a `markers:` list ("R*...A*" names '*' once): what is
        // written back then reads back the same (found by the canonical fuzzer).
        CellExtras extras{{}, rc.unknown, rc.remark};
        for (const auto& mk : rc.markers) {
          if (std::find(extras.markers.begin(), extras.markers.end(), mk) == extras.markers.end())
            extras.markers.push_back(mk);
        }
        cell.set_extras(std::move(extras));
      }
    }
    if (const auto* markers = a.find("markers");
        markers != nullptr && markers->kind != Kind::null) {
      expect_kind(*markers, Kind::map, "markers");
      for (std::size_t i = 0; i + 1 < markers->items.size(); i += 2) {
        Cell& cell = act.cells[party_of(markers->items[i])];
        const TreeNode& list = markers->items[i + 1];
        expect_kind(list, Kind::sequence, "a party's markers");
        // Each marker once; a set, as the list may be as long as the input.
        std::unordered_set<std::string> seen(cell.markers().begin(), cell.markers().end());
        for (const TreeNode& mk : list.items) {
          const std::string& m = scalar_of(mk, "a marker");
          if (seen.insert(m).second) cell.edit().markers.push_back(m);
        }
        if (!cell.present) {
          cell.present = true;
          cell.span = span_of(list);
        }
      }
    }
    if (const auto* tm = a.find("title_markers"); tm != nullptr && tm->kind != Kind::null) {
      expect_kind(*tm, Kind::sequence, "title_markers");
      for (const TreeNode& mk : tm->items) act.title_markers.push_back(scalar_of(mk, "a marker"));
    }
    if (const auto* fields = a.find("fields"); fields != nullptr && fields->kind != Kind::null) {
      expect_kind(*fields, Kind::map, "fields");
      for (std::size_t i = 0; i + 1 < fields->items.size(); i += 2) {
        act.fields.push_back({scalar_of(fields->items[i], "a field's name"),
                              fields->items[i + 1].kind == Kind::null
                                  ? std::string()
                                  : scalar_of(fields->items[i + 1], "a field")});
      }
    }
    return act;
  }

  void read_notes(const TreeNode& list) {
    expect_kind(list, Kind::sequence, "notes");
    for (const TreeNode& n : list.items) {
      expect_kind(n, Kind::map, "a note");
      check_keys(n, "a note", {"marker", "text", "line", "section"});
      Note note;
      const TreeNode* marker = n.find("marker");
      const TreeNode* text = n.find("text");
      if (marker == nullptr || text == nullptr) refuse(n, "a note needs a 'marker' and a 'text'");
      note.marker = scalar_of(*marker, "a note's marker");
      note.text = scalar_of(*text, "a note's text");
      note.span = span_of(n);
      if (const auto* line = n.find("line")) scalar_of(*line, "a note's line");
      if (const auto* sec = n.find("section"); sec != nullptr && sec->kind != Kind::null) {
        const std::string& v = scalar_of(*sec, "a note's section");
        char* end = nullptr;
        const long k = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || k < -1 || k >= static_cast<long>(m_m.sections.size())) {
          refuse(*sec,
                 fmt::format("a note's section must be the index of a section (0 to {}), not '{}'",
                             m_m.sections.size() == 0 ? 0 : m_m.sections.size() - 1, v));
        }
        note.after_section = static_cast<int>(k);
      } else {
        note.after_section = static_cast<int>(m_m.sections.size()) - 1;
      }
      m_m.notes.push_back(std::move(note));
    }
  }

  void read_options(const TreeNode& list) {
    expect_kind(list, Kind::sequence, "options");
    // Activities by id, made at the first effect (`options: []` needs none).
    std::unordered_map<std::string_view, std::pair<std::uint32_t, std::uint32_t>> by_id;
    const auto index = [&] {
      if (!by_id.empty()) return;
      for (std::uint32_t s = 0; s < m_m.sections.size(); ++s) {
        for (std::uint32_t a = 0; a < m_m.sections[s].activities.size(); ++a)
          by_id[m_m.sections[s].activities[a].id] = {s, a};
      }
    };
    std::unordered_set<std::string> ids;
    for (const TreeNode& n : list.items) {
      expect_kind(n, Kind::map, "an option");
      check_keys(n, "an option",
                 {"id", "marker", "text", "line", "delegate", "activities", "effects"});
      Option o;
      const TreeNode* id = n.find("id");
      if (id == nullptr) refuse(n, "an option needs an 'id'");
      o.id = scalar_of(*id, "an option's id");
      if (!ids.insert(o.id).second) refuse(*id, fmt::format("option id '{}' appears twice", o.id));
      if (const auto* mk = n.find("marker"); mk != nullptr && mk->kind != Kind::null)
        o.marker = scalar_of(*mk, "an option's marker");
      if (const auto* t = n.find("text"); t != nullptr && t->kind != Kind::null)
        o.text = scalar_of(*t, "an option's text");
      for (std::size_t k = 0; k < m_m.notes.size(); ++k) {
        if (m_m.notes[k].marker == o.marker && (o.note < 0 || m_m.notes[k].text == o.text)) {
          o.note = static_cast<int>(k);
          if (m_m.notes[k].text == o.text) break;
        }
      }
      if (const auto* d = n.find("delegate"); d != nullptr && d->kind != Kind::null) {
        expect_kind(*d, Kind::scalar, "an option's delegate");
        o.delegate = static_cast<int>(party_of(*d));
      }
      if (const auto* effects = n.find("effects");
          effects != nullptr && effects->kind != Kind::null) {
        expect_kind(*effects, Kind::sequence, "an option's effects");
        o.explicit_effects = true;
        for (const TreeNode& e : effects->items) {
          expect_kind(e, Kind::map, "an effect");
          check_keys(e, "an effect", {"activity", "roles"});
          const TreeNode* act = e.find("activity");
          const TreeNode* roles = e.find("roles");
          if (act == nullptr || roles == nullptr)
            refuse(e, "an effect needs an 'activity' and 'roles'");
          index();
          const auto it = by_id.find(scalar_of(*act, "an effect's activity"));
          if (it == by_id.end()) refuse(*act, fmt::format("unknown activity id '{}'", act->value));
          OptionEffect eff;
          eff.section = it->second.first;
          eff.activity = it->second.second;
          expect_kind(*roles, Kind::map, "an effect's roles");
          for (std::size_t i = 0; i + 1 < roles->items.size(); i += 2) {
            const std::size_t p = party_of(roles->items[i]);
            const TreeNode& v = roles->items[i + 1];
            eff.roles.push_back(
                {p, v.kind == Kind::null
                        ? RoleSet{}
                        : parse_role_cell(scalar_of(v, "roles"), m_m.roles.letters).roles});
          }
          o.effects.push_back(std::move(eff));
        }
      }
      m_m.options.push_back(std::move(o));
    }
  }

  SourcePtr m_src;
  const ReadOptions& m_options;
  Matrix m_m;
  std::unordered_map<std::string, std::size_t> m_party_index;
  ActivityIds m_ids;
};

}  // namespace

// A canonical matrix holds at most one comma or opening bracket per 64 bytes of
// limits.max_bytes (1,000,000 at the default): yaml-cpp keeps about 300 bytes per value
// of a flow collection (JSON is one) before the tree sees it, so these are counted in
// the text first. A canonical JSON of 100,000 activities (about 15 MB) has about
// 1,000,000; racine's YAML, in block style, has few. (With the tree's own limit, see
// formats/limits.h and docs/formats.md.)
constexpr std::uint64_t k_flow_bytes_per_value = 64;

Result<Matrix> read_canonical(const SourcePtr& source, const ReadOptions& options) {
  // yaml-cpp keeps about 300 bytes per value of a flow collection ("[1,1,...]", JSON)
  // before the tree sees any: those are counted first, by their separators.
  const std::uint64_t max_flow = options.limits.max_bytes / k_flow_bytes_per_value;
  std::uint64_t separators = 0;
  const std::string_view text = source->text();
  // Counted a block at a time (a loop the compiler vectorises), the exact place found
  // only in the block that crosses the limit.
  constexpr std::size_t k_block = 1 << 16;
  std::size_t block = 0;
  for (; block < text.size(); block += k_block) {
    const std::size_t end = std::min(text.size(), block + k_block);
    std::uint64_t n = 0;
    for (std::size_t i = block; i < end; ++i) {
      const char c = text[i];
      n += static_cast<std::uint64_t>(c == ',') + static_cast<std::uint64_t>(c == '[') +
           static_cast<std::uint64_t>(c == '{');
    }
    if (separators + n > max_flow) break;
    separators += n;
  }
  for (std::size_t i = block; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == ',' || c == '[' || c == '{') && ++separators > max_flow) {
      return error_at(
          source, static_cast<std::uint32_t>(i),
          fmt::format("more than {} values in flow collections ('[...]', '{{...}}'), above "
                      "the limit of one per {} bytes of limits.max-bytes (raise it in "
                      ".racine.yaml to read this)",
                      max_flow, k_flow_bytes_per_value));
    }
  }
  auto tree = parse_tree(source, max_tree_values(options.limits));
  if (!tree) return tree.error();
  try {
    CanonicalReader reader(source, options);
    Matrix m = reader.read(*tree);
    if (m.activity_count() == 0) {
      return Error{source->path(), 0, 0, "no activity: the matrix has no section with activities"};
    }
    return m;
  } catch (const TreeRefusal& r) {
    return error_at(source, r.offset, r.message);
  }
}

}  // namespace racine
