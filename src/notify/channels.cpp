#include "notify/channels.h"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <regex>
#include <set>

namespace racine::notify {

using nlohmann::json;

namespace {

bool french(const std::string& lang) {
  return lang == "fr";
}

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return {};
  const auto& v = j[key];
  return v.is_string() ? v.get<std::string>() : (v.is_null() ? std::string() : v.dump());
}

// Cuts at a UTF-8 boundary so that the result is at most `max` bytes.
std::string cut(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t at = max >= 3 ? max - 3 : 0;
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0U) == 0x80U) --at;
  s.resize(at);
  return s + "...";
}

// One line: controls (a newline from an alert) become spaces.
std::string line(std::string s) {
  for (auto& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return s;
}

// Only an http(s) URL becomes a link (a runbook or source link comes from the tenant's
// alert: a javascript: URL must not).
bool linkable(const std::string& url) {
  // Nothing that closes or opens a link or an image in any target's markup ("](", "<", "|"),
  // nor an @ (a mention): such a link is not made at all.
  return (url.starts_with("https://") || url.starts_with("http://")) && url.size() <= 2000 &&
         url.find_first_of(" \t\r\n<>\"|()[]!@\\`{}*") == std::string::npos;
}

// Slack's mrkdwn: &, < and > are its markup (links, mentions); escaped, nothing of an
// alert can link or mention.
std::string slack_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

// Markdown (Mattermost, an Adaptive Card's TextBlock): punctuation that makes links,
// emphasis or headings is backslash-escaped, and an @ cannot start a mention
// (@channel): a zero-width space follows it.
std::string markdown_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (std::string_view("\\`*_{}[]()<>#+-!|~").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (c == '@') {
      out += "@\u200b";
    } else {
      out += c;
    }
  }
  return out;
}

// What every message says, in the receiver's language, values as they came.
struct Facts {
  std::string title;    // "Firing: KubeNodeNotReady: <activity> (acme/main)"
  std::string summary;  // the summary or description annotation
  std::vector<std::pair<std::string, std::string>> rows;   // label, value
  std::vector<std::pair<std::string, std::string>> links;  // text, url
  bool resolved = false;
};

Facts facts_of(const json& d, const Context& ctx) {
  const bool fr = french(ctx.lang);
  Facts f;
  const json& alert = d.contains("alert") ? d["alert"] : json::object();
  const json& labels = alert.contains("labels") ? alert["labels"] : json::object();
  const json& notes = alert.contains("annotations") ? alert["annotations"] : json::object();
  const std::string kind = str(d, "kind");
  f.resolved = kind == "resolved";
  std::string alertname = str(labels, "alertname");
  if (alertname.empty()) alertname = fr ? "alerte" : "alert";
  const std::string colon = label_colon(ctx.lang);
  if (d.contains("request") || d.contains("notice")) {
    // A notice (a request's step, a version published): its own words, in the receiver's
    // language when it has them, and its page; no activity, nothing to acknowledge.
    auto said = [&](const char* key) {
      const std::string own = fr ? str(notes, (std::string(key) + "_fr").c_str()) : "";
      return own.empty() ? str(notes, key) : own;
    };
    f.summary = said("description");
    f.title = line(kind_text(kind, ctx.lang) + colon + said("summary"));
    f.rows.emplace_back(fr ? "Partie" : "Party", str(d, "party"));
    f.rows.emplace_back(fr ? "Contrat" : "Contract", str(d, "tenant") + "/" + str(d, "contract"));
    if (linkable(ctx.event_url))
      f.links.emplace_back(fr ? "Ouvrir dans racine" : "Open in racine", ctx.event_url);
    return f;
  }
  const bool gray = d.value("gray_zone", false);
  const json& activity = d.contains("activity") ? d["activity"] : json();
  const std::string what = gray ? (fr ? "zone grise" : "gray zone") : str(activity, "title");
  f.title =
      line(kind_text(kind, ctx.lang) + colon + alertname + (what.empty() ? "" : colon + what) +
           " (" + str(d, "tenant") + "/" + str(d, "contract") + ")");
  f.summary = str(notes, "summary");
  const std::string description = str(notes, "description");
  if (!description.empty()) f.summary += (f.summary.empty() ? "" : "\n") + description;
  f.rows.emplace_back(fr ? "Partie" : "Party",
                      str(d, "party") + " (" + role_text(str(d, "role"), ctx.lang) + ")");
  if (gray) {
    f.rows.emplace_back(fr ? "Activité" : "Activity",
                        fr ? "zone grise : aucune règle du contrat ne classe cette alerte"
                           : "gray zone: no rule of the contract classifies this alert");
  } else {
    f.rows.emplace_back(fr ? "Activité" : "Activity",
                        str(activity, "title") + " (" + str(activity, "id") + ")");
    if (!str(activity, "section").empty())
      f.rows.emplace_back(fr ? "Section" : "Section", str(activity, "section"));
  }
  f.rows.emplace_back(fr ? "Contrat" : "Contract", str(d, "tenant") + "/" + str(d, "contract"));
  if (!str(labels, "severity").empty())
    f.rows.emplace_back(fr ? "Gravité" : "Severity", str(labels, "severity"));
  f.rows.emplace_back(fr ? "Depuis" : "Since", str(alert, "startsAt"));
  const std::string ack = str(d, "ack_link");
  if (linkable(ack)) f.links.emplace_back(fr ? "Acquitter" : "Acknowledge", ack);
  if (linkable(ctx.event_url))
    f.links.emplace_back(fr ? "Ouvrir dans racine" : "Open in racine", ctx.event_url);
  const std::string runbook = str(notes, "runbook_url");
  if (linkable(runbook)) f.links.emplace_back(fr ? "Procédure" : "Runbook", runbook);
  const std::string source = str(alert, "generatorURL");
  if (linkable(source)) f.links.emplace_back(fr ? "Source" : "Source", source);
  return f;
}

// Mustache data from JSON: objects and strings as they are (a string cut at 16 KiB, so
// that a template repeating a huge annotation costs little), numbers as text, booleans as
// Mustache booleans (sections), arrays as lists.
kainjow::mustache::data data_of(const json& j) {
  using kainjow::mustache::data;
  if (j.is_object()) {
    data d{data::type::object};
    for (const auto& [k, v] : j.items()) d.set(k, data_of(v));
    return d;
  }
  if (j.is_array()) {
    data l{data::type::list};
    for (const auto& v : j) l.push_back(data_of(v));
    return l;
  }
  if (j.is_boolean()) return data{j.get<bool>()};
  if (j.is_string()) return data{cut(j.get<std::string>(), 16 * 1024)};
  if (j.is_null()) return data{false};
  return data{j.dump()};
}

// The inside of a JSON string: quotes, backslashes and controls escaped.
std::string json_inner(const std::string& s) {
  const std::string quoted = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

constexpr std::size_t k_max_template = 16 * 1024;
constexpr std::size_t k_max_rendered = 1024 * 1024;
constexpr std::size_t k_max_headers = 20;

bool header_name_ok(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A template that writes a value unescaped ({{{x}}}, {{&x}}) or changes the delimiters
// (after which the first two could not be seen) is refused.
std::optional<std::string> mustache_error(const std::string& text, const char* what) {
  static const std::regex unescaped(R"(\{\{\s*[{&=])");
  if (std::regex_search(text, unescaped))
    return std::string(what) +
           ": {{{...}}}, {{&...}} and {{=...=}} are not allowed (every value is escaped)";
  const kainjow::mustache::mustache m{text};
  if (!m.is_valid()) return std::string(what) + ": " + m.error_message();
  return std::nullopt;
}

}  // namespace

std::string kind_text(const std::string& kind, const std::string& lang) {
  const bool fr = french(lang);
  if (kind == "firing") return fr ? "Déclenchée" : "Firing";
  if (kind == "resolved") return fr ? "Résolue" : "Resolved";
  if (kind == "informed") return fr ? "Pour information" : "For information";
  if (kind == "escalation") return fr ? "Escalade" : "Escalation";
  return kind;
}

std::string role_text(const std::string& role, const std::string& lang) {
  const bool fr = french(lang);
  if (role == "R") return fr ? "Responsable" : "Responsible";
  if (role == "A") return fr ? "Approbateur" : "Accountable";
  if (role == "C") return fr ? "Consulté" : "Consulted";
  if (role == "I") return fr ? "Informé" : "Informed";
  return role;
}

std::string label_colon(const std::string& lang) {
  return french(lang) ? "\u202F: " : ": ";
}

std::string slack_message(const json& d, const Context& ctx) {
  const Facts f = facts_of(d, ctx);
  json fields = json::array();
  for (const auto& [k, v] : f.rows) {
    if (fields.size() == 10) break;
    fields.push_back(
        {{"type", "mrkdwn"}, {"text", cut("*" + k + "*\n" + slack_escape(line(v)), 2000)}});
  }
  json blocks = json::array();
  blocks.push_back(
      {{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", cut(f.title, 150)}}}});
  blocks.push_back({{"type", "section"}, {"fields", fields}});
  if (!f.summary.empty())
    blocks.push_back(
        {{"type", "section"},
         {"text", {{"type", "mrkdwn"}, {"text", cut(slack_escape(f.summary), 3000)}}}});
  if (!f.links.empty()) {
    json buttons = json::array();
    for (const auto& [text, url] : f.links)
      buttons.push_back(
          {{"type", "button"}, {"text", {{"type", "plain_text"}, {"text", text}}}, {"url", url}});
    blocks.push_back({{"type", "actions"}, {"elements", buttons}});
  }
  return json{{"text", cut(slack_escape(f.title), 3000)}, {"blocks", blocks}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string mattermost_message(const json& d, const Context& ctx) {
  const Facts f = facts_of(d, ctx);
  std::string text = "#### " + markdown_escape(cut(f.title, 1000)) + "\n";
  for (const auto& [k, v] : f.rows)
    text += "- **" + k + "**" + label_colon(ctx.lang) + markdown_escape(cut(line(v), 1000)) + "\n";
  // The summary is cut on its own, so that the links after it (Acknowledge) always fit.
  if (!f.summary.empty()) text += "\n" + markdown_escape(cut(f.summary, 6000)) + "\n";
  if (!f.links.empty()) {
    text += "\n";
    for (std::size_t i = 0; i < f.links.size(); ++i)
      text +=
          (i ? " · " : "") + std::string("[") + f.links[i].first + "](" + f.links[i].second + ")";
    text += "\n";
  }
  return json{{"text", cut(text, 16000)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string teams_message(const json& d, const Context& ctx) {
  const Facts f = facts_of(d, ctx);
  json facts = json::array();
  for (const auto& [k, v] : f.rows)
    facts.push_back({{"title", k}, {"value", cut(markdown_escape(line(v)), 1000)}});
  json body = json::array();
  body.push_back({{"type", "TextBlock"},
                  {"text", cut(markdown_escape(f.title), 1000)},
                  {"weight", "Bolder"},
                  {"size", "Medium"},
                  {"wrap", true},
                  {"color", f.resolved ? "Good" : "Attention"}});
  body.push_back({{"type", "FactSet"}, {"facts", facts}});
  if (!f.summary.empty())
    body.push_back(
        {{"type", "TextBlock"}, {"text", cut(markdown_escape(f.summary), 3000)}, {"wrap", true}});
  json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
               {"type", "AdaptiveCard"},
               {"version", "1.4"},
               {"body", body}};
  if (!f.links.empty()) {
    json actions = json::array();
    for (const auto& [text, url] : f.links)
      actions.push_back({{"type", "Action.OpenUrl"}, {"title", text}, {"url", url}});
    card["actions"] = actions;
  }
  return json{
      {"type", "message"},
      {"attachments", json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                    {"contentUrl", nullptr},
                                    {"content", card}}})}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string pagerduty_dedup_key(const json& d) {
  return cut("racine/" + str(d, "tenant") + "/" + str(d, "event") + "/" + str(d, "party"), 255);
}

std::string pagerduty_change_url(const std::string& events_url) {
  const std::string tail = "/enqueue";
  if (events_url.size() > tail.size() && events_url.ends_with(tail))
    return events_url.substr(0, events_url.size() - tail.size()) + "/change/enqueue";
  return events_url;
}

std::string pagerduty_change_event(const json& d, const std::string& routing_key,
                                   const Context& ctx) {
  const Facts f = facts_of(d, ctx);
  const json& alert = d.contains("alert") ? d["alert"] : json::object();
  json payload = {
      {"summary", cut(f.title, 1024)},
      {"source", cut(str(d, "tenant") + "/" + str(d, "contract"), 255)},
      {"custom_details",
       {{"party", str(d, "party")},
        {"role", str(d, "role")},
        {"kind", str(d, "kind")},
        {"activity", d.contains("activity") ? d["activity"] : json()},
        {"gray_zone", d.value("gray_zone", false)},
        {"labels", alert.contains("labels") ? alert["labels"] : json::object()},
        {"annotations", alert.contains("annotations") ? alert["annotations"] : json::object()}}}};
  if (!str(alert, "startsAt").empty()) payload["timestamp"] = str(alert, "startsAt");
  json out = {{"routing_key", routing_key}, {"payload", payload}};
  json links = json::array();
  for (const auto& [text, url] : f.links) links.push_back({{"href", url}, {"text", text}});
  if (!links.empty()) out["links"] = links;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string pagerduty_event(const json& d, const std::string& routing_key, const Context& ctx) {
  json out = {{"routing_key", routing_key},
              {"event_action", str(d, "kind") == "resolved" ? "resolve" : "trigger"},
              {"dedup_key", pagerduty_dedup_key(d)}};
  if (out["event_action"] == "resolve")
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
  const Facts f = facts_of(d, ctx);
  const json& alert = d.contains("alert") ? d["alert"] : json::object();
  const json& labels = alert.contains("labels") ? alert["labels"] : json::object();
  // PagerDuty's four severities, from the alert's own (an informed party's at most info).
  std::string severity = lower(str(labels, "severity"));
  if (severity == "critical" || severity == "page" || severity == "emergency") {
    severity = "critical";
  } else if (severity == "warning" || severity == "warn" || severity == "minor") {
    severity = "warning";
  } else if (severity == "info" || severity == "none" || severity == "low") {
    severity = "info";
  } else {
    severity = "error";
  }
  if (str(d, "kind") == "informed") severity = "info";
  json custom = {
      {"party", str(d, "party")},
      {"role", str(d, "role")},
      {"kind", str(d, "kind")},
      {"activity", d.contains("activity") ? d["activity"] : json()},
      {"gray_zone", d.value("gray_zone", false)},
      {"labels", labels},
      {"annotations", alert.contains("annotations") ? alert["annotations"] : json::object()}};
  json payload = {
      {"summary", cut(f.title, 1024)},
      {"source", cut(str(d, "tenant") + "/" + str(d, "contract"), 255)},
      {"severity", severity},
      {"component", cut(str(d.contains("activity") ? d["activity"] : json(), "id"), 255)},
      {"group", cut(str(d, "tenant") + "/" + str(d, "contract"), 255)},
      {"class", cut(str(labels, "alertname"), 255)},
      {"custom_details", custom}};
  if (!str(alert, "startsAt").empty()) payload["timestamp"] = str(alert, "startsAt");
  out["payload"] = payload;
  out["client"] = "racine";
  if (linkable(ctx.event_url)) out["client_url"] = ctx.event_url;
  json links = json::array();
  for (const auto& [text, url] : f.links) links.push_back({{"href", url}, {"text", text}});
  if (!links.empty()) out["links"] = links;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

const std::vector<std::string>& reserved_headers() {
  static const std::vector<std::string> reserved = {"host",
                                                    "content-length",
                                                    "transfer-encoding",
                                                    "connection",
                                                    "content-type",
                                                    "expect",
                                                    "idempotency-key",
                                                    "x-racine-timestamp",
                                                    "x-racine-signature",
                                                    "te",
                                                    "upgrade",
                                                    "proxy-authorization",
                                                    "trailer"};
  return reserved;
}

// The names a template uses as {{ref.NAME}} (in a tag or a section).
std::set<std::string> refs_used(const std::string& text) {
  static const std::regex tag(R"(\{\{\s*[#^/]?\s*ref\.([A-Za-z0-9_]+)\s*\}\})");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator();
       ++it)
    out.insert((*it)[1].str());
  return out;
}

std::set<std::string> refs_used(const Step& s) {
  auto out = refs_used(s.body);
  out.merge(refs_used(s.url));
  for (const auto& [name, value] : s.headers) out.merge(refs_used(value));
  return out;
}

// "https://host:port/" of a URL: everything up to the first slash after the authority.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? url + "/" : url.substr(0, slash + 1);
}

std::optional<std::string> check_step(const Step& t, const std::string& what) {
  if (t.method != "POST" && t.method != "PUT" && t.method != "PATCH")
    return what + "method is POST, PUT or PATCH";
  if (t.body.size() > k_max_template) return what + "body: a template of at most 16 KiB";
  if (auto e = mustache_error(t.body, (what + "body").c_str())) return e;
  if (t.headers.size() > k_max_headers) return what + "at most 20 headers";
  for (const auto& [name, value] : t.headers) {
    if (!header_name_ok(name))
      return what + "header '" + line(cut(name, 64)) + "': not a header name";
    const auto& reserved = reserved_headers();
    if (std::find(reserved.begin(), reserved.end(), lower(name)) != reserved.end())
      return what + "header '" + name + "' is set by racine";
    if (value.size() > 2048) return what + "header '" + name + "': at most 2 KiB";
    if (auto e = mustache_error(value, (what + "header '" + name + "'").c_str())) return e;
  }
  return std::nullopt;
}

constexpr std::size_t k_max_captures = 8;

bool ref_value_ok(const std::string& v) {
  return !v.empty() && v.size() <= 256 &&
         std::all_of(v.begin(), v.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// A value written into a URL's path: everything but letters, digits, '-', '_' and '~'
// encoded, '.' too (so that ".." cannot climb the path once a client normalises it).
std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> check_template(const Template& t) {
  if (auto e = check_step(t, "")) return e;
  if (t.capture.size() > k_max_captures) return "capture: at most 8 values";
  static const std::regex name_re("[A-Za-z0-9_]{1,32}");
  for (const auto& [name, pointer] : t.capture) {
    if (!std::regex_match(name, name_re))
      return "capture: '" + line(cut(name, 64)) + "' is not a name (letters, digits, _)";
    try {
      if (pointer.empty() || pointer.size() > 256) throw std::invalid_argument("size");
      const json::json_pointer p{pointer};
      (void)p;
    } catch (const std::exception&) {
      return "capture: '" + name + "' is a JSON pointer into the answer (\"/id\")";
    }
  }
  // The first request's URL is literal; a step's may use captured values after a literal
  // origin that is the first request's: a template never picks the host it talks to.
  const std::string origin = origin_of(t.url);
  for (const auto& [which, step] : t.steps) {
    if (which != "repeat" && which != "resolved")
      return "steps are \"repeat\" and \"resolved\", not '" + line(cut(which, 64)) + "'";
    const std::string what = which + ": ";
    if (auto e = check_step(step, what)) return e;
    auto headers = step.headers;
    headers.insert(t.headers.begin(), t.headers.end());
    if (headers.size() > k_max_headers)
      return what + "at most 20 headers, the first request's included";
    const auto tag = step.url.find("{{");
    if (step.url.size() > 2048 || origin.empty() || !step.url.starts_with(origin) ||
        (tag != std::string::npos && tag < origin.size()))
      return what + "url is on the receiver's own origin (" + origin + "...)";
    if (auto e = mustache_error(step.url, (what + "url").c_str())) return e;
    static const std::regex url_tag(R"(\{\{\s*ref\.[A-Za-z0-9_]+\s*\}\})");
    const std::string rest = std::regex_replace(step.url, url_tag, "");
    if (rest.find_first_of("{} \r\n\t") != std::string::npos)
      return what + "url: only {{ref.NAME}} values may be written into it";
  }
  for (const auto& name : refs_used(t))
    return "'ref." + name + "' is known only after the first answer: use it in a step";
  for (const auto& [which, step] : t.steps)
    for (const auto& name : refs_used(step))
      if (!t.capture.contains(name))
        return which + ": 'ref." + name + "' is not captured (\"capture\": {\"" + name +
               "\": \"/id\"})";
  return std::nullopt;
}

std::optional<Request> render_template(const Template& t, const json& d, const Context& ctx,
                                       const json& refs, std::string& error, bool& waiting) {
  waiting = false;
  // Which request: a step of its own for a resolved delivery or a repeat.
  const std::string kind = str(d, "kind");
  std::string which;
  if (kind == "resolved" && t.steps.contains("resolved")) which = "resolved";
  const bool repeat = d.contains("repeat") && d["repeat"].is_number() && d["repeat"] > 0;
  if (repeat && t.steps.contains("repeat")) which = "repeat";
  // A party that already has this event's ticket (a value captured) gets no second one:
  // its escalation, when it is both Responsible and Accountable, is a repeat's request.
  if (which.empty() && kind != "resolved" && refs.is_object() && !refs.empty() &&
      t.steps.contains("repeat"))
    which = "repeat";
  const Step& step = which.empty() ? static_cast<const Step&>(t) : t.steps.at(which);
  for (const auto& name : refs_used(step))
    if (!refs.is_object() || !refs.contains(name) || !refs[name].is_string()) {
      waiting = true;
      error = "waiting for '" + name + "' from the answer to the first request";
      return std::nullopt;
    }
  // What a template may use: the webhook body's fields, and a few conveniences.
  json view = d;
  for (const char* k : {"firing", "resolved", "informed", "escalation"})
    view[std::string("is_") + k] = kind == k;
  view["event_url"] = ctx.event_url;
  view["kind_text"] = kind_text(kind, ctx.lang);
  view["role_text"] = role_text(str(d, "role"), ctx.lang);
  view["title"] = facts_of(d, ctx).title;
  view["ref"] = refs.is_object() ? refs : json::object();
  const auto data = data_of(view);
  enum class Into { body, header, url };
  const auto render = [&](const std::string& text, Into into) -> std::optional<std::string> {
    kainjow::mustache::mustache m{text};
    if (!m.is_valid()) {
      error = m.error_message();
      return std::nullopt;
    }
    m.set_custom_escape([into](const std::string& s) {
      return into == Into::header ? line(s) : into == Into::url ? percent_encode(s) : json_inner(s);
    });
    std::string out;
    const std::size_t cap = into == Into::body ? k_max_rendered : 8 * 1024;
    // Past the cap the rendering stops at once (kainjow would go on to the end).
    struct Over {};
    try {
      m.render(data, [&](const std::string& piece) {
        if (out.size() + piece.size() > cap) throw Over{};
        out += piece;
      });
    } catch (const Over&) {
      error = into == Into::body ? "the template renders to more than 1 MiB"
                                 : "a header or URL renders to more than 8 KiB";
      return std::nullopt;
    }
    if (!m.is_valid()) {
      error = m.error_message();
      return std::nullopt;
    }
    return into == Into::header ? line(out) : out;
  };
  Request r;
  r.step = which;
  r.method = step.method;
  r.content_type = t.content_type;
  if (which.empty()) {
    r.url = t.url;
  } else {
    auto url = render(step.url, Into::url);
    if (!url) return std::nullopt;
    r.url = std::move(*url);
  }
  auto body = render(step.body, Into::body);
  if (!body) return std::nullopt;
  r.body = std::move(*body);
  // A step sends the first request's headers (an Authorization), its own over them.
  auto headers = step.headers;
  if (!which.empty()) headers.insert(t.headers.begin(), t.headers.end());
  for (const auto& [name, value] : headers) {
    auto v = render(value, Into::header);
    if (!v) return std::nullopt;
    r.headers.push_back(name + ": " + *v);
  }
  return r;
}

std::string capture_refs(const Template& t, const std::string& answer) {
  if (t.capture.empty()) return "";
  const auto j = json::parse(answer, nullptr, false);
  if (j.is_discarded()) return "";
  json out = json::object();
  for (const auto& [name, pointer] : t.capture) {
    try {
      const json::json_pointer p{pointer};
      if (!j.contains(p)) continue;
      const auto& v = j.at(p);
      std::string text;
      if (v.is_string())
        text = v.get<std::string>();
      else if (v.is_number_integer())
        text = v.dump();
      if (ref_value_ok(text)) out[name] = text;
    } catch (const std::exception&) {
    }
  }
  return out.empty() ? "" : out.dump();
}

Template template_of(const std::string& url, const json& options) {
  Template t;
  t.url = url;
  if (!options.is_object()) return t;
  const auto step_of = [](Step& s, const json& o) {
    s.method = o.value("method", "POST");
    s.body = o.value("body", "");
    if (o.contains("headers") && o["headers"].is_object())
      for (const auto& [name, value] : o["headers"].items())
        if (value.is_string()) s.headers[name] = value.get<std::string>();
  };
  step_of(t, options);
  if (options.contains("capture") && options["capture"].is_object())
    for (const auto& [name, pointer] : options["capture"].items())
      if (pointer.is_string()) t.capture[name] = pointer.get<std::string>();
  if (options.contains("steps") && options["steps"].is_object())
    for (const auto& [which, o] : options["steps"].items()) {
      if (!o.is_object()) continue;
      Step s;
      s.url = o.value("url", "");
      step_of(s, o);
      t.steps[which] = s;
    }
  return t;
}

}  // namespace racine::notify
