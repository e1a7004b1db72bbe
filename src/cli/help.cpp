// racine's help texts: options in words, examples and exit statuses (cli/help.h).

#include "cli/help.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <regex>

#include "cli/messages.h"
#include "core/text.h"

namespace racine::cli {

namespace {

struct Documentation {
  std::vector<Example> examples;
  std::vector<std::string> exit_status;
};

std::map<const CLI::App*, Documentation>& registry() {
  static std::map<const CLI::App*, Documentation> r;
  return r;
}

// "1e+06" -> "1000000", "50" -> "50": numbers as people write them.
std::string plain_number(const std::string& s) {
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size() && v == static_cast<double>(static_cast<long long>(v)))
      return std::to_string(static_cast<long long>(v));
  } catch (const std::exception&) {
  }
  return s;
}

// The option's value name: set by the command (option_text), else from its long name
// ("--limit" -> "LIMIT").
std::string value_name(const CLI::Option* o) {
  if (!o->get_option_text().empty()) return o->get_option_text();
  std::string name = o->get_lnames().empty() ? o->get_name() : o->get_lnames().front();
  for (char& c : name)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

class Formatter : public CLI::Formatter {
 public:
  Formatter() {
    label("Usage", tr("Usage"));
    label("OPTIONS", tr("OPTIONS"));
    label("SUBCOMMAND", tr("COMMAND"));
    label("SUBCOMMANDS", tr("COMMAND"));
    label("Positionals", tr("Arguments"));
    column_width(32);
  }

  // "--limit N"; a positional that takes several values: "FILE...".
  std::string make_option_opts(const CLI::Option* o) const override {
    if (o->get_positional())
      return o->get_expected_max() >= CLI::detail::expected_max_vector_size ? "..." : "";
    const OptionText t = option_text(o);
    return t.value_name.empty() ? "" : " " + t.value_name;
  }

  std::string make_option_desc(const CLI::Option* o) const override {
    return option_description(o);
  }

  std::string make_footer(const CLI::App* app) const override {
    // After the options, once their blank line is printed.
    std::string out = CLI::Formatter::make_footer(app);
    const auto& examples = examples_of(app);
    if (!examples.empty()) {
      out += fmt::format("{}:\n", tr("Examples"));
      for (const auto& e : examples) out += fmt::format("  {}\n    {}\n", e.what, e.command);
    }
    if (app->get_parent() != nullptr && app->get_subcommands({}).empty()) {
      out += fmt::format("{}{}:\n", examples.empty() ? "" : "\n", tr("Exit status"));
      for (const auto& s : exit_status_of(app)) out += fmt::format("  {}\n", s);
    }
    return out;
  }
};

}  // namespace

void document(CLI::App* app, std::vector<Example> examples, std::vector<std::string> exit_status) {
  registry()[app] = {std::move(examples), std::move(exit_status)};
}

const std::vector<Example>& examples_of(const CLI::App* app) {
  static const std::vector<Example> none;
  const auto it = registry().find(app);
  return it == registry().end() ? none : it->second.examples;
}

std::vector<std::string> exit_status_of(const CLI::App* app) {
  const auto it = registry().find(app);
  if (it != registry().end() && !it->second.exit_status.empty()) return it->second.exit_status;
  return {tr("0: success"), tr("2: usage error, or input that cannot be read")};
}

OptionText option_text(const CLI::Option* o) {
  OptionText t;
  if (o->get_expected_min() == 0 && !o->get_positional()) return t;  // a flag
  t.value_name = value_name(o);
  t.repeatable =
      o->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll && !o->get_positional();
  // CLI11 names the type and its checks together: "TEXT:{text,json}",
  // "UINT:INT in [1 - 1000]".
  const std::string type = o->get_type_name();
  static const std::regex set(R"(\{([^}]*)\})");
  static const std::regex range(R"(in \[([^ ]+) - ([^\]]+)\])");
  std::smatch m;
  if (std::regex_search(type, m, set)) {
    std::string values = m[1];
    std::string out;
    for (std::size_t start = 0; start <= values.size();) {
      const std::size_t comma = values.find(',', start);
      const std::string v =
          values.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      out += (out.empty() ? "" : ", ") + v;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    t.allowed = out;
  } else if (std::regex_search(type, m, range)) {
    t.allowed = trf("{} to {}", plain_number(m[1]), plain_number(m[2]));
    t.range = true;
  }
  t.fallback = o->get_default_str();
  for (const CLI::Option* x : o->get_excludes()) t.excludes.push_back(x->get_name());
  return t;
}

std::string option_description(const CLI::Option* o) {
  const OptionText t = option_text(o);
  std::string desc = o->get_description();
  std::vector<std::string> extra;
  if (!t.allowed.empty()) {
    // Said already when the description names every value.
    bool named = true;
    for (std::size_t start = 0; start < t.allowed.size();) {
      const std::size_t comma = t.allowed.find(", ", start);
      const std::string v =
          t.allowed.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (desc.find(v) == std::string::npos) named = false;
      if (comma == std::string::npos) break;
      start = comma + 2;
    }
    if (!named || t.range) extra.push_back(trf("allowed: {}", t.allowed));
  }
  if (!t.fallback.empty()) extra.push_back(trf("default: {}", t.fallback));
  for (const auto& x : t.excludes) extra.push_back(trf("not with {}", x));
  if (t.repeatable) extra.push_back(tr("repeatable"));
  if (!extra.empty()) {
    std::string joined;
    // TRANSLATORS: the separator of an option's qualifiers ("default: 5; repeatable").
    for (const auto& e : extra) joined += (joined.empty() ? "" : tr("; ")) + e;
    // Inside the description's own closing parenthesis when it holds a qualifier of the
    // same kind ("(see `racine options`; repeatable)").
    const std::size_t open = desc.rfind('(');
    const std::string last = open == std::string::npos ? "" : desc.substr(open);
    const bool qualifier = desc.ends_with(')') && (last.find(tr("default")) != std::string::npos ||
                                                   last.find(tr("see ")) != std::string::npos ||
                                                   last.find("'-'") != std::string::npos ||
                                                   last.find("0:") != std::string::npos);
    if (qualifier) {
      desc.pop_back();
      desc += tr("; ") + joined + ")";
    } else {
      desc += " (" + joined + ")";
    }
  }
  return desc;
}

void name_command_groups(CLI::App& root) {
  for (CLI::App* sub : root.get_subcommands({})) {
    sub->group(tr("Commands"));
    name_command_groups(*sub);
  }
}

std::string nearest_word(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& n : names) {
    const std::size_t limit = std::min<std::size_t>(2, std::max<std::size_t>(1, n.size() / 2));
    const std::size_t d = text::edit_distance_within(word, n, limit);
    if (d <= limit && d < best_distance) {
      best = n;
      best_distance = d;
    }
  }
  return best;
}

std::string parse_error_message(const CLI::ParseError& e, const CLI::App* command) {
  const std::string what = e.what();
  const std::string kind = e.get_name();
  std::smatch m;
  // "--format: xml not in {text,json}", "--limit: Value 0 not in range 1 to 1000"
  static const std::regex not_in(R"(^(-[^:]+): (.*) not in \{(.*)\}$)");
  static const std::regex range(R"(^(-[^:]+): Value (.*) not in range (.*)$)");
  static const std::regex missing_value(R"(^(-\S+): \d+ required .* missing$)");
  static const std::regex required(R"(^(.+) is required$)");
  static const std::regex extras(R"(^The following arguments? (?:was|were) not expected: (.*)$)");
  static const std::regex excludes(R"(^(\S+) excludes (\S+)$)");
  if (std::regex_match(what, m, not_in)) {
    std::string values = m[3];
    for (std::size_t i = 0; (i = values.find(',', i)) != std::string::npos; i += 2)
      values.replace(i, 1, ", ");
    return trf("{}: '{}' is not one of {}", m[1].str(), m[2].str(), values);
  }
  if (std::regex_match(what, m, range)) {
    static const std::regex bounds(R"(^\[?(\S+) (?:to|-) ([^\]]+)\]?$)");
    std::smatch b;
    const std::string limits = m[3].str();
    const std::string span = std::regex_match(limits, b, bounds)
                                 ? trf("{} to {}", plain_number(b[1]), plain_number(b[2]))
                                 : limits;
    return trf("{}: '{}' is not a number from {}", m[1].str(), m[2].str(), span);
  }
  if (std::regex_match(what, m, missing_value)) return trf("{} needs a value", m[1].str());
  if (kind == "RequiredError" && what == "A subcommand is required")
    return tr("a command is required");
  if (kind == "RequiredError" && std::regex_match(what, m, required))
    return trf("{} is missing", m[1].str());
  if (std::regex_match(what, m, extras)) {
    const std::string word = m[1].str();
    if (!word.starts_with("-") || word.find(' ') != std::string::npos)
      return trf("unexpected argument: {}", word);
    std::vector<std::string> options;
    if (command != nullptr) {
      for (const CLI::Option* o : command->get_options()) {
        for (const auto& l : o->get_lnames()) options.push_back("--" + l);
      }
    }
    const std::string near = nearest_word(word.substr(0, word.find('=')), options);
    return near.empty() ? trf("unknown option '{}'", word)
                        : trf("unknown option '{}'; did you mean '{}'?", word, near);
  }
  if (kind == "ExcludesError" && std::regex_match(what, m, excludes))
    return trf("{} and {} cannot be used together", m[1].str(), m[2].str());
  return what;
}

std::shared_ptr<CLI::Formatter> help_formatter() {
  return std::make_shared<Formatter>();
}

}  // namespace racine::cli
