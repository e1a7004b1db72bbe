#include "route/alertmanager.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "core/escape.h"
#include "route/route.h"

namespace racine::route {

namespace {

// A character a regular expression takes literally only behind a backslash.
bool regex_special(char c) {
  return std::string_view(R"(\.+*?()|[]{}^$)").find(c) != std::string_view::npos;
}

void literal(std::string& out, char c) {
  if (regex_special(c)) out += '\\';
  out += c;
}

// Inside a bracket expression: ASCII punctuation escaped (RE2 and Go take `\` before any
// of it in a class as that character), so `]`, `^`, `-` and `[` stay literal.
void class_literal(std::string& out, char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b < 0x80 && std::isalnum(b) == 0 && c != '_') out += '\\';
  out += c;
}

// fnmatch's bracket expression at `g[i]` (just after `[`), as glibc reads it: `!` or `^`
// negates, a `]` first is literal, `\` escapes, `a-z` ranges, `[:class:]`. Returns the
// index after the closing `]`, or nullopt when there is none (the `[` is then literal).
std::optional<std::size_t> bracket(std::string_view g, std::size_t i, std::string& out,
                                   std::string& why) {
  std::string cls = "[";
  if (i < g.size() && (g[i] == '!' || g[i] == '^')) {
    cls += '^';
    ++i;
  }
  bool first = true;
  while (i < g.size()) {
    char c = g[i];
    if (c == ']' && !first) {
      out += cls + ']';
      return i + 1;
    }
    first = false;
    if (c == '[' && i + 1 < g.size() && (g[i + 1] == '=' || g[i + 1] == '.')) {
      why =
          "a collating element or equivalence class ([= =], [. .]) has no equivalent in "
          "Alertmanager's regular expressions";
      return std::nullopt;
    }
    if (c == '[' && i + 1 < g.size() && g[i + 1] == ':') {
      const auto end = g.find(":]", i + 2);
      if (end == std::string_view::npos) {
        why = "a character class [: is never closed with :]";
        return std::nullopt;
      }
      static constexpr std::array<std::string_view, 12> k_classes = {
          "alnum", "alpha", "blank", "cntrl", "digit", "graph",
          "lower", "print", "punct", "space", "upper", "xdigit"};
      const std::string_view name = g.substr(i + 2, end - i - 2);
      if (std::find(k_classes.begin(), k_classes.end(), name) == k_classes.end()) {
        why = fmt::format("[:{}:] is not a character class", name);
        return std::nullopt;
      }
      cls += fmt::format("[:{}:]", name);
      i = end + 2;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= g.size()) {
        why = "it ends with a backslash, which fnmatch matches nothing with";
        return std::nullopt;
      }
      c = g[++i];
    }
    ++i;
    // A range: `c-d`, unless the `-` is the last character before `]`.
    if (i + 1 < g.size() && g[i] == '-' && g[i + 1] != ']') {
      char to = g[i + 1];
      std::size_t next = i + 2;
      if (to == '\\') {
        if (next >= g.size()) {
          why = "it ends with a backslash, which fnmatch matches nothing with";
          return std::nullopt;
        }
        to = g[next++];
      }
      if (static_cast<unsigned char>(to) < static_cast<unsigned char>(c)) {
        why = fmt::format(
            "the range {}-{} has its ends reversed: fnmatch matches nothing with it, "
            "a regular expression refuses it",
            c, to);
        return std::nullopt;
      }
      class_literal(cls, c);
      cls += '-';
      class_literal(cls, to);
      i = next;
      continue;
    }
    class_literal(cls, c);
  }
  return std::nullopt;  // no closing `]`
}

// A matcher's value as Alertmanager's matcher syntax quotes it: `\`, `"` and a line
// break escaped (labels.ParseMatcher reads back exactly these three).
std::string matcher(std::string_view name, std::string_view op, std::string_view value) {
  std::string v;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      v += '\\';
      v += c;
    } else if (c == '\n') {
      v += "\\n";
    } else {
      v += c;
    }
  }
  return fmt::format("{}{}\"{}\"", name, op, v);
}

// A YAML scalar for any text: single-quoted when every character may stand in one as it
// is, else double-quoted with escapes. Line breaks YAML 1.1 knows (Alertmanager reads
// YAML with go-yaml v2: NEL, U+2028, U+2029 too), controls and the BOM are never raw.
std::string yaml_scalar(std::string_view s) {
  bool plain = true;
  for (std::size_t i = 0; i < s.size() && plain; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7f) plain = false;
    if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F)
      plain = false;  // C1 controls, NEL among them
    if (s.substr(i, 3) == "\xE2\x80\xA8" || s.substr(i, 3) == "\xE2\x80\xA9") plain = false;
    if (s.substr(i, 3) == "\xEF\xBB\xBF") plain = false;
  }
  std::string out;
  if (plain) {
    out = "'";
    for (const char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (s[i] == '\\' || s[i] == '"') {
      out += '\\';
      out += s[i];
    } else if (b < 0x20 || b == 0x7f) {
      out += fmt::format("\\x{:02x}", b);
    } else if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[++i]));
    } else if (s.substr(i, 3) == "\xE2\x80\xA8" || s.substr(i, 3) == "\xE2\x80\xA9") {
      out += s[i + 2] == '\xA8' ? "\\L" : "\\P";
      i += 2;
    } else if (s.substr(i, 3) == "\xEF\xBB\xBF") {
      out += "\\ufeff";
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out + "\"";
}

// A party's id as a receiver's name: plain when YAML 1.1 reads it back as that same
// string (a slug that is no boolean or null word), else quoted.
std::string name_scalar(std::string_view id) {
  static constexpr std::array<std::string_view, 9> k_words = {"y",   "n",    "yes",   "no",  "on",
                                                              "off", "true", "false", "null"};
  const bool slug =
      !id.empty() && id.front() >= 'a' && id.front() <= 'z' &&
      std::all_of(
          id.begin(), id.end(),
          [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }) &&
      std::find(k_words.begin(), k_words.end(), id) == k_words.end();
  return slug ? std::string(id) : yaml_scalar(id);
}

// Text from the matrix or the rules in a comment: on one line, whatever it holds.
std::string comment_text(std::string_view s) {
  return text::escape_controls(s);
}

bool valid_label_name(std::string_view n) {
  if (n.empty() || (std::isdigit(static_cast<unsigned char>(n.front())) != 0)) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return c == '_' || (static_cast<unsigned char>(c) < 0x80 &&
                        std::isalnum(static_cast<unsigned char>(c)) != 0);
  });
}

// RE2's `\C` (any byte) is the one escape Go's regexp, Alertmanager's, refuses.
bool go_refuses(std::string_view re) {
  for (std::size_t i = 0; i + 1 < re.size(); ++i) {
    if (re[i] != '\\') continue;
    if (re[i + 1] == 'C') return true;
    ++i;
  }
  return false;
}

bool has_glob_syntax(std::string_view g) {
  return g.find_first_of("*?[\\") != std::string_view::npos;
}

// The matchers that say what a list of globs says of `label`: one for the included
// globs (none when one of them is `*`), one for the excluded ones.
bool glob_matchers(std::string_view label, const k8s::GlobList& globs,
                   std::vector<std::string>& out, std::string& why) {
  auto one = [&](const std::vector<std::string>& list, bool include) {
    if (list.empty()) return true;
    if (include && std::find(list.begin(), list.end(), "*") != list.end()) return true;
    if (list.size() == 1 && !has_glob_syntax(list.front())) {
      out.push_back(matcher(label, include ? "=" : "!=", list.front()));
      return true;
    }
    std::string alternatives;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string re = glob_to_regex(list[i], why);
      if (!why.empty()) {
        why = fmt::format("{} glob '{}': {}", label, list[i], why);
        return false;
      }
      alternatives += (i == 0 ? "" : "|") + re;
    }
    out.push_back(matcher(label, include ? "=~" : "!~", alternatives));
    return true;
  };
  return one(globs.include, true) && one(globs.exclude, false);
}

std::string_view op_text(k8s::LabelMatcher::Op op) {
  switch (op) {
    case k8s::LabelMatcher::Op::eq: return "=";
    case k8s::LabelMatcher::Op::ne: return "!=";
    case k8s::LabelMatcher::Op::re: return "=~";
    case k8s::LabelMatcher::Op::nre: return "!~";
  }
  return "=";
}

bool label_matcher(const k8s::LabelMatcher& m, std::vector<std::string>& out, std::string& why) {
  if (!valid_label_name(m.name)) {
    why = fmt::format(
        "the label name '{}' is not one Alertmanager takes (a letter or _, then letters, "
        "digits or _)",
        m.name);
    return false;
  }
  const bool re = m.op == k8s::LabelMatcher::Op::re || m.op == k8s::LabelMatcher::Op::nre;
  if (re && go_refuses(m.value)) {
    why = fmt::format(
        "the expression '{}' uses \\C (any byte), which Alertmanager's regular expressions "
        "(Go's) do not have",
        m.value);
    return false;
  }
  out.push_back(matcher(m.name, op_text(m.op), m.value));
  return true;
}

const Activity* find_activity(const Matrix& m, const std::string& id) {
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      if (a.id == id) return &a;
    }
  }
  return nullptr;
}

bool objects_only(const k8s::Rule& r) {
  return !r.kind.empty() || !r.group.empty() || !r.name_glob.empty();
}

}  // namespace

std::string glob_to_regex(std::string_view g, std::string& why) {
  why.clear();
  std::string out;
  for (std::size_t i = 0; i < g.size();) {
    const char c = g[i];
    if (c == '*') {
      while (i < g.size() && g[i] == '*') ++i;
      // `?*` reads better as `.+`.
      if (out.ends_with('.') && !out.ends_with("\\.")) {
        out += '+';
      } else {
        out += ".*";
      }
      continue;
    }
    if (c == '?') {
      out += '.';
      ++i;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= g.size()) {
        why = "it ends with a backslash, which fnmatch matches nothing with";
        return {};
      }
      literal(out, g[i + 1]);
      i += 2;
      continue;
    }
    if (c == '[') {
      std::string cls;
      const auto after = bracket(g, i + 1, cls, why);
      if (!why.empty()) return {};
      if (after) {
        out += cls;
        i = *after;
        continue;
      }
      // No closing `]`: fnmatch takes the `[` literally.
    }
    literal(out, c);
    ++i;
  }
  return out;
}

std::string alertmanager_duration(std::int64_t ms) {
  if (ms <= 0) return "0s";
  std::string out;
  constexpr std::array<std::pair<std::int64_t, const char*>, 5> k_units = {
      {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}}};
  for (const auto& [size, unit] : k_units) {
    if (ms >= size) {
      out += fmt::format("{}{}", ms / size, unit);
      ms %= size;
    }
  }
  return out;
}

Result<std::string> alertmanager_config(const k8s::RuleSet& rules, const Matrix& m,
                                        const AlertmanagerOptions& o) {
  const std::string party = o.party.empty() && !m.parties.empty() ? m.parties.front().id : o.party;
  const auto provider = provider_party(m, party);
  const std::string escalate = alertmanager_duration(o.escalate_after_ms);
  const std::string gray =
      provider ? name_scalar(m.parties[*provider].id) : yaml_scalar(k_nobody_receiver);
  bool nobody_used = !provider;

  std::string routes;
  std::size_t for_alerts = 0;
  for (const k8s::Rule& r : rules.rules) {
    if (objects_only(r)) continue;
    ++for_alerts;
    const std::string name = comment_text(r.name);
    if (r.broken) {
      routes += fmt::format(
          "    # rule {} never matches: a matcher of it does not parse (RAC503), as in racine\n",
          name);
      continue;
    }
    std::vector<std::string> matchers;
    std::string why;
    bool ok = true;
    if (r.alertname) ok = label_matcher(*r.alertname, matchers, why);
    if (ok) ok = glob_matchers("namespace", r.namespace_, matchers, why);
    for (const auto& l : r.labels) {
      if (ok) ok = label_matcher(l, matchers, why);
    }
    if (!ok) {
      const Position p = rules.source ? rules.source->position(r.span.begin) : Position{};
      return Error{rules.source ? rules.source->path() : std::string(), p.line, p.column,
                   fmt::format("rule '{}' cannot be written as an Alertmanager route that "
                               "matches what it matches: {}",
                               r.name, why)};
    }
    const Activity* a = find_activity(m, r.activity);
    const Plan plan = plan_of(m, &r, a, provider);
    if (a != nullptr) {
      routes += fmt::format("    # rule {}: {}\n", name, comment_text(a->title));
    } else {
      routes += fmt::format(
          "    # rule {}: its activity '{}' is not in the matrix: the gray zone, as in racine\n",
          name, comment_text(r.activity));
    }
    routes += matchers.empty() ? "    - matchers: []  # every alert\n" : "    - matchers:\n";
    for (const auto& x : matchers) routes += fmt::format("        - {}\n", yaml_scalar(x));
    struct Step {
      std::size_t party;
      std::string what;
      bool escalation;
    };
    std::vector<Step> steps;
    for (const auto& x : plan.responsible)
      steps.push_back(
          {x.party, a == nullptr ? "R: the gray zone" : "R: firing and resolved", false});
    for (const auto& x : plan.informed) steps.push_back({x.party, "I: informed", false});
    for (const auto& x : plan.accountable)
      steps.push_back({x.party, "A: escalation after " + escalate, true});
    if (steps.empty()) {
      nobody_used = true;
      routes += fmt::format("      receiver: {}  # {}\n", yaml_scalar(k_nobody_receiver),
                            a == nullptr ? "the gray zone, and no provider's party"
                                         : "no party is R, I or A on the activity");
      continue;
    }
    if (steps.size() == 1 && !steps.front().escalation) {
      routes += fmt::format("      receiver: {}  # {}\n",
                            name_scalar(m.parties[steps.front().party].id), steps.front().what);
      continue;
    }
    routes += "      routes:\n";
    for (std::size_t i = 0; i < steps.size(); ++i) {
      routes += fmt::format("        - receiver: {}  # {}\n",
                            name_scalar(m.parties[steps[i].party].id), steps[i].what);
      if (steps[i].escalation) {
        routes += "          matchers: ['racine_escalation=\"\"']  # a route of its own (above)\n";
        routes += fmt::format("          group_wait: {}\n", escalate);
      }
      if (i + 1 < steps.size()) routes += "          continue: true\n";
    }
  }

  std::string with;
  for (const auto& w : o.with) with += (with.empty() ? "" : ", ") + comment_text(w);
  std::string out;
  out += fmt::format("# Alertmanager routing of the matrix {}: {}\n", comment_text(m.id),
                     comment_text(m.title));
  out += fmt::format(
      "# Contract options: {}. The client's party: {}; the provider's (the gray zone): {}.\n",
      with.empty() ? std::string("none") : with, comment_text(party),
      provider ? comment_text(m.parties[*provider].id) : "none");
  out +=
      "# Written by `racine export --format alertmanager`: `amtool config routes test` names\n"
      "# the parties `racine route test` names (docs/routing.md, \"An Alertmanager routing\n"
      "# tree\").\n"
      "#\n";
  out += fmt::format(
      "# A route per classification rule that can match an alert ({} of the {} rules; the\n"
      "# rest classify Kubernetes objects only), in order: the first that matches decides.\n"
      "# Under it, the parties it reaches: Responsible (firing and resolved), Informed, then\n"
      "# Accountable (escalation), whose route waits the contract's escalate_after ({}).\n"
      "# That route matches racine_escalation=\"\" (true of any alert without that label)\n"
      "# only to be told apart from the R route: Alertmanager deduplicates a receiver's\n"
      "# notifications by route, and would drop an escalation to the Responsible party.\n"
      "# An alert no rule matches goes to the root's receiver: the gray zone.\n",
      for_alerts, rules.rules.size(), escalate);
  out +=
      "#\n"
      "# What Alertmanager does otherwise than racine:\n"
      "# - it has no acknowledgement: the Accountable party is notified when the alert still\n"
      "#   fires after the wait and no silence covers it then (a silence is the\n"
      "#   acknowledgement here, and it mutes the Responsible party's repeats too), again at\n"
      "#   each repeat_interval while the alert fires; racine escalates once.\n"
      "# - send_resolved belongs to a receiver's integrations, not to a route: an Informed\n"
      "#   party gets resolved notifications when they say so; racine sends it none.\n"
      "# - a notification names the receiver, not the role, the activity or the gray zone.\n"
      "# - racine's working hours, maintenance windows, repeats and fallbacks are not here.\n";
  out += "route:\n";
  out += fmt::format("  receiver: {}  # the gray zone: no rule matches\n", gray);
  out += "  group_by: ['...']  # every alert on its own, as racine routes them\n";
  if (!routes.empty()) out += "  routes:\n" + routes;
  out += "receivers:\n";
  out +=
      "  # One per party, named by its id, without integrations: add each party's\n"
      "  # webhook_configs, email_configs, slack_configs, pagerduty_configs... Until then it\n"
      "  # receives nothing (a placeholder address would send alerts to it).\n";
  for (const auto& p : m.parties)
    out += fmt::format("  - name: {}  # {}\n", name_scalar(p.id), comment_text(p.name));
  if (nobody_used)
    out += fmt::format("  - name: {}  # what reaches no party; leave it without integrations\n",
                       yaml_scalar(k_nobody_receiver));
  return out;
}

}  // namespace racine::route
