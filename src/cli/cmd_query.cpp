// racine who     [--matrix FILE] [--with OPTION]... [--json] [--limit N] [--lang L] QUERY...
// racine duties  PARTY [--matrix FILE] [--with OPTION]... [--role R,A,C,I] [--json] [--lang L]
// racine summary [FILE] [--with OPTION]... [--json]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/phrases.h"
#include "core/text.h"
#include "query/duties.h"
#include "query/index.h"
#include "query/query_json.h"
#include "resolve/options.h"

namespace racine::cli {

namespace {

// What the options not applied would change on this activity: "option X hands it to Y".
std::vector<std::string> option_lines(const Matrix& m, const Phrases& say, std::uint32_t section,
                                      std::uint32_t activity) {
  std::vector<std::string> out;
  for (const Option& o : m.options) {
    const int d = resolve::delegate_of(m, o);
    for (const auto& e : resolve::effects_of(m, o)) {
      if (e.section != section || e.activity != activity) continue;
      out.push_back(d >= 0 ? fmt::format(fmt::runtime(say.takes_over), o.id,
                                         m.parties[static_cast<std::size_t>(d)].name)
                           : fmt::format(fmt::runtime(say.changed_by), o.id));
    }
  }
  return out;
}

struct WhoOptions {
  std::vector<std::string> words;
  std::string matrix;
  std::vector<std::string> with;
  bool json = false;
  std::size_t limit = 5;
  std::string lang;
  bool partial = false;
  InputOptions input;
};

int run_who(const WhoOptions& o) {
  std::string query;
  for (const auto& w : o.words) {
    if (!query.empty()) query += ' ';
    query += w;
  }
  if (text::trim(query).empty()) {
    print_usage_error(tr("the query is empty: say what to look for (racine who \"sauvegarde\")"));
    return k_exit_error;
  }
  if (const auto bad = text::find_invalid_utf8(query)) {
    print_usage_error(trf("the query is not valid UTF-8 (byte {} of it)", *bad + 1));
    return k_exit_error;
  }
  // The options applied, with the rows they moved: an answer names the option that
  // moved its row ("via infogerance-complementaire").
  auto m = load_matrix(o.matrix, o.input, {});
  if (!m) return k_exit_error;
  std::vector<query::MovedRow> moved;
  if (!o.with.empty()) {
    auto resolved = resolve::apply(*m, o.with);
    if (!resolved) {
      print_error(resolved.error());
      return k_exit_error;
    }
    for (const auto& c : resolved->changes) moved.push_back({c.section, c.activity, c.option});
    m = std::move(resolved->matrix);
  }
  const query::Index index = query::Index::build(*m, moved);
  const query::Answer answer = index.search(query, query::SearchOptions{o.limit, o.partial});
  if (o.json) {
    fmt::print("{}\n", json_text(query::answer_to_json(*m, query, answer)));
    return answer.gray_zone ? k_exit_found : k_exit_ok;
  }
  const Matrix shown = printable_matrix(*m);  // text from input never prints raw
  const Matrix* const mp = &shown;
  const Phrases& say = phrases_for(*m, o.lang);
  const std::string path = shown.source ? shown.source->path() : std::string();
  if (answer.outcome == query::Outcome::uncertain) fmt::print("{}\n", say.uncertain);
  if (answer.gray_zone) {
    fmt::print("{}\n",
               fmt::format(fmt::runtime(say.not_covered), printable(text::collapse_spaces(query))));
    if (mp->gray_zone) {
      fmt::print("{}\n  {}\n",
                 fmt::format(fmt::runtime(say.gray_zone), path,
                             mp->source->position(mp->gray_zone->span.begin).line),
                 mp->gray_zone->text);
    } else {
      fmt::print("{}\n", say.no_gray_zone);
    }
    if (!answer.matches.empty()) fmt::print("\n{}\n", say.closest);
  }
  for (std::size_t i = 0; i < answer.matches.size(); ++i) {
    const auto& x = answer.matches[i];
    const Section& s = mp->sections[x.section];
    const Activity& a = s.activities[x.activity];
    fmt::print("{}. {}  [{:.2f}]\n   {} ({}:{})\n   {}\n", i + 1, a.title, x.score, s.title, path,
               mp->source->position(a.span.begin).line, roles_line(*mp, a));
    for (const auto& v : x.via) fmt::print("   {}\n", fmt::format(fmt::runtime(say.via), v));
    for (const auto& l : option_lines(*mp, say, x.section, x.activity)) fmt::print("   {}\n", l);
  }
  if (answer.outcome == query::Outcome::empty)
    fmt::print("{}\n", fmt::format(fmt::runtime(say.nothing), printable(query)));
  if (m->language.empty() && answer.outcome != query::Outcome::empty)
    fmt::print("{}\n", say.language_unknown);
  return answer.gray_zone ? k_exit_found : k_exit_ok;
}

struct DutiesOptions {
  std::string party;
  std::string matrix;
  std::vector<std::string> with;
  std::string roles;
  bool json = false;
  std::string lang;
  InputOptions input;
};

int run_duties(const DutiesOptions& o) {
  if (text::find_invalid_utf8(o.party)) {
    print_usage_error(tr("the party name is not valid UTF-8"));
    return k_exit_error;
  }
  const auto m = load_matrix(o.matrix, o.input, o.with);
  if (!m) return k_exit_error;
  RoleSet roles;
  for (const char c : o.roles) {
    if (c == ',' || c == ' ') continue;
    const RoleSet one = RoleSet::from_letters(std::string_view(&c, 1));
    if (one.empty() || !m->roles.has(one.to_string().front())) {
      print_usage_error(
          trf("--role: '{}' is not a role of this matrix ({})", c, m->roles.listed()));
      return k_exit_error;
    }
    roles.add_letter(c);
  }
  const auto party = query::find_party(*m, o.party);
  if (!party) {
    std::string names;
    for (const auto& p : m->parties) names += (names.empty() ? "" : ", ") + p.name;
    print_usage_error(trf("no party '{}' in this matrix (parties: {})", o.party, names));
    return k_exit_error;
  }
  const query::Duties d = query::duties(*m, *party, roles);
  if (o.json) {
    fmt::print("{}\n", json_text(query::duties_to_json(*m, d)));
    return k_exit_ok;
  }
  const Matrix shown = printable_matrix(*m);  // text from input never prints raw
  const Phrases& say = phrases_for(*m, o.lang);
  const std::string path = shown.source ? shown.source->path() : std::string();
  fmt::print("{}: {} {}{}\n", shown.parties[*party].name, d.count(),
             d.count() == 1 ? say.activity : say.activities,
             roles.empty() ? "" : fmt::format(fmt::runtime(say.with_role), roles.to_string()));
  for (const auto& g : d.sections) {
    const Section& s = shown.sections[g.section];
    fmt::print("\n{}\n", s.title.empty() ? say.no_section : s.title);
    for (const auto& item : g.items) {
      const Activity& a = s.activities[item.activity];
      fmt::print("  {:<4} {}  ({}:{})\n", item.roles.to_string(), a.title, path,
                 shown.source->position(a.span.begin).line);
    }
  }
  return k_exit_ok;
}

struct SummaryOptions {
  std::string file;
  std::vector<std::string> with;
  bool json = false;
  InputOptions input;
};

int run_summary(const SummaryOptions& o) {
  const auto m = load_matrix(o.file, o.input, o.with);
  if (!m) return k_exit_error;
  const query::Workload w = query::summary(*m);
  if (o.json) {
    fmt::print("{}\n", json_text(query::summary_to_json(*m, w)));
    return k_exit_ok;
  }
  const Matrix shown = printable_matrix(*m);  // text from input never prints raw
  const Matrix* const mp = &shown;
  std::size_t width = 5;
  for (const auto& p : mp->parties) width = std::max(width, text::codepoints(p.name));
  auto table = [&](const std::vector<query::Workload::Counts>& counts) {
    fmt::print("  {}{}     R     A     C     I\n", "Party", std::string(width - 5, ' '));
    for (std::size_t p = 0; p < mp->parties.size(); ++p) {
      const std::string& name = mp->parties[p].name;
      fmt::print("  {}{} {:>5} {:>5} {:>5} {:>5}\n", name,
                 std::string(width - text::codepoints(name), ' '), counts[p][0], counts[p][1],
                 counts[p][2], counts[p][3]);
    }
  };
  fmt::print("{}: {} activities\n", mp->title.empty() ? std::string("(untitled)") : mp->title,
             w.activities);
  table(w.parties);
  for (const auto& ps : w.sections) {
    fmt::print("\n{} ({} {})\n", mp->sections[ps.section].title, ps.activities,
               ps.activities == 1 ? "activity" : "activities");
    table(ps.parties);
  }
  return k_exit_ok;
}

void add_input(CLI::App* app, std::vector<std::string>& with, InputOptions& input) {
  add_with(app, with);
  add_from(app, input.from);
  add_config(app, input.config_path);
}

}  // namespace

Command add_who(CLI::App& root) {
  auto o = std::make_shared<WhoOptions>();
  CLI::App* app = root.add_subcommand(
      "who", tr("Who is responsible for something: the best matching activities"));
  app->add_option("QUERY", o->words, tr("What to look for, in any of fr, en, de, es, it"))
      ->required();
  add_matrix(app, o->matrix);
  app->add_flag("--json", o->json, tr("Write JSON for programs"));
  app->add_option("--limit", o->limit, tr("Show at most this many activities"))
      ->check(CLI::Range(1, 1000))
      ->capture_default_str()
      ->option_text("N");
  add_lang(app, o->lang);
  app->add_flag("--partial", o->partial,
                tr("The query is being typed: its last word may be unfinished (a prefix)"));
  add_input(app, o->with, o->input);
  document(app,
           {{tr("Who restores a backup, under the built-in matrix"),
             "racine who restaurer une sauvegarde"},
            {tr("The same question under a client's contract, in English"),
             "racine who --with infogerance-complementaire --lang en backup restore"},
            {tr("In a script: the best match as JSON"),
             "racine who --json --limit 1 --matrix raci.md upgrade"}},
           {tr("0: the matrix covers the question"),
            tr("1: no activity covers it: the gray zone (the closest activities are printed)"),
            tr("2: usage error, or a matrix that cannot be read or parsed")});
  return {app, [o] { return run_who(*o); }};
}

Command add_duties(CLI::App& root) {
  auto o = std::make_shared<DutiesOptions>();
  CLI::App* app = root.add_subcommand("duties", tr("What a party must do, by section"));
  app->add_option("PARTY", o->party, tr("Party id or name (case and accents ignored)"))->required();
  add_matrix(app, o->matrix);
  app->add_option("--role", o->roles,
                  tr("Only activities where the party holds one of these roles (e.g. R,A)"))
      ->option_text("ROLES");
  app->add_flag("--json", o->json, tr("Write JSON for programs"));
  add_lang(app, o->lang);
  add_input(app, o->with, o->input);
  document(app, {{tr("What the client must do"), "racine duties Client"},
                 {tr("What the provider is Responsible or Accountable for, under the contract"),
                  "racine duties --role R,A --with infogerance-complementaire \"Cloud Temple\""}});
  return {app, [o] { return run_duties(*o); }};
}

Command add_summary(CLI::App& root) {
  auto o = std::make_shared<SummaryOptions>();
  CLI::App* app =
      root.add_subcommand("summary", tr("Per party, counts of R, A, C, I overall and per section"));
  app->add_option("FILE", o->file,
                  tr("Matrix file ('-' for standard input; none: the built-in matrix)"));
  app->add_flag("--json", o->json, tr("Write JSON for programs"));
  add_input(app, o->with, o->input);
  document(app, {{tr("The workload of each party in the built-in matrix"), "racine summary"},
                 {tr("The same, for a program"), "racine summary --json raci.md"}});
  return {app, [o] { return run_summary(*o); }};
}

}  // namespace racine::cli
