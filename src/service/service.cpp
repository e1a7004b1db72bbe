#include "service/service.h"

#include <sodium.h>

#include <map>
#include <tuple>

#include "compare/diff.h"
#include "compare/diff_report.h"
#include "core/text.h"
#include "formats/document.h"
#include "formats/json_writer.h"
#include "formats/loader.h"
#include "formats/spreadsheet.h"
#include "lint/linter.h"
#include "lint/report_writers.h"
#include "query/duties.h"
#include "query/query_json.h"
#include "reports/compliance.h"
#include "reports/page.h"
#include "reports/xlsx_writer.h"
#include "resolve/options.h"
#include "resolve/options_json.h"
#include "route/alertmanager.h"

namespace racine::service {

using nlohmann::ordered_json;
using store::Principal;

Reply Reply::json(const ordered_json& j, Status s) {
  Reply r;
  r.status = s;
  // Text from a request (an id, a query) is checked for UTF-8 before it gets here; a
  // byte that slipped through is replaced rather than failing the answer.
  r.body = j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  return r;
}

Reply Reply::json_text(std::string body, Status s) {
  Reply r;
  r.status = s;
  r.body = std::move(body);
  return r;
}

Reply Reply::error(Status s, std::string code, const std::string& message) {
  Reply r;
  r.status = s;
  ordered_json j;
  j["error"] = {{"code", code}, {"message", message}};
  r.body = j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  r.error_code = std::move(code);
  return r;
}

std::string ascii_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), T and Z in either case (RFC 3339, 5.6).
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  auto number = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  if (s.size() < 20 || s.size() > 64 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) ||
      s[7] != '-' || !digits(8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(11, 2) ||
      s[13] != ':' || !digits(14, 2) || s[16] != ':' || !digits(17, 2))
    return false;
  const int month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || number(11, 2) > 23 || number(14, 2) > 59 ||
      number(17, 2) > 60)
    return false;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    const std::size_t start = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == start) return false;
  }
  if (at + 1 == s.size() && (s[at] == 'Z' || s[at] == 'z')) return true;
  return at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && digits(at + 1, 2) &&
         s[at + 3] == ':' && digits(at + 4, 2) && number(at + 1, 2) <= 23 &&
         number(at + 4, 2) <= 59;
}

std::optional<std::int64_t> ms_of_rfc3339(std::string_view s) {
  if (!is_rfc3339(s)) return std::nullopt;
  auto number = [&](std::size_t at, std::size_t n) {
    std::int64_t v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = static_cast<int>(number(0, 4)) - 1900;
  tm.tm_mon = static_cast<int>(number(5, 2)) - 1;
  tm.tm_mday = static_cast<int>(number(8, 2));
  tm.tm_hour = static_cast<int>(number(11, 2));
  tm.tm_min = static_cast<int>(number(14, 2));
  tm.tm_sec = static_cast<int>(std::min<std::int64_t>(number(17, 2), 59));
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  std::size_t at = 19;
  if (s[at] == '.') {
    std::int64_t scale = 100;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at) {
      ms += (s[at] - '0') * scale;
      scale /= 10;
    }
  }
  if (s[at] == '+' || s[at] == '-') {
    const std::int64_t offset = (number(at + 1, 2) * 60 + number(at + 4, 2)) * 60000;
    ms += s[at] == '+' ? -offset : offset;
  }
  return ms;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || c != '-')) return false;
  }
  return true;
}

std::optional<sheet::Kind> spreadsheet_of_media_type(std::string_view content_type) {
  std::string t(content_type.substr(0, content_type.find(';')));
  t = text::trim(t);
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return sheet::Kind::xlsx;
  if (t == "application/vnd.oasis.opendocument.spreadsheet") return sheet::Kind::ods;
  return std::nullopt;
}

std::optional<std::string> format_of_media_type(std::string_view content_type) {
  std::string t(content_type.substr(0, content_type.find(';')));
  t = text::trim(t);
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "text/markdown" || t == "text/x-markdown") return "md";
  if (t == "application/yaml" || t == "application/x-yaml" || t == "text/yaml") return "yaml";
  if (t == "application/json") return "json";
  if (t == "text/csv") return "csv";
  return std::nullopt;
}

namespace {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return hex(digest, sizeof digest);
}

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

ordered_json summary_json(const ReportSummary& s) {
  return {{"errors", s.errors}, {"warnings", s.warnings}, {"infos", s.infos}};
}

std::string extension(const std::string& format) {
  return format == "md" ? "md" : format;
}

// "latest" or a positive number; 0 for latest, -1 when invalid.
std::int64_t parse_version(std::string_view v) {
  if (v == "latest") return 0;
  if (v.empty() || v.size() > 12) return -1;
  std::int64_t n = 0;
  for (const char c : v) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? n : -1;
}

std::string options_key(const std::vector<std::string>& options) {
  std::string k;
  for (const auto& o : options) k += "#" + o;
  return k;
}

std::string rfc3339_now_seconds() {
  std::string t = store::now_rfc3339();
  return t.substr(0, 19) + "Z";
}

}  // namespace

std::string new_token() {
  if (!sodium_ready()) throw store::Error("libsodium cannot start", false);
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return "rac_" + hex(bytes, sizeof bytes);
}

Service::Service(store::Store& store, config::Config config)
    : m_store(store), m_config(std::move(config)) {
  if (!sodium_ready()) throw store::Error("libsodium cannot start", false);
}

void Service::set_cache_ttl(std::chrono::milliseconds ttl) {
  m_principals.set_ttl(ttl);
  m_contracts.set_ttl(ttl);
  m_contract_ids.set_ttl(ttl);
  m_oncall_rules.set_ttl(ttl);
}

std::string Service::token_hash(std::string_view token) {
  // Read (or made) once; a store error leaves the flag unset, to try again next time.
  std::call_once(m_key_once, [this] {
    const std::string key_hex = m_store.setting("token-key", [] {
      unsigned char k[crypto_generichash_KEYBYTES];
      randombytes_buf(k, sizeof k);
      return hex(k, sizeof k);
    });
    m_key.resize(key_hex.size() / 2);
    std::size_t len = 0;
    sodium_hex2bin(reinterpret_cast<unsigned char*>(m_key.data()), m_key.size(), key_hex.data(),
                   key_hex.size(), nullptr, &len, nullptr);
    m_key.resize(len);
  });
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), reinterpret_cast<const unsigned char*>(m_key.data()),
                     m_key.size());
  return hex(out, sizeof out);
}

std::optional<Principal> Service::authenticate(std::string_view token) {
  // Well-formed tokens only: "rac_" and 64 hex digits (anything else is not looked up).
  if (token.size() != 68 || !token.starts_with("rac_")) return std::nullopt;
  for (const char c : token.substr(4)) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const std::string hash = token_hash(token);
  if (auto cached = m_principals.get(hash)) return cached;
  // A revocation while this lookup is in flight must not be undone by caching what the
  // lookup read before it: the answer is cached only when no revocation happened since.
  const std::uint64_t generation = m_revocations.load();
  auto p = m_store.authenticate(hash);
  if (p) m_principals.put_if(hash, *p, [&] { return m_revocations.load() == generation; });
  return p;
}

std::optional<std::string> Service::first_admin_token() {
  std::string token = new_token();
  if (!m_store.create_first_admin(token_hash(token))) return std::nullopt;
  return token;
}

std::pair<store::TokenInfo, std::string> Service::issue_token(
    const Principal& who, store::Role role, const std::optional<std::string>& tenant,
    const std::string& name) {
  std::string token = new_token();
  auto info = m_store.create_token(who, role, tenant, name, token_hash(token));
  return {std::move(info), std::move(token)};
}

Reply Service::create_token(const Principal& who, const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("role") || !body["role"].is_string()) {
    return Reply::error(Status::bad_request, "bad_request",
                        "the body must be {\"role\", \"tenant\"?, \"name\"}");
  }
  const auto role = store::parse_role(body["role"].get<std::string>());
  if (!role)
    return Reply::error(Status::bad_request, "bad_role",
                        "role must be admin, editor, viewer, tenant or ingest");
  std::optional<std::string> tenant;
  if (body.contains("tenant") && !body["tenant"].is_null()) {
    if (!body["tenant"].is_string() || !valid_id(body["tenant"].get<std::string>())) {
      return Reply::error(Status::bad_request, "bad_tenant",
                          "tenant must be an id [a-z0-9][a-z0-9-]{0,62}");
    }
    tenant = body["tenant"].get<std::string>();
  }
  const bool bound = *role == store::Role::tenant || *role == store::Role::ingest;
  if (bound != tenant.has_value()) {
    return Reply::error(Status::bad_request, bound ? "tenant_required" : "tenant_not_allowed",
                        bound ? "a tenant or ingest token needs a tenant"
                              : "only tenant and ingest tokens have a tenant");
  }
  std::string name =
      body.contains("name") && body["name"].is_string() ? body["name"].get<std::string>() : "";
  if (name.size() > 200)
    return Reply::error(Status::bad_request, "bad_name", "name is longer than 200 bytes");
  if (tenant && !m_store.get_tenant(who, *tenant)) {
    return Reply::error(Status::not_found, "not_found", "no tenant '" + *tenant + "'");
  }
  auto [info, token] = issue_token(who, *role, tenant, name);
  return Reply::json({{"id", info.id}, {"token", token}}, Status::created);
}

Reply Service::list_tokens(const Principal& who) {
  ordered_json out = ordered_json::array();
  for (const auto& t : m_store.list_tokens(who)) {
    out.push_back({{"id", t.id},
                   {"role", store::role_name(t.role)},
                   {"tenant", t.tenant ? ordered_json(*t.tenant) : ordered_json(nullptr)},
                   {"name", t.name},
                   {"created", t.created},
                   {"by", t.by},
                   {"revoked", t.revoked ? ordered_json(*t.revoked) : ordered_json(nullptr)}});
  }
  return Reply::json(out);
}

Reply Service::revoke_token(const Principal& who, const std::string& id) {
  ++m_revocations;  // lookups in flight from now on do not cache what they read
  if (!m_store.revoke_token(who, id))
    return Reply::error(Status::not_found, "not_found", "no live token '" + id + "'");
  ++m_revocations;
  m_principals.clear();  // the cache is by hash, not id: forget every token
  return Reply::json({{"id", id}, {"revoked", true}});
}

namespace {

constexpr std::size_t k_note_max = 2000;  // characters of a release note

// Why a release note cannot be kept, "" when it can: UTF-8, no control character but a
// newline or a tab, at most k_note_max characters.
std::string note_problem(const std::string& note) {
  if (text::find_invalid_utf8(note)) return "the release note is not UTF-8";
  for (const char c : note) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F)
      return "the release note holds a control character";
  }
  if (text::codepoints(note) > k_note_max)
    return "the release note is longer than " + std::to_string(k_note_max) + " characters";
  return "";
}

// What the client's party hears when a version of its contract's matrix is published:
// an informed delivery of a "notice" event (alert name racine-version), in both languages
// (each receiver speaks its own), with the release note.
store::RequestNotice version_notice(const Matrix& m, const store::Contract& k, std::int64_t version,
                                    const std::string& note) {
  store::RequestNotice n;
  const auto party = std::find_if(m.parties.begin(), m.parties.end(),
                                  [&](const Party& p) { return p.id == k.party; });
  const std::string name = party != m.parties.end() ? party->name : k.party;
  const std::string v = std::to_string(version);
  const std::string was = std::to_string(k.version);
  n.labels = nlohmann::json{
      {"alertname", "racine-version"},
      {"notice", "version"},
      {"matrix", k.matrix},
      {"version", v},
      {"severity",
       "info"}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  nlohmann::json notes{
      {"summary", k.matrix + " version " + v + " is published; contract " + k.id +
                      " is on version " + was + ": review the upgrade and accept it"},
      {"summary_fr", "La version " + v + " de " + k.matrix + " est publiée\u202f; le contrat " +
                         k.id + " est en version " + was +
                         "\u202f: examinez la mise à jour et acceptez-la"},
      {"description", note.empty() ? "No release note." : "Release note: " + note},
      {"description_fr",
       note.empty() ? "Pas de note de version." : "Note de version\u202f: " + note}};
  n.annotations = notes.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  n.to.push_back(store::NewDelivery{k.party, name, "I", "informed", 0});
  return n;
}

}  // namespace

namespace {

// Why an upload of `same`'s bytes with another note is refused (409 note_conflict).
std::string note_conflict(const std::string& matrix, const store::VersionInfo& same) {
  return "these bytes are already version " + std::to_string(same.version) + " of '" + matrix +
         "', " +
         (same.note.empty() ? std::string("without a release note")
                            : "whose release note is another") +
         ": a version's note does not change once said; upload without ?note to get that "
         "version, or change the document for a new one";
}

}  // namespace

Reply Service::upload(const Principal& who, const std::string& matrix,
                      std::string_view content_type, std::string body, bool force, bool dry_run,
                      const std::string& note) {
  if (const std::string why = note_problem(note); !why.empty())
    return Reply::error(Status::unprocessable, "bad_note", why);
  auto format = format_of_media_type(content_type);
  const auto sheet_kind = spreadsheet_of_media_type(content_type);
  if (!format && !sheet_kind) {
    return Reply::error(Status::unsupported, "unsupported_media_type",
                        "Content-Type must be text/markdown, application/yaml, application/json, "
                        "text/csv, or a spreadsheet (.xlsx or .ods)");
  }
  const std::string display =
      matrix + "." +
      (sheet_kind ? (*sheet_kind == sheet::Kind::xlsx ? "xlsx" : "ods") : extension(*format));
  std::optional<Result<Matrix>> read;
  if (sheet_kind) {
    // A spreadsheet is kept as the Markdown it reads as (docs/formats.md): the store
    // holds text, and every later reading of the version is the same.
    read.emplace(
        sheet::read_spreadsheet(body, *sheet_kind, display, m_config.read_options(matrix)));
    if (*read) {
      body = std::string((*read)->source->text());
      format = "md";
    }
  } else {
    auto src = load_text(body, display, m_config.limits);
    if (!src) return Reply::error(Status::unprocessable, "unreadable", src.error().to_string());
    read.emplace(read_document(*src, *parse_format(*format), m_config.read_options(matrix)));
  }
  auto& m = *read;
  if (!m) return Reply::error(Status::unprocessable, "unreadable", m.error().to_string());
  const std::string sha = sha256_hex(body);
  const FileReport report = lint::report(display, *m, m_config);
  const ReportSummary s = summarize({report});
  const std::string lint_json = lint::write_json_report({report});
  if (dry_run) return upload_preview(who, matrix, *m, sha, lint_json, s, text::trim(note));
  if (s.errors > 0 && !force) {
    Reply r;
    r.status = Status::unprocessable;
    r.body = lint_json;
    r.error_code = "lint_errors";
    return r;
  }
  store::NewVersion v{matrix,
                      m->title,
                      *format,
                      std::move(body),
                      sha,
                      write_json(*m),
                      lint_json,
                      summary_json(s).dump(),
                      std::string(text::trim(note))};
  const Matrix& read_matrix = *m;
  const auto put = m_store.put_version(who, v, [&](const store::Contract& k, std::int64_t version) {
    return version_notice(read_matrix, k, version, v.note);
  });
  if (put.told > 0 && m_on_recorded) m_on_recorded(0);
  // The same bytes are the same version, and a version's note was said with it: a note
  // that differs is refused rather than dropped (no note, or the same, is that version).
  if (!put.created && !v.note.empty() && v.note != put.info.note)
    return Reply::error(Status::conflict, "note_conflict", note_conflict(matrix, put.info));
  return Reply::json({{"matrix", matrix},
                      {"version", put.info.version},
                      {"lint", summary_json(s)},
                      {"note", put.info.note},
                      {"told", put.told}},
                     put.created ? Status::created : Status::ok);
}

// What saving an upload would bring, stored nowhere: the lint report, the version it
// would be (or the version that already holds the same bytes, and whether `note` would
// be refused by it), and the diff of the matrix against the latest version (null for a
// new matrix).
Reply Service::upload_preview(const Principal& who, const std::string& matrix, const Matrix& m,
                              const std::string& sha, const std::string& lint_json,
                              const ReportSummary& s, std::string_view note) {
  ordered_json out;
  out["matrix"] = matrix;
  out["dry_run"] = true;
  const auto versions = m_store.list_versions(who, matrix);
  out["latest"] = versions.empty() ? ordered_json(nullptr) : ordered_json(versions.back().version);
  out["same_as"] = nullptr;
  out["note_conflict"] = nullptr;  // saving would answer 409 note_conflict, saying this
  for (const auto& v : versions) {
    if (v.sha256 != sha) continue;
    out["same_as"] = v.version;
    if (!note.empty() && note != v.note) out["note_conflict"] = note_conflict(matrix, v);
  }
  out["language"] = m.language;
  out["summary"] = summary_json(s);
  out["lint"] = ordered_json::parse(lint_json);
  out["diff"] = nullptr;
  if (!versions.empty()) {
    const auto latest = m_store.get_version(who, matrix, versions.back().version);
    const auto before = latest ? load(*latest) : nullptr;
    if (!before)
      return Reply::error(Status::conflict, "unreadable", "the latest version cannot be read back");
    out["diff"] = compare::diff_json(compare::diff(before->matrix, m), before->matrix, m);
  }
  return Reply::json(out);
}

std::string Service::import_builtin_if_empty() {
  if (!m_store.no_matrices()) return "";
  const SourcePtr src = builtin_matrix();
  const Reply r = upload(Principal::system(), "managed-kubernetes", "text/markdown",
                         std::string(src->text()), true);
  const auto j = nlohmann::json::parse(r.body);
  std::string out = "imported the built-in matrix as managed-kubernetes version " +
                    std::to_string(j["version"].get<int>()) + ": " +
                    std::to_string(j["lint"]["errors"].get<int>()) + " errors, " +
                    std::to_string(j["lint"]["warnings"].get<int>()) + " warnings, " +
                    std::to_string(j["lint"]["infos"].get<int>()) + " infos\n";
  // Its errors and warnings as lint prints them (the seed's RAC202 and RAC201 among them).
  if (auto m = read_markdown(src, m_config.read_options("managed-kubernetes"))) {
    const std::string text =
        lint::write_text_report({lint::report(std::string(k_builtin_path), *m, m_config)}, false);
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t eol = text.find('\n', at);
      const std::string line = text.substr(at, eol - at);
      if (line.find(": error: ") != std::string::npos ||
          line.find(": warning: ") != std::string::npos) {
        out += line + "\n";
      }
      at = eol == std::string::npos ? text.size() : eol + 1;
    }
  }
  out.pop_back();
  return out;
}

Reply Service::list_matrices(const Principal& who) {
  ordered_json out = ordered_json::array();
  for (const auto& m : m_store.list_matrices(who))
    out.push_back({{"id", m.id}, {"title", m.title}, {"latest", m.latest}});
  return Reply::json(out);
}

Reply Service::list_versions(const Principal& who, const std::string& matrix) {
  const auto versions = m_store.list_versions(who, matrix);
  if (versions.empty())
    return Reply::error(Status::not_found, "not_found", "no matrix '" + matrix + "'");
  // Who uploaded, by name as well (the portal shows names; `by` stays the token's id).
  std::map<std::string, std::string> names;
  for (const auto& t : m_store.list_tokens(Principal::system())) names.emplace(t.id, t.name);
  ordered_json out = ordered_json::array();
  for (const auto& v : versions) {
    const auto named = names.find(v.by);
    out.push_back(
        {{"version", v.version},
         {"created", v.created},
         {"by", v.by},
         {"by_name", named != names.end() && !named->second.empty() ? named->second : v.by},
         {"sha256", v.sha256},
         {"summary", nlohmann::json::parse(v.summary, nullptr, false)},
         {"note", v.note}});
  }
  return Reply::json(out);
}

std::optional<store::Version> Service::version_of(const Principal& who, const std::string& matrix,
                                                  const std::string& version, Reply& error) {
  const std::int64_t n = parse_version(version);
  if (n < 0) {
    error = Reply::error(Status::bad_request, "bad_version",
                         "a version is a positive number or 'latest'");
    return std::nullopt;
  }
  auto v = m_store.get_version(who, matrix, n);
  if (!v)
    error = Reply::error(Status::not_found, "not_found",
                         "no version " + version + " of matrix '" + matrix + "'");
  return v;
}

std::shared_ptr<const Loaded> Service::load(const store::Version& v) {
  return effective(v, {});
}

std::shared_ptr<const Loaded> Service::cached_effective(const std::string& matrix,
                                                        std::int64_t version,
                                                        const std::vector<std::string>& options) {
  const std::string key = matrix + "@" + std::to_string(version) + options_key(options);
  std::lock_guard<std::mutex> lock(m_cache_mutex);
  if (auto it = m_cache.find(key); it != m_cache.end()) return it->second.loaded;
  return nullptr;
}

std::shared_ptr<const Loaded> Service::effective(const store::Version& v,
                                                 const std::vector<std::string>& options) {
  const std::string key = v.matrix + "@" + std::to_string(v.version) + options_key(options);
  if (auto cached = cached_effective(v.matrix, v.version, options)) return cached;
  const std::string display = v.matrix + "." + extension(v.format);
  auto src = load_text(v.document, display, m_config.limits);
  if (!src) return nullptr;
  auto m = read_document(*src, parse_format(v.format).value_or(Format::markdown),
                         m_config.read_options(v.matrix));
  if (!m) return nullptr;
  Matrix result = std::move(*m);
  std::vector<query::MovedRow> moved;  // named in lookups' answers ("via ...")
  if (!options.empty()) {
    auto r = resolve::apply(result, options);
    if (!r) return nullptr;
    for (const auto& c : r->changes) moved.push_back({c.section, c.activity, c.option});
    result = std::move(r->matrix);
  }
  auto loaded = std::make_shared<Loaded>();
  loaded->matrix = std::move(result);
  loaded->index = query::Index::build(loaded->matrix, moved);
  // Bounded in entries and in bytes: a parsed matrix with its index takes about 40 times
  // its document (docs/performance.md, "Memory"), and its lookup answers up to their bound.
  const std::size_t bytes = v.document.size() * 40 + (64U << 10U) + AnswerMemo::k_max_bytes;
  std::lock_guard<std::mutex> lock(m_cache_mutex);
  constexpr std::size_t k_cache_entries = 256;
  if (bytes > m_limits.cache_bytes) return loaded;  // served, not kept
  while (!m_cache.empty() &&
         (m_cache.size() >= k_cache_entries || m_cache_bytes + bytes > m_limits.cache_bytes)) {
    m_cache_bytes -= m_cache.begin()->second.bytes;
    m_cache.erase(m_cache.begin());
  }
  if (m_cache.try_emplace(key, Cached{loaded, bytes}).second) m_cache_bytes += bytes;
  return loaded;
}

Reply Service::write_matrix(const Matrix& m, const std::string& format, const Matrix* original,
                            const std::vector<std::string>& with) {
  Reply r;
  if (format.empty() || format == "json") {
    r.body = write_json(m);
  } else if (format == "md" || format == "yaml" || format == "csv") {
    r.body = write_document(m, *parse_format(format));
    r.content_type = format == "md"     ? "text/markdown; charset=utf-8"
                     : format == "yaml" ? "application/yaml"
                                        : "text/csv; charset=utf-8";
  } else if (format == "html") {
    r.body = reports::html_page(m, m_config, original, with);
    r.content_type = "text/html; charset=utf-8";
  } else if (format == "oscal") {
    r.body = reports::write_oscal(m, rfc3339_now_seconds());
  } else if (format == "xlsx") {
    auto bytes = reports::xlsx_report(m, m_config);
    if (!bytes) return Reply::error(Status::unprocessable, "xlsx", bytes.error().to_string());
    r.body = std::move(*bytes);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  } else {
    return Reply::error(Status::bad_request, "bad_format",
                        "format must be json, md, yaml, csv, html, xlsx or oscal");
  }
  return r;
}

Reply Service::get_version(const Principal& who, const std::string& matrix,
                           const std::string& version, const std::string& format) {
  Reply error;
  const auto v = version_of(who, matrix, version, error);
  if (!v) return error;
  const auto loaded = load(*v);
  if (!loaded)
    return Reply::error(Status::conflict, "unreadable", "the stored version cannot be read back");
  return write_matrix(loaded->matrix, format);
}

Reply Service::get_lint(const Principal& who, const std::string& matrix,
                        const std::string& version) {
  Reply error;
  const auto v = version_of(who, matrix, version, error);
  if (!v) return error;
  Reply r;
  r.body = v->lint;
  return r;
}

Reply Service::diff(const Principal& who, const std::string& matrix, const std::string& from,
                    const std::string& to) {
  Reply error;
  const auto a = version_of(who, matrix, from, error);
  if (!a) return error;
  const auto b = version_of(who, matrix, to, error);
  if (!b) return error;
  const auto before = load(*a);
  const auto after = load(*b);
  if (!before || !after)
    return Reply::error(Status::conflict, "unreadable", "a stored version cannot be read back");
  const compare::Diff d = compare::diff(before->matrix, after->matrix);
  return Reply::json(compare::diff_json(d, before->matrix, after->matrix));
}

Reply Service::matrix_clients(const Principal& who, const std::string& matrix) {
  const auto versions = m_store.list_versions(who, matrix);
  if (versions.empty())
    return Reply::error(Status::not_found, "not_found", "no matrix '" + matrix + "'");
  const std::int64_t latest = versions.back().version;
  struct Row {
    store::Contract c;
    std::string tenant_name;
  };
  std::vector<Row> rows;
  for (const auto& t : m_store.list_tenants(who)) {
    for (auto& c : m_store.list_contracts(who, t.id)) {
      if (c.matrix == matrix) rows.push_back({std::move(c), t.name});
    }
  }
  // The furthest behind first, then by the client's name and the contract.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.c.version, a.tenant_name, a.c.tenant, a.c.id) <
           std::tie(b.c.version, b.tenant_name, b.c.tenant, b.c.id);
  });
  ordered_json contracts = ordered_json::array();
  std::size_t behind = 0;
  for (const auto& r : rows) {
    if (r.c.version < latest) ++behind;
    contracts.push_back({{"tenant", r.c.tenant},
                         {"tenant_name", r.tenant_name},
                         {"contract", r.c.id},
                         {"version", r.c.version},
                         {"behind", latest - r.c.version}});
  }
  return Reply::json(
      {{"matrix", matrix}, {"latest", latest}, {"behind", behind}, {"contracts", contracts}});
}

namespace {

ordered_json tenant_json(const store::Tenant& t) {
  return {{"id", t.id}, {"name", t.name}, {"email_domains", t.email_domains}};
}

}  // namespace

Reply Service::put_tenant(const Principal& who, const std::string& tenant,
                          const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
      body["name"].get<std::string>().empty() || body["name"].get<std::string>().size() > 200) {
    return Reply::error(Status::bad_request, "bad_request",
                        "the body must be {\"name\": \"...\", \"email_domains\"?: [...]} (a "
                        "name of 1 to 200 bytes)");
  }
  store::Tenant t{tenant, body["name"].get<std::string>(), {}};
  if (body.contains("email_domains")) {
    const auto& d = body["email_domains"];
    const char* shape =
        "email_domains is a list of at most 50 domain names (\"acme.example\"), where the "
        "tenant's email receivers may send";
    if (!d.is_array() || d.size() > 50)
      return Reply::error(Status::bad_request, "bad_request", shape);
    for (const auto& x : d) {
      if (!x.is_string()) return Reply::error(Status::bad_request, "bad_request", shape);
      std::string domain = ascii_lower(x.get<std::string>());
      const bool ok =
          !domain.empty() && domain.size() <= 253 && domain.front() != '.' &&
          domain.back() != '.' && domain.find("..") == std::string::npos &&
          domain.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string::npos;
      if (!ok)
        return Reply::error(Status::bad_request, "bad_request",
                            "'" + x.get<std::string>().substr(0, 80) + "' is not a domain name");
      if (std::find(t.email_domains.begin(), t.email_domains.end(), domain) ==
          t.email_domains.end())
        t.email_domains.push_back(std::move(domain));
    }
  } else if (const auto before = m_store.get_tenant(who, tenant)) {
    t.email_domains = before->email_domains;  // a rename keeps them
  }
  const bool created = m_store.put_tenant(who, t);
  return Reply::json(tenant_json(t), created ? Status::created : Status::ok);
}

Reply Service::list_tenants(const Principal& who) {
  ordered_json out = ordered_json::array();
  for (const auto& t : m_store.list_tenants(who)) out.push_back(tenant_json(t));
  return Reply::json(out);
}

namespace {

ordered_json consent_json(const store::Consent& k);

ordered_json contract_json(const store::Contract& c) {
  return {{"tenant", c.tenant},
          {"id", c.id},
          {"matrix", c.matrix},
          {"version", c.version},
          {"options", c.options},
          {"party", c.party},
          {"escalate_after", c.escalate_after}};
}

// "15m", "30s", "2h", "1h30m": a duration of at least one second.
bool valid_duration(std::string_view d) {
  const auto ms = duration_ms(d);
  return ms && *ms >= 1000;
}

}  // namespace

Reply Service::put_contract(const Principal& who, const std::string& tenant,
                            const std::string& contract, const nlohmann::json& body) {
  const char* shape =
      "the body must be {\"matrix\", \"version\", \"options\": [], \"party\", \"escalate_after\"?}";
  if (!body.is_object() || !body.contains("matrix") || !body["matrix"].is_string() ||
      !body.contains("version") || !body.contains("party") || !body["party"].is_string()) {
    return Reply::error(Status::bad_request, "bad_request", shape);
  }
  store::Contract c;
  c.tenant = tenant;
  c.id = contract;
  c.matrix = body["matrix"].get<std::string>();
  c.party = body["party"].get<std::string>();
  if (!valid_id(c.matrix))
    return Reply::error(Status::bad_request, "bad_id", "matrix must be an id");
  const auto& version = body["version"];
  if (version.is_number_integer() && version.get<std::int64_t>() > 0) {
    c.version = version.get<std::int64_t>();
  } else if (version.is_string() && parse_version(version.get<std::string>()) >= 0) {
    c.version = parse_version(version.get<std::string>());
  } else {
    return Reply::error(Status::bad_request, "bad_version",
                        "version is a positive number or \"latest\"");
  }
  if (body.contains("options")) {
    if (!body["options"].is_array()) return Reply::error(Status::bad_request, "bad_request", shape);
    for (const auto& o : body["options"]) {
      if (!o.is_string())
        return Reply::error(Status::bad_request, "bad_request", "options are strings");
      c.options.push_back(o.get<std::string>());
    }
  }
  if (body.contains("escalate_after")) {
    if (!body["escalate_after"].is_string() ||
        !valid_duration(body["escalate_after"].get<std::string>())) {
      return Reply::error(Status::bad_request, "bad_duration",
                          "escalate_after is a duration such as \"15m\" or \"30s\"");
    }
    c.escalate_after = body["escalate_after"].get<std::string>();
  }
  if (!m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  const auto v = m_store.get_version(who, c.matrix, c.version);
  if (!v)
    return Reply::error(Status::not_found, "not_found",
                        "no such version of matrix '" + c.matrix + "'");
  c.version = v->version;
  const auto base = load(*v);
  if (!base)
    return Reply::error(Status::conflict, "unreadable", "the stored version cannot be read back");
  if (!query::find_party(base->matrix, c.party)) {
    return Reply::error(Status::unprocessable, "bad_party",
                        "no party '" + c.party + "' in " + c.matrix);
  }
  c.party = base->matrix.parties[*query::find_party(base->matrix, c.party)].id;
  for (const auto& o : c.options) {
    if (!resolve::find_option(base->matrix, o)) {
      return Reply::error(Status::unprocessable, "bad_option",
                          "no option '" + o + "' in " + c.matrix);
    }
  }
  const bool created = m_store.put_contract(who, c);
  m_contracts.clear();
  routing_written();
  return Reply::json(contract_json(c), created ? Status::created : Status::ok);
}

void Service::routing_written() {
  ++m_routing_writes;
  m_contract_ids.clear();
  m_oncall_rules.clear();
}

Reply Service::get_contract(const Principal& who, const std::string& tenant,
                            const std::string& contract) {
  const auto c = m_store.get_contract(who, tenant, contract);
  if (!c) return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  ordered_json out = contract_json(*c);
  if (const auto t = m_store.get_tenant(Principal::system(), tenant)) out["tenant_name"] = t->name;
  // The last consent, when the contract was moved by one.
  const auto consents = m_store.list_consents(who, tenant, contract);
  out["accepted"] = consents.empty() ? ordered_json(nullptr) : consent_json(consents.back());
  return Reply::json(out);
}

std::optional<store::Contract> Service::cached_contract(const std::string& tenant,
                                                        const std::string& contract) {
  const std::string key = std::string("*") + '\n' + tenant + '\n' + contract;
  auto c = m_contracts.get(key);
  if (!c) {
    c = m_store.get_contract(Principal::system(), tenant, contract);
    if (c) m_contracts.put(key, *c);
  }
  return c;
}

std::optional<Service::ContractView> Service::contract_view(const Principal& who,
                                                            const std::string& tenant,
                                                            const std::string& contract,
                                                            Reply& error) {
  // Keyed by what the store's answer depends on: the caller's scope (provider or its
  // tenant), the tenant and the contract.
  const std::string key = (who.provider() ? std::string("*") : "=" + who.tenant.value_or("")) +
                          '\n' + tenant + '\n' + contract;
  auto c = m_contracts.get(key);
  if (!c) {
    c = m_store.get_contract(who, tenant, contract);
    if (c) m_contracts.put(key, *c);
  }
  if (!c) {
    error = Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
    return std::nullopt;
  }
  // The contract is visible to `who`, and so is its version: a cached effective matrix
  // answers without reading the version again (versions never change).
  if (auto cached = cached_effective(c->matrix, c->version, c->options))
    return ContractView{std::move(*c), cached};
  const auto v = m_store.get_version(who, c->matrix, c->version);
  if (!v) {
    error = Reply::error(Status::not_found, "not_found", "the contract's version is gone");
    return std::nullopt;
  }
  auto loaded = effective(*v, c->options);
  if (!loaded) {
    error =
        Reply::error(Status::conflict, "unreadable", "the contract's matrix cannot be resolved");
    return std::nullopt;
  }
  return ContractView{std::move(*c), std::move(loaded)};
}

Reply Service::contract_matrix(const Principal& who, const std::string& tenant,
                               const std::string& contract, const std::string& format) {
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  const auto& options = view->contract.options;
  // The contract's alert routing as an Alertmanager configuration (docs/routing.md, "An
  // Alertmanager routing tree"): the inputs its routing takes.
  if (format == "alertmanager") {
    const auto rules = rules_of(view->contract.matrix, view->contract.version);
    if (!rules)
      return Reply::error(Status::conflict, "unreadable",
                          "the contract's classification rules cannot be read");
    const auto yaml = route::alertmanager_config(
        *rules, view->loaded->matrix,
        {view->contract.party, duration_ms(view->contract.escalate_after).value_or(15 * 60 * 1000),
         options});
    if (!yaml)
      return Reply::error(Status::unprocessable, "not_expressible", yaml.error().to_string());
    Reply r;
    r.body = yaml.value();
    r.content_type = "application/yaml";
    return r;
  }
  if (format != "html" || options.empty()) return write_matrix(view->loaded->matrix, format);
  // The page shows what the contract's options changed: the version before them.
  auto original = cached_effective(view->contract.matrix, view->contract.version, {});
  if (!original) {
    const auto v = m_store.get_version(who, view->contract.matrix, view->contract.version);
    if (v) original = load(*v);
  }
  return write_matrix(view->loaded->matrix, format, original ? &original->matrix : nullptr,
                      options);
}

Reply Service::who(const Principal& who, const std::string& tenant, const std::string& contract,
                   const std::string& query, std::size_t limit, bool partial) {
  if (text::trim(query).empty())
    return Reply::error(Status::bad_request, "bad_query", "q is empty");
  if (limit == 0 || limit > 100)
    return Reply::error(Status::bad_request, "bad_limit", "limit is 1 to 100");
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  std::string key = query;
  key += '\0';
  key += std::to_string(limit);
  key += partial ? 'p' : 'w';
  if (auto known = view->loaded->answers.find(key)) return Reply::json_text(std::move(*known));
  const auto answer = view->loaded->index.search(query, query::SearchOptions{limit, partial});
  std::string body = query::answer_to_json_text(view->loaded->matrix, query, answer);
  view->loaded->answers.keep(key, body);
  return Reply::json_text(std::move(body));
}

std::optional<std::string> AnswerMemo::find(const std::string& key) const {
  std::lock_guard<std::mutex> lock(m_mutex);
  const auto it = m_answers.find(key);
  if (it == m_answers.end()) return std::nullopt;
  return it->second;
}

void AnswerMemo::keep(const std::string& key, const std::string& answer) const {
  const std::size_t bytes = key.size() + answer.size() + 64;
  if (bytes > k_max_bytes / 4) return;  // a rare, long answer: not worth the room
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_bytes + bytes > k_max_bytes) {
    m_answers.clear();
    m_bytes = 0;
  }
  if (m_answers.try_emplace(key, answer).second) m_bytes += bytes;
}

Reply Service::duties(const Principal& who, const std::string& tenant, const std::string& contract,
                      const std::string& party, const std::string& roles) {
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  const Matrix& m = view->loaded->matrix;
  const auto p = query::find_party(m, party.empty() ? view->contract.party : party);
  if (!p)
    return Reply::error(Status::bad_request, "bad_party",
                        "no party '" + party + "' in this matrix");
  RoleSet set;
  for (const char c : roles) {
    if (c == ',' || c == ' ') continue;
    if (RoleSet::from_letters(std::string_view(&c, 1)).empty() || !m.roles.has(c)) {
      return Reply::error(Status::bad_request, "bad_role",
                          std::string("'") + c + "' is not a role of this matrix");
    }
    set.add_letter(c);
  }
  return Reply::json(query::duties_to_json(m, query::duties(m, *p, set)));
}

Reply Service::summary(const Principal& who, const std::string& tenant,
                       const std::string& contract) {
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  return Reply::json(
      query::summary_to_json(view->loaded->matrix, query::summary(view->loaded->matrix)));
}

Reply Service::options(const Principal& who, const std::string& tenant,
                       const std::string& contract) {
  Reply error;
  auto c = m_store.get_contract(who, tenant, contract);
  if (!c) return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  const auto v = m_store.get_version(who, c->matrix, c->version);
  if (!v) return Reply::error(Status::not_found, "not_found", "the contract's version is gone");
  const auto base = load(*v);
  if (!base)
    return Reply::error(Status::conflict, "unreadable", "the stored version cannot be read back");
  ordered_json out = resolve::options_to_json(base->matrix);
  for (auto& o : out) {
    const std::string id = o.value("id", "");
    o["included"] = std::find(c->options.begin(), c->options.end(), id) != c->options.end();
  }
  return Reply::json(out);
}

std::optional<Service::UpgradeDiff> Service::upgrade_diff(const Principal& who,
                                                          const std::string& tenant,
                                                          const std::string& contract,
                                                          std::int64_t to, Reply& error,
                                                          std::optional<std::int64_t> from) {
  auto view = contract_view(who, tenant, contract, error);
  if (!view) return std::nullopt;
  // From the version the caller read (a concurrent upgrade may have moved the contract
  // since: the store's compare-and-set then refuses the move).
  if (from && *from != view->contract.version) {
    const auto before = m_store.get_version(who, view->contract.matrix, *from);
    auto loaded = before ? effective(*before, view->contract.options) : nullptr;
    if (!loaded) {
      error = Reply::error(Status::conflict, "conflict", "the contract moved meanwhile");
      return std::nullopt;
    }
    view->contract.version = *from;
    view->loaded = std::move(loaded);
  }
  const auto next_version = m_store.get_version(who, view->contract.matrix, to);
  if (!next_version || next_version->version <= view->contract.version) {
    error = Reply::error(Status::not_found, "no_upgrade", "the contract is on the latest version");
    return std::nullopt;
  }
  const auto next = effective(*next_version, view->contract.options);
  if (!next) {
    error = Reply::error(
        Status::conflict, "options_gone",
        "the contract's options do not apply to version " + std::to_string(next_version->version));
    return std::nullopt;
  }
  const compare::Diff d = compare::diff(view->loaded->matrix, next->matrix);
  UpgradeDiff out{view->contract.version, next_version->version,
                  compare::diff_json(d, view->loaded->matrix, next->matrix), ""};
  out.sha256 = sha256_hex(out.diff.dump());
  return out;
}

Reply Service::upgrade_preview(const Principal& who, const std::string& tenant,
                               const std::string& contract) {
  Reply error;
  const auto d = upgrade_diff(who, tenant, contract, 0, error);
  if (!d) return error;
  ordered_json out;
  out["from"] = d->from;
  out["to"] = d->to;
  out["diff"] = d->diff;
  // What accepting it will record as the diff the person was shown (POST it back).
  out["diff_sha256"] = d->sha256;
  return Reply::json(out);
}

Reply Service::upgrade(const Principal& who, const std::string& tenant, const std::string& contract,
                       const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("version") || !body["version"].is_number_integer() ||
      (body.contains("diff_sha256") && !body["diff_sha256"].is_string())) {
    return Reply::error(Status::bad_request, "bad_request",
                        "the body must be {\"version\": N, \"diff_sha256\"?: \"...\"}");
  }
  const std::int64_t version = body["version"].get<std::int64_t>();
  const auto c = m_store.get_contract(who, tenant, contract);
  if (!c) return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant may accept an upgrade");
  if (version <= c->version) {
    return Reply::error(Status::conflict, "not_newer",
                        "version " + std::to_string(version) +
                            " is not newer than the contract's " + std::to_string(c->version));
  }
  // A concurrent upgrade may move the contract while this one reads: the versions it
  // needs may then be out of the tenant's sight (404) or gone from the diff; that is the
  // conflict it is, not a missing version.
  auto moved_meanwhile = [&]() -> std::optional<Reply> {
    const auto now = m_store.get_contract(who, tenant, contract);
    if (now && now->version != c->version)
      return Reply::error(Status::conflict, "conflict",
                          "the contract moved from version " + std::to_string(c->version) +
                              " meanwhile (a concurrent upgrade)");
    return std::nullopt;
  };
  const auto v = m_store.get_version(who, c->matrix, version);
  if (!v) {
    if (auto conflict = moved_meanwhile()) return *conflict;
    return Reply::error(Status::not_found, "not_found", "no version " + std::to_string(version));
  }
  // The consent is to the effective diff: its hash is recorded, and when the caller says
  // which diff it showed, that must be the one accepted.
  Reply error;
  const auto d = upgrade_diff(who, tenant, contract, version, error, c->version);
  if (!d) {
    if (auto conflict = moved_meanwhile()) return *conflict;
    return error;
  }
  if (body.contains("diff_sha256") && body["diff_sha256"].get<std::string>() != d->sha256) {
    return Reply::error(Status::conflict, "diff_changed",
                        "the upgrade is not the one that was shown (its diff changed): look at it "
                        "again before accepting");
  }
  store::Consent consent;
  consent.by_token = who.user ? "" : who.token;
  consent.by_name = who.name.empty() ? who.token : who.name;
  consent.by_email = who.email;
  consent.by_issuer = who.issuer;
  consent.by_subject = who.subject;
  consent.diff_sha256 = d->sha256;
  if (who.role == store::Role::tenant) {
    const auto t = m_store.get_tenant(Principal::system(), tenant);
    consent.by_org = t ? t->name : tenant;
  }
  bool moved = false;
  try {
    moved = m_store.upgrade_contract(who, tenant, contract, version, c->version, &consent);
  } catch (const store::Conflict& e) {
    m_contracts.clear();
    return Reply::error(Status::conflict, "conflict", e.what());
  }
  m_contracts.clear();
  routing_written();
  if (!moved) return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  return get_contract(who, tenant, contract);
}

namespace {

ordered_json consent_json(const store::Consent& k) {
  ordered_json by{{"kind", k.by_token.empty() ? "user" : "token"}, {"name", k.by_name}};
  if (!k.by_email.empty()) by["email"] = k.by_email;
  if (!k.by_issuer.empty()) by["issuer"] = k.by_issuer;
  if (!k.by_subject.empty()) by["subject"] = k.by_subject;
  // Which side signed: the client (named as it was then) or the provider's staff.
  by["side"] = k.by_org.empty() ? "provider" : "client";
  if (!k.by_org.empty()) by["organisation"] = k.by_org;
  return {{"at", k.at},     {"by", std::move(by)}, {"matrix", k.matrix},
          {"from", k.from}, {"to", k.to},          {"diff_sha256", k.diff_sha256}};
}

}  // namespace

Reply Service::contract_history(const Principal& who, const std::string& tenant,
                                const std::string& contract) {
  const auto c = m_store.get_contract(who, tenant, contract);
  if (!c) return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  ordered_json consents = ordered_json::array();
  for (const auto& k : m_store.list_consents(who, tenant, contract))
    consents.push_back(consent_json(k));
  const auto owner = m_store.get_tenant(Principal::system(), tenant);
  return Reply::json({{"tenant", tenant},
                      {"tenant_name", owner ? owner->name : tenant},
                      {"contract", contract},
                      {"matrix", c->matrix},
                      {"version", c->version},
                      {"consents", std::move(consents)}});
}

void Service::set_limits(const Limits& limits) {
  m_limits = limits;
  if (limits.alerts_per_minute > 0)
    m_quota =
        std::make_unique<TokenBuckets>(limits.alerts_per_minute / 60, limits.alerts_per_minute);
}

Reply Service::me(const Principal& who) {
  ordered_json out;
  out["kind"] = who.user ? "user" : "token";
  out["id"] = who.user.value_or(who.token);
  out["name"] = who.name;
  if (who.user) out["email"] = who.email;
  out["role"] = store::role_name(who.role);
  if (who.tenant) {
    out["tenant"] = *who.tenant;
    if (const auto t = m_store.get_tenant(Principal::system(), *who.tenant))
      out["tenant_name"] = t->name;
    // A tenant's token may do all its tenant's people may (DESIGN.md, "Who may act").
    if (who.role == store::Role::tenant)
      out["tenant_role"] =
          store::tenant_role_name(who.user ? who.tenant_role : store::TenantRole::approver);
  }
  return Reply::json(out);
}

Reply Service::audit(const Principal& who, const std::optional<std::string>& tenant) {
  ordered_json out = ordered_json::array();
  for (const auto& e : m_store.list_audit(who, tenant)) {
    out.push_back({{"seq", e.seq},
                   {"at", e.at},
                   {"token", e.token},
                   {"by", e.by},
                   {"action", e.action},
                   {"target", e.target},
                   {"tenant", e.tenant ? ordered_json(*e.tenant) : ordered_json(nullptr)}});
  }
  return Reply::json(out);
}

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

}  // namespace racine::service
