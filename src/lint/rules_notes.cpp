// RAC3xx: footnote markers and the notes they point to; RAC901 is applied by the linter
// itself, which alone knows which suppressions were used.

#include <fmt/format.h>

#include "lint/rule.h"

namespace racine::lint {

namespace {

void check_marker_without_note(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& use : m.marker_uses) {
    if (use.note >= 0) continue;
    const auto& a = m.sections[use.section].activities[use.activity];
    if (use.party < 0)
      ctx.say(use.span, RACINE_FORM("marker '{marker}' in the title has no note below it"),
              {{"marker", use.marker}}, a.title);
    else
      ctx.say(
          use.span, RACINE_FORM("marker '{marker}' on {party} has no note below it"),
          {{"marker", use.marker}, {"party", m.parties[static_cast<std::size_t>(use.party)].name}},
          a.title);
  }
}

void check_note_without_marker(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (std::size_t n = 0; n < m.notes.size(); ++n) {
    bool used = false;
    for (const auto& use : m.marker_uses) used = used || use.note == static_cast<int>(n);
    if (used) continue;
    ctx.say(m.notes[n].span,
            RACINE_FORM("note '{marker}' is referred to by no cell or title above it"),
            {{"marker", m.notes[n].marker}});
  }
}

void check_note_in_table(RuleContext& ctx) {
  for (const auto& note : ctx.matrix().notes) {
    if (!note.in_table_row) continue;
    ctx.say(note.span,
            RACINE_FORM("note '{marker}' is written right under the table and renders as a table "
                        "row: add a blank line above it"),
            {{"marker", note.marker}});
  }
}

}  // namespace

extern const Rule k_rac301{
    .code = "RAC301",
    .slug = "marker-without-note",
    .severity = Severity::warning,
    .summary = "every footnote marker has a note below it",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C* |\n",
    .good_example =
        "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C* |\n\n*Dev is consulted on weekdays "
        "only.\n",
    .check = check_marker_without_note,
};

extern const Rule k_rac302{
    .code = "RAC302",
    .slug = "note-without-marker",
    .severity = Severity::warning,
    .summary = "every note is referred to by a marker above it",
    .bad_example =
        "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n\n*Dev is consulted on weekdays "
        "only.\n",
    .good_example =
        "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C* |\n\n*Dev is consulted on weekdays "
        "only.\n",
    .check = check_note_without_marker,
};

extern const Rule k_rac303{
    .code = "RAC303",
    .slug = "note-inside-table",
    .severity = Severity::warning,
    .summary = "a note is separated from its table by a blank line",
    .bad_example =
        "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C* |\n*Dev is consulted on weekdays "
        "only.\n",
    .good_example =
        "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C* |\n\n*Dev is consulted on weekdays "
        "only.\n",
    .check = check_note_in_table,
};

extern const Rule k_rac901{
    .code = "RAC901",
    .slug = "useless-suppression",
    .severity = Severity::warning,
    .summary = "a suppression comment names known codes and suppresses something",
    .bad_example =
        "<!-- racine-disable-next-line RAC202 -->\n| Task | PM | Dev |\n|---|---|---|\n| Ship | RA "
        "| C |\n",
    .good_example =
        "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C <!-- racine-disable-next-line RAC202 "
        "--> |\n| Deploy | RA | A |\n",
    .check = nullptr,
};

}  // namespace racine::lint
