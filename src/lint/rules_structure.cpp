// RAC1xx: the structure of the tables — cells, rows, parties, titles.

#include <fmt/format.h>

#include <unordered_map>

#include "core/text.h"
#include "lint/rule.h"

namespace racine::lint {

namespace {

void check_unknown_role(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      for (std::size_t p = 0; p < a.cells.size(); ++p) {
        const Cell& c = a.cells[p];
        if (c.unknown().empty()) continue;
        // A sentence where a role belongs: free text, quoted once.
        const bool sentence = c.roles.empty() && c.unknown() == text::collapse_spaces(c.text) &&
                              c.text.find(' ') != std::string::npos;
        ctx.say(c.span,
                sentence ? RACINE_FORM("cell '{cell}' of {party} is free text, not a role: roles "
                                       "are {roles}, written first when a remark follows ('R "
                                       "(Build)', 'A - final sign-off')")
                         : RACINE_FORM("unknown role '{unknown}' in cell '{cell}' of {party}: "
                                       "roles are {roles}"),
                {{"unknown", c.unknown()},
                 {"cell", c.text},
                 {"party", m.parties[p].name},
                 {"roles", m.roles.listed()}},
                a.title);
      }
    }
  }
}

void check_legend(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  if (m.roles.legend.empty()) return;
  RoleSet declared;
  std::string listed;
  for (const auto& e : m.roles.legend) {
    declared.add_letter(e.letter);
    if (!listed.empty()) listed += ", ";
    listed += e.letter;
  }
  RoleSet used;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      for (std::size_t p = 0; p < a.cells.size(); ++p) {
        const Cell& c = a.cells[p];
        used = RoleSet::from_letters(used.to_string() + c.roles.to_string());
        std::string missing;
        for (const char l : c.roles.to_string()) {
          if (!declared.has_letter(l)) missing += l;
        }
        if (missing.empty()) continue;
        ctx.say(
            c.span,
            RACINE_FORM(
                "'{letters}' in cell '{cell}' of {party} is not declared by the legend ({listed})"),
            {{"letters", missing},
             {"cell", c.text},
             {"party", m.parties[p].name},
             {"listed", listed}},
            a.title);
      }
    }
  }
  for (const auto& e : m.roles.legend) {
    if (used.has_letter(e.letter)) continue;
    ctx.say({e.offset, e.offset + 1},
            RACINE_FORM("the legend declares '{letter}' ({meaning}) but no cell uses it"),
            {{"letter", std::string(1, e.letter)}, {"meaning", e.text}});
  }
}

void check_cell_count(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      const auto header = m.tables[a.table].header_cells;
      if (a.source_cells == header) continue;
      const bool extra = a.source_cells > header;
      const bool one = a.source_cells == 1;
      ctx.say(a.span,
              extra ? (one ? RACINE_FORM("row has {cells} cell, its header has {header}: the "
                                         "extra cells are dropped")
                           : RACINE_FORM("row has {cells} cells, its header has {header}: the "
                                         "extra cells are dropped"))
              : one ? RACINE_FORM("row has {cells} cell, its header has {header}: the missing "
                                  "cells read as empty")
                    : RACINE_FORM("row has {cells} cells, its header has {header}: the missing "
                                  "cells read as empty"),
              {{"cells", std::to_string(a.source_cells)}, {"header", std::to_string(header)}},
              a.title);
    }
  }
  for (const auto& sk : m.skipped) {
    if (sk.broken_table) ctx.report(sk.span, sk.reason);
  }
}

void check_party_spelling(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& p : m.parties) {
    const Spelling& first = p.spellings.front();
    const auto first_line = m.source->position(first.span.begin).line;
    std::string last_reported;
    for (std::size_t i = 1; i < p.spellings.size(); ++i) {
      const Spelling& s = p.spellings[i];
      if (s.text == first.text) continue;
      ctx.say(s.span,
              RACINE_FORM("party '{party}' is written '{here}' here and '{first}' at line {line}"),
              {{"party", p.name},
               {"here", s.text},
               {"first", first.text},
               {"line", std::to_string(first_line)}});
    }
  }
}

void check_duplicate_title(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    std::unordered_map<std::string, const Activity*> seen;
    seen.reserve(s.activities.size());
    for (const auto& a : s.activities) {
      const std::string key = text::fold(a.title);  // titles are read with spaces collapsed
      const auto [it, inserted] = seen.emplace(key, &a);
      if (inserted) continue;
      ctx.say(a.span,
              RACINE_FORM(
                  "activity '{activity}' already appears in section '{section}' at line {line}"),
              {{"activity", a.title},
               {"section", s.title},
               {"line", std::to_string(m.source->position(it->second->span.begin).line)}},
              a.title);
    }
  }
}

void check_no_role(RuleContext& ctx) {
  for (const auto& s : ctx.matrix().sections) {
    for (const auto& a : s.activities) {
      bool any = false;
      for (const auto& c : a.cells) any = any || !c.roles.empty() || !c.unknown().empty();
      if (!any)
        ctx.say(a.span,
                RACINE_FORM("'{activity}' has no role in any cell: nobody does it, answers for it, "
                            "is consulted or informed; fill its cells or remove the row"),
                {{"activity", a.title}}, a.title);
    }
  }
}

}  // namespace

extern const Rule k_rac101{
    .code = "RAC101",
    .slug = "unknown-role",
    .severity = Severity::error,
    .summary = "every role cell holds only R, A, C and I",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | X |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n",
    .check = check_unknown_role,
};

extern const Rule k_rac106{
    .code = "RAC106",
    .slug = "role-legend",
    .severity = Severity::warning,
    .summary = "the legend declares exactly the letters the cells use",
    .bad_example =
        "| Rôle | Description |\n|---|---|\n| (R) Réalise | fait le travail |\n| (A) Approuve | "
        "rend compte |\n"
        "| (V) Valide | vérifie |\n\n| Tâche | PM | Dev |\n|---|---|---|\n| Livrer | A | R |\n",
    .good_example =
        "| Rôle | Description |\n|---|---|\n| (R) Réalise | fait le travail |\n| (A) Approuve | "
        "rend compte |\n"
        "| (V) Valide | vérifie |\n\n| Tâche | PM | Dev |\n|---|---|---|\n| Livrer | A | RV |\n",
    .check = check_legend,
};

extern const Rule k_rac102{
    .code = "RAC102",
    .slug = "row-width",
    .severity = Severity::error,
    .summary = "every row has as many cells as its header",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C | I |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n",
    .check = check_cell_count,
};

extern const Rule k_rac103{
    .code = "RAC103",
    .slug = "party-spelling",
    .severity = Severity::warning,
    .summary = "a party is written the same way in every table of a document",
    .bad_example =
        "## Build\n\n| Task | Client | Provider |\n|---|---|---|\n| Ship | RA | C |\n\n"
        "## Run\n\n| Task | Customer | Provider |\n|---|---|---|\n| Watch | RA | C |\n",
    .good_example =
        "## Build\n\n| Task | Client | Provider |\n|---|---|---|\n| Ship | RA | C |\n\n"
        "## Run\n\n| Task | Client | Provider |\n|---|---|---|\n| Watch | RA | C |\n",
    .check = check_party_spelling,
};

extern const Rule k_rac104{
    .code = "RAC104",
    .slug = "duplicate-activity",
    .severity = Severity::warning,
    .summary = "activity titles are unique within a section",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n| Ship | C | RA |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n| Deploy | C | RA |\n",
    .check = check_duplicate_title,
};

extern const Rule k_rac105{
    .code = "RAC105",
    .slug = "activity-without-roles",
    .severity = Severity::warning,
    .summary = "every activity gives a role to at least one party",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n| Archive | | |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n| Archive | RA | |\n",
    .check = check_no_role,
};

}  // namespace racine::lint
