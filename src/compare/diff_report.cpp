#include "compare/diff_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace racine::compare {

namespace {

using nlohmann::ordered_json;

std::uint32_t line_of(const Matrix& m, Span s) {
  return m.source ? m.source->position(s.begin).line : 0U;
}

const Activity& at(const Matrix& m, const ActivityRef& r) {
  return m.sections[r.section].activities[r.activity];
}

// The activity's title, after the change when it still exists.
std::string title_of(const ActivityChange& c, const Matrix& before, const Matrix& after) {
  return c.after ? at(after, *c.after).title : at(before, *c.before).title;
}

// "added, roles" for the change's kinds.
std::string kinds_of(const ActivityChange& c) {
  std::string kinds;
  for (const auto k : c.kinds) kinds += (kinds.empty() ? "" : ", ") + std::string(change_name(k));
  return kinds;
}

std::string section_of(const ActivityChange& c, const Matrix& before, const Matrix& after) {
  return c.after ? after.sections[c.after->section].title
                 : before.sections[c.before->section].title;
}

// "loses R, A; gains I"
std::string movement(const RoleChange& r) {
  const RoleSet a = RoleSet::from_letters(r.before);
  const RoleSet b = RoleSet::from_letters(r.after);
  std::string lost;
  std::string gained;
  for (const char l : RoleSet::from_letters(r.before + r.after).to_string()) {
    const bool had = a.has_letter(l);
    const bool has = b.has_letter(l);
    std::string& into = had && !has ? lost : gained;
    if (had == has) continue;
    if (!into.empty()) into += ", ";
    into += l;
  }
  std::string out;
  if (!lost.empty()) out += "loses " + lost;
  if (!gained.empty()) out += (out.empty() ? "gains " : "; gains ") + gained;
  return out;
}

std::string show(const std::string& roles) {
  return roles.empty() ? "-" : roles;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s;
  return out.empty() ? "none" : out;
}

// Sections in order of first appearance, each with its changes.
std::vector<std::pair<std::string, std::vector<const ActivityChange*>>> grouped(
    const Diff& d, const Matrix& before, const Matrix& after) {
  std::vector<std::pair<std::string, std::vector<const ActivityChange*>>> out;
  for (const auto& c : d.changes) {
    const std::string s = section_of(c, before, after);
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == s; });
    if (it == out.end()) {
      out.emplace_back(s, std::vector<const ActivityChange*>{});
      it = out.end() - 1;
    }
    it->second.push_back(&c);
  }
  return out;
}

std::string counts(const Diff& d) {
  std::size_t n[5] = {0, 0, 0, 0, 0};
  for (const auto& c : d.changes) {
    for (const auto k : c.kinds) ++n[static_cast<std::size_t>(k)];
  }
  return fmt::format(
      "{} {} changed: {} added, {} removed, {} moved, {} retitled, {} with other roles or markers",
      d.changes.size(), d.changes.size() == 1 ? "activity" : "activities", n[0], n[1], n[2], n[3],
      n[4]);
}

std::string where(const ActivityChange& c, const Matrix& before, const Matrix& after) {
  std::string lines;
  if (c.before && c.after) {
    lines = fmt::format("line {} -> {}", line_of(before, at(before, *c.before).span),
                        line_of(after, at(after, *c.after).span));
  } else if (c.after) {
    lines = fmt::format("line {}", line_of(after, at(after, *c.after).span));
  } else {
    lines = fmt::format("old line {}", line_of(before, at(before, *c.before).span));
  }
  if (c.match != MatchKind::none) lines += fmt::format(", matched by {}", match_name(c.match));
  return lines;
}

}  // namespace

std::string diff_text(const Diff& d, const Matrix& before, const Matrix& after) {
  const std::string old_path = before.source ? before.source->path() : "";
  const std::string new_path = after.source ? after.source->path() : "";
  std::string out = fmt::format("--- {}\n+++ {}\n", old_path, new_path);
  if (d.empty()) return out + "no differences\n";
  if (!d.parties_added.empty())
    out += "parties added: " + fmt::format("{}", fmt::join(d.parties_added, ", ")) + "\n";
  if (!d.parties_removed.empty())
    out += "parties removed: " + fmt::format("{}", fmt::join(d.parties_removed, ", ")) + "\n";
  for (const auto& o : d.options) {
    if (o.what == "added" || o.what == "removed") {
      out += fmt::format("option {} {}\n", o.id, o.what);
    } else {
      out += fmt::format("option {}: {} \"{}\" -> \"{}\"\n", o.id, o.what, o.before, o.after);
    }
  }
  for (const auto& [section, changes] : grouped(d, before, after)) {
    out += fmt::format("\n## {}\n", section.empty() ? "(no section)" : section);
    for (const ActivityChange* c : changes) {
      const std::string title = title_of(*c, before, after);
      const std::string kinds = kinds_of(*c);
      out += fmt::format("  {}: {} ({})\n", kinds, title, where(*c, before, after));
      for (const auto k : c->kinds) {
        if (k == ChangeKind::moved) {
          out += fmt::format("      from section: {}\n", before.sections[c->before->section].title);
        } else if (k == ChangeKind::retitled) {
          out += fmt::format("      old title: {}\n", at(before, *c->before).title);
        }
      }
      for (const auto& r : c->roles) {
        if (c->kind == ChangeKind::added || c->kind == ChangeKind::removed) {
          out += fmt::format("      {}: {}\n", r.party,
                             show(c->kind == ChangeKind::added ? r.after : r.before));
        } else {
          out += fmt::format("      {}: {} -> {} ({})\n", r.party, show(r.before), show(r.after),
                             movement(r));
        }
      }
      for (const auto& mk : c->markers) {
        out += fmt::format("      markers of {}: {} -> {}\n",
                           mk.party.empty() ? "the title" : mk.party, joined(mk.before),
                           joined(mk.after));
      }
    }
  }
  out += "\n" + counts(d) + "\n";
  return out;
}

ordered_json diff_json(const Diff& d, const Matrix& before, const Matrix& after) {
  ordered_json j;
  j["old"] = before.source ? before.source->path() : "";
  j["new"] = after.source ? after.source->path() : "";
  j["parties"] = {{"added", d.parties_added}, {"removed", d.parties_removed}};
  ordered_json options = ordered_json::array();
  for (const auto& o : d.options) {
    options.push_back({{"id", o.id}, {"change", o.what}, {"old", o.before}, {"new", o.after}});
  }
  j["options"] = std::move(options);
  ordered_json changes = ordered_json::array();
  for (const auto& c : d.changes) {
    ordered_json e;
    e["kind"] = change_name(c.kind);
    ordered_json kinds = ordered_json::array();
    for (const auto k : c.kinds) kinds.push_back(change_name(k));
    e["kinds"] = std::move(kinds);
    e["match"] =
        c.match == MatchKind::none ? ordered_json(nullptr) : ordered_json(match_name(c.match));
    e["section"] = section_of(c, before, after);
    if (c.before && c.after &&
        std::find(c.kinds.begin(), c.kinds.end(), ChangeKind::moved) != c.kinds.end()) {
      e["old_section"] = before.sections[c.before->section].title;
    }
    auto side = [](const Matrix& m, const std::optional<ActivityRef>& r) {
      if (!r) return ordered_json(nullptr);
      const Activity& a = at(m, *r);
      return ordered_json{{"line", line_of(m, a.span)}, {"title", a.title}};
    };
    e["old"] = side(before, c.before);
    e["new"] = side(after, c.after);
    ordered_json roles = ordered_json::object();
    for (const auto& r : c.roles) roles[r.party] = {{"old", r.before}, {"new", r.after}};
    e["roles"] = std::move(roles);
    ordered_json markers = ordered_json::object();
    for (const auto& m : c.markers)
      markers[m.party.empty() ? std::string("title") : m.party] = {{"old", m.before},
                                                                   {"new", m.after}};
    e["markers"] = std::move(markers);
    changes.push_back(std::move(e));
  }
  j["changes"] = std::move(changes);
  return j;
}

std::string diff_markdown(const Diff& d, const Matrix& before, const Matrix& after) {
  auto cell = [](std::string s) {
    std::string out;
    for (const char ch : s) {
      if (ch == '|') out += '\\';
      out += ch;
    }
    return out;
  };
  const std::string old_path = before.source ? before.source->path() : "";
  const std::string new_path = after.source ? after.source->path() : "";
  std::string out = fmt::format("## Changes from `{}` to `{}`\n\n", old_path, new_path);
  if (d.empty()) return out + "No differences.\n";
  if (!d.parties_added.empty())
    out += fmt::format("- Parties added: {}\n", fmt::join(d.parties_added, ", "));
  if (!d.parties_removed.empty())
    out += fmt::format("- Parties removed: {}\n", fmt::join(d.parties_removed, ", "));
  for (const auto& o : d.options) {
    out += o.what == "added" || o.what == "removed"
               ? fmt::format("- Option `{}` {}\n", o.id, o.what)
               : fmt::format("- Option `{}`: {} changed\n", o.id, o.what);
  }
  if (!d.parties_added.empty() || !d.parties_removed.empty() || !d.options.empty()) out += "\n";
  for (const auto& [section, changes] : grouped(d, before, after)) {
    out +=
        fmt::format("### {}\n\n| Change | Activity | Lines | What changed |\n|---|---|---|---|\n",
                    section.empty() ? "(no section)" : section);
    for (const ActivityChange* c : changes) {
      const std::string title = title_of(*c, before, after);
      const std::string kinds = kinds_of(*c);
      std::vector<std::string> what;
      for (const auto k : c->kinds) {
        if (k == ChangeKind::moved)
          what.push_back("from " + before.sections[c->before->section].title);
        if (k == ChangeKind::retitled) what.push_back("was: " + at(before, *c->before).title);
      }
      for (const auto& r : c->roles) {
        if (c->kind == ChangeKind::added || c->kind == ChangeKind::removed) {
          what.push_back(fmt::format("{} {}", r.party,
                                     show(c->kind == ChangeKind::added ? r.after : r.before)));
        } else {
          what.push_back(fmt::format("{}: {} → {}", r.party, show(r.before), show(r.after)));
        }
      }
      for (const auto& m : c->markers) {
        what.push_back(fmt::format("markers of {}: {} → {}",
                                   m.party.empty() ? "the title" : m.party, joined(m.before),
                                   joined(m.after)));
      }
      std::string lines;
      if (c->before) lines += fmt::format("{}", line_of(before, at(before, *c->before).span));
      lines += " → ";
      if (c->after) lines += fmt::format("{}", line_of(after, at(after, *c->after).span));
      out += fmt::format("| {} | {} | {} | {} |\n", kinds, cell(title), lines,
                         cell(fmt::format("{}", fmt::join(what, "; "))));
    }
    out += "\n";
  }
  out += counts(d) + ".\n";
  return out;
}

}  // namespace racine::compare
