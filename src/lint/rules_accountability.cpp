// RAC2xx: the classic RACI rules — exactly one Accountable, at least one Responsible,
// and roles that say the same thing twice.

#include <fmt/format.h>

#include <algorithm>

#include "lint/rule.h"

namespace racine::lint {

namespace {

bool has_any_role(const Activity& a) {
  for (const auto& c : a.cells) {
    if (!c.roles.empty() || !c.unknown().empty()) return true;
  }
  return false;
}

// "Client C, Cloud Temple R": what each party holds, for messages.
std::string holdings(const Matrix& m, const Activity& a) {
  std::string out;
  for (std::size_t p = 0; p < a.cells.size(); ++p) {
    if (!a.cells[p].present) continue;
    if (!out.empty()) out += ", ";
    const std::string roles = a.cells[p].roles.to_string();
    out += fmt::format("{} {}", m.parties[p].name, roles.empty() ? "-" : roles);
  }
  return out;
}

std::vector<std::string> holders(const Matrix& m, const Activity& a, Role r) {
  std::vector<std::string> out;
  for (std::size_t p = 0; p < a.cells.size(); ++p) {
    if (a.cells[p].roles.has(r)) out.push_back(m.parties[p].name);
  }
  return out;
}

void check_no_accountable(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      if (!has_any_role(a) || !holders(m, a, Role::accountable).empty()) continue;
      ctx.say(a.span, RACINE_FORM("no party is Accountable ({holdings})"),
              {{"holdings", holdings(m, a)}}, a.title);
    }
  }
}

void check_single_accountable(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      const auto who = holders(m, a, Role::accountable);
      if (who.size() < 2) continue;
      ctx.say(a.span,
              RACINE_FORM("{count} parties are Accountable ({parties}): exactly one must be"),
              {{"count", std::to_string(who.size())},
               {"parties", fmt::format("{}", fmt::join(who, ", "))}},
              a.title);
    }
  }
}

// In a matrix whose letters are both RACI's and DACI's (a document holding a table of
// each), a row is DACI's when a cell holds D, RACI's otherwise; in a DACI matrix every
// row is DACI's.
bool is_daci_row(const Matrix& m, const Activity& a) {
  if (!m.roles.has('D')) return false;
  if (!m.roles.has('R')) return true;
  return std::any_of(a.cells.begin(), a.cells.end(),
                     [](const Cell& c) { return c.roles.has(Role::driver); });
}

void check_no_responsible(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  if (!m.roles.has('R')) return;  // DACI: the Driver does the work (RAC206)
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      if (!has_any_role(a) || !holders(m, a, Role::responsible).empty()) continue;
      if (is_daci_row(m, a)) continue;
      ctx.say(a.span, RACINE_FORM("no party is Responsible ({holdings})"),
              {{"holdings", holdings(m, a)}}, a.title);
    }
  }
}

void check_single_driver(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  if (!m.roles.has('D')) return;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      if (!has_any_role(a) || !is_daci_row(m, a)) continue;
      const auto who = holders(m, a, Role::driver);
      if (who.size() == 1) continue;
      if (who.empty())
        ctx.say(a.span, RACINE_FORM("no party is the Driver ({holdings})"),
                {{"holdings", holdings(m, a)}}, a.title);
      else
        ctx.say(a.span, RACINE_FORM("{count} parties are Drivers ({parties}): exactly one must be"),
                {{"count", std::to_string(who.size())},
                 {"parties", fmt::format("{}", fmt::join(who, ", "))}},
                a.title);
    }
  }
}

void check_consulted_and_informed(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      for (std::size_t p = 0; p < a.cells.size(); ++p) {
        const RoleSet r = a.cells[p].roles;
        if (!r.has(Role::consulted) || !r.has(Role::informed)) continue;
        ctx.say(a.cells[p].span, RACINE_FORM("{party} is both Consulted and Informed: C implies I"),
                {{"party", m.parties[p].name}}, a.title);
      }
    }
  }
}

void check_responsible_also_ci(RuleContext& ctx) {
  const Matrix& m = ctx.matrix();
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      for (std::size_t p = 0; p < a.cells.size(); ++p) {
        const RoleSet r = a.cells[p].roles;
        if (!r.has(Role::responsible)) continue;
        const bool c = r.has(Role::consulted);
        const bool i = r.has(Role::informed);
        if (!c && !i) continue;
        ctx.say(a.cells[p].span,
                c && i ? RACINE_FORM("{party} is Responsible and also Consulted and Informed: the "
                                     "party that does the work is already consulted and "
                                     "informed; write R alone")
                : c    ? RACINE_FORM("{party} is Responsible and also Consulted: the party that "
                                        "does the work is already consulted and informed; write R "
                                        "alone")
                       : RACINE_FORM("{party} is Responsible and also Informed: the party that "
                                        "does the work is already consulted and informed; write R "
                                        "alone"),
                {{"party", m.parties[p].name}}, a.title);
      }
    }
  }
}

}  // namespace

extern const Rule k_rac201{
    .code = "RAC201",
    .slug = "missing-accountable",
    .severity = Severity::error,
    .summary = "every activity has an Accountable party",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | C | R |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | C | RA |\n",
    .check = check_no_accountable,
};

extern const Rule k_rac202{
    .code = "RAC202",
    .slug = "single-accountable",
    .severity = Severity::error,
    .summary = "each activity has exactly one Accountable party",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | A |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n",
    .check = check_single_accountable,
};

extern const Rule k_rac203{
    .code = "RAC203",
    .slug = "missing-responsible",
    .severity = Severity::error,
    .summary = "every activity has at least one Responsible party",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | A | C |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | A | R |\n",
    .check = check_no_responsible,
};

extern const Rule k_rac206{
    .code = "RAC206",
    .slug = "single-driver",
    .severity = Severity::error,
    .summary = "in a DACI matrix, every activity has exactly one Driver",
    .bad_example =
        "# Launch decisions (DACI)\n\n| Decision | PM | Dev | Legal |\n|---|---|---|---|\n| "
        "Pricing | DA | D | C |\n",
    .good_example =
        "# Launch decisions (DACI)\n\n| Decision | PM | Dev | Legal |\n|---|---|---|---|\n| "
        "Pricing | DA | C | I |\n",
    .check = check_single_driver,
};

extern const Rule k_rac204{
    .code = "RAC204",
    .slug = "consulted-and-informed",
    .severity = Severity::info,
    .summary = "a party is not both Consulted and Informed (C implies I)",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | CI |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n",
    .check = check_consulted_and_informed,
};

extern const Rule k_rac205{
    .code = "RAC205",
    .slug = "responsible-also-consulted",
    .severity = Severity::info,
    .summary = "a Responsible party is not also Consulted or Informed",
    .bad_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | A | RI |\n",
    .good_example = "| Task | PM | Dev |\n|---|---|---|\n| Ship | A | R |\n",
    .check = check_responsible_also_ci,
};

}  // namespace racine::lint
