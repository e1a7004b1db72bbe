#include "resolve/options.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "core/vocabulary.h"

namespace racine::resolve {

namespace {

// True when `needle` occurs in `hay` as whole words (both folded).
bool contains_words(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return false;
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = hay.find(needle); at != std::string_view::npos;
       at = hay.find(needle, at + 1)) {
    const bool left = at == 0 || !is_word(hay[at - 1]);
    const std::size_t end = at + needle.size();
    const bool right = end == hay.size() || !is_word(hay[end]);
    if (left && right) return true;
  }
  return false;
}

// Notes that belong to `o`: every delegation note with its marker (a document repeats
// the note under each table, not always in the same words).
std::vector<bool> notes_of(const Matrix& m, const Option& o) {
  std::vector<bool> mine(m.notes.size(), false);
  if (o.note < 0 || static_cast<std::size_t>(o.note) >= m.notes.size()) return mine;
  for (std::size_t n = 0; n < m.notes.size(); ++n) {
    mine[n] = m.notes[n].marker == o.marker &&
              vocabulary::is_delegation_note(text::fold(m.notes[n].text));
  }
  return mine;
}

std::string option_list(const Matrix& m) {
  if (m.options.empty()) return "this matrix has no options";
  std::string ids;
  for (const auto& o : m.options) ids += (ids.empty() ? "" : ", ") + o.id;
  return "options: " + ids;
}

}  // namespace

const Option* find_option(const Matrix& m, std::string_view id) {
  for (const auto& o : m.options) {
    if (o.id == id) return &o;
  }
  const std::string folded = text::fold(id);
  for (const auto& o : m.options) {
    if (text::fold(o.id) == folded) return &o;
  }
  return nullptr;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> delegable_rows(const Matrix& m,
                                                                    const Option& o) {
  const std::vector<bool> mine = notes_of(m, o);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> rows;
  for (const auto& use : m.marker_uses) {
    if (use.party < 0 || use.note < 0 || !mine[static_cast<std::size_t>(use.note)]) continue;
    rows.emplace_back(use.section, use.activity);
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

int delegate_of(const Matrix& m, const Option& o) {
  if (o.delegate >= 0) return o.delegate;
  std::string note;
  const std::vector<bool> mine = notes_of(m, o);
  for (std::size_t n = 0; n < m.notes.size(); ++n) {
    if (mine[n]) note += text::fold(m.notes[n].text) + " ";
  }
  if (note.empty()) note = text::fold(o.text);
  std::vector<std::size_t> named;
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    bool found = contains_words(note, text::fold(m.parties[p].name));
    for (const auto& sp : m.parties[p].spellings)
      found = found || contains_words(note, text::fold(sp.text));
    if (found) named.push_back(p);
  }
  if (named.size() > 1) {
    // "...deployed in the client's environments and managed by the client. Cloud Temple
    // offers ... to delegate certain operations to Cloud Temple": cells are handed to
    // another party, so a party that is Responsible on every delegable row is not it.
    const auto rows = delegable_rows(m, o);
    std::erase_if(named, [&](std::size_t p) {
      return !rows.empty() && std::all_of(rows.begin(), rows.end(), [&](const auto& r) {
        const Activity& a = m.sections[r.first].activities[r.second];
        return p < a.cells.size() && a.cells[p].roles.has(Role::responsible);
      });
    });
  }
  return named.size() == 1 ? static_cast<int>(named.front()) : -1;
}

std::vector<OptionEffect> effects_of(const Matrix& m, const Option& o) {
  if (o.explicit_effects) return o.effects;
  std::vector<OptionEffect> out;
  const int delegate = delegate_of(m, o);
  if (delegate < 0) return out;
  const auto d = static_cast<std::size_t>(delegate);
  for (const auto& [s, a] : delegable_rows(m, o)) {
    const Activity& act = m.sections[s].activities[a];
    if (d >= act.cells.size()) continue;
    std::size_t holder = act.cells.size();
    for (std::size_t p = 0; p < act.cells.size(); ++p) {
      if (p != d && act.cells[p].present && act.cells[p].roles.has(Role::responsible)) {
        holder = p;
        break;
      }
    }
    if (holder == act.cells.size()) continue;  // nobody but the delegate does it
    OptionEffect e;
    e.section = s;
    e.activity = a;
    e.roles.push_back({holder, act.cells[d].roles});
    e.roles.push_back({d, act.cells[holder].roles});
    out.push_back(std::move(e));
  }
  return out;
}

Result<Resolved> apply(const Matrix& m, const std::vector<std::string>& ids) {
  const std::string path = m.source ? m.source->path() : std::string();
  Resolved r{m, {}};
  for (const auto& id : ids) {
    Matrix& cur = r.matrix;
    const Option* found = find_option(cur, id);
    if (found == nullptr) {
      return Error{path, 0, 0,
                   fmt::format("no option '{}' in this matrix ({})", id, option_list(m))};
    }
    const Option o = *found;
    if (!o.explicit_effects && delegate_of(cur, o) < 0) {
      return Error{path, 0, 0,
                   fmt::format("option '{}' does not name one party to hand its rows to: \"{}\"",
                               o.id, o.text)};
    }
    const std::vector<OptionEffect> effects = effects_of(cur, o);
    for (const auto& e : effects) {
      if (e.section >= cur.sections.size() ||
          e.activity >= cur.sections[e.section].activities.size())
        continue;
      Activity& act = cur.sections[e.section].activities[e.activity];
      Change c{o.id, e.section, e.activity, {}, {}};
      for (const auto& cell : act.cells) c.before.push_back(cell.roles);
      for (const auto& as : e.roles) {
        if (as.party >= act.cells.size()) continue;
        act.cells[as.party].roles = as.roles;
        act.cells[as.party].present = true;
        act.cells[as.party].text = as.roles.to_string();
      }
      for (const auto& cell : act.cells) c.after.push_back(cell.roles);
      r.changes.push_back(std::move(c));
    }
    // The option is spent: its notes go, and so do the markers that pointed to them.
    const std::vector<bool> mine = notes_of(cur, o);
    std::vector<int> renumber(cur.notes.size(), -1);
    std::vector<Note> kept;
    for (std::size_t n = 0; n < cur.notes.size(); ++n) {
      if (mine[n]) continue;
      renumber[n] = static_cast<int>(kept.size());
      kept.push_back(cur.notes[n]);
    }
    std::vector<MarkerUse> uses;
    for (auto use : cur.marker_uses) {
      if (use.note >= 0 && mine[static_cast<std::size_t>(use.note)]) {
        Activity& act = cur.sections[use.section].activities[use.activity];
        auto& markers = use.party < 0
                            ? act.title_markers
                            : act.cells[static_cast<std::size_t>(use.party)].edit().markers;
        if (const auto it = std::find(markers.begin(), markers.end(), use.marker);
            it != markers.end()) {
          markers.erase(it);
        }
        if (use.party >= 0) {
          Cell& cell = act.cells[static_cast<std::size_t>(use.party)];
          cell.text = cell.roles.to_string();
          for (const auto& mk : cell.markers()) cell.text += mk;
        }
        continue;
      }
      if (use.note >= 0) use.note = renumber[static_cast<std::size_t>(use.note)];
      uses.push_back(std::move(use));
    }
    cur.marker_uses = std::move(uses);
    cur.notes = std::move(kept);
    std::erase_if(cur.options, [&](const Option& x) { return x.id == o.id; });
    for (auto& x : cur.options) {
      if (x.note >= 0) x.note = renumber[static_cast<std::size_t>(x.note)];
    }
  }
  return r;
}

}  // namespace racine::resolve
