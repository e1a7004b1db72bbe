// `racine serve`: the server (the store, the service and the HTTP API), and `racine token
// create`, which issues a token offline on the same store (access recovery, scripts).
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/embedded.h"
#include "notify/egress.h"
#include "server/api.h"
#include "server/http.h"
#include "service/outbox.h"
#include "service/service.h"
#include "store/store.h"

namespace racine::cli {

namespace {

struct StoreOptions {
  std::string data = "racine-data";
  std::string database;
};

// --data DIR and --database URL (one or the other), for serve and token create. Returns
// --data, whose use tells an explicit folder from the default.
CLI::Option* add_store_options(CLI::App* app, StoreOptions& store) {
  CLI::Option* data = app->add_option("--data", store.data, tr("Folder of the SQLite store"))
                          ->capture_default_str()
                          ->option_text("DIR");
  app->add_option("--database", store.database,
                  tr("PostgreSQL URL (postgresql://...); default: $RACINE_DATABASE_URL, else "
                     "SQLite in --data"))
      ->excludes(data)
      ->option_text("URL");
  return data;
}

// "sqlite:DIR/racine.db" or the PostgreSQL URL (--database, else RACINE_DATABASE_URL).
std::optional<std::string> store_location(const StoreOptions& o, bool data_given) {
  std::string url = o.database;
  if (url.empty() && !data_given) {
    if (const char* env = std::getenv("RACINE_DATABASE_URL"); env != nullptr) url = env;
  }
  if (!url.empty()) {
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
      print_usage_error(tr("--database (or RACINE_DATABASE_URL) must be a postgresql:// URL"));
      return std::nullopt;
    }
    return url;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.data, ec);
  if (ec) {
    print_error(Error{o.data, 0, 0, "cannot create the data folder: " + ec.message()});
    return std::nullopt;
  }
  ::chmod(o.data.c_str(), 0700);
  return "sqlite:" + (std::filesystem::path(o.data) / "racine.db").string();
}

std::unique_ptr<store::Store> open_store(const std::string& where, std::size_t connections) {
  try {
    return store::Store::open(where, connections);
  } catch (const store::Error& e) {
    print_usage_error(e.what());
    return nullptr;
  }
}

struct ServeOptions {
  StoreOptions store;
  std::string listen = "127.0.0.1:8080";
  std::size_t threads = 4;
  double rate = 50;
  std::size_t body_limit = 4U << 20U;
  std::size_t alerts_body_limit = 8U << 20U;
  std::size_t max_connections = 0;
  std::string request_timeout = "30s";
  std::string config_file;  // options under their long names; the command line wins
  // [issuer.ID] sections of the configuration file: each key's values (docs/identity.md).
  std::map<std::string, std::map<std::string, std::vector<std::string>>> issuers;
  std::string session_idle = "8h";
  std::string session_lifetime = "7d";
  std::string admin_token_file;  // default: DATA/admin-token (SQLite), else ./racine-admin-token
  // What one tenant may cost (service::Limits).
  std::size_t alerts_per_request = 10000;
  double alerts_per_minute = 20000;
  std::string events_retention = "30d";
  std::size_t events_max = 100000;
  // Where tenants' receivers may send (notify/egress.h).
  std::vector<std::string> egress_allow;
  std::string egress_proxy;
  std::size_t delivery_per_receiver = 2;
  std::size_t delivery_claim_ahead = 4;
  // Alert routing's outbox (docs/routing.md).
  std::string public_url;  // default: http://LISTEN
  std::string smtp;
  std::string smtp_from = "racine@localhost";
  std::size_t delivery_workers = 16;
  std::string delivery_timeout = "10s";
  std::string retry_initial = "1s";
  std::string retry_max = "5m";
  std::string retry_max_age = "24h";
  std::string ack_link_ttl = "12h";
  std::string delivery_lease = "60s";
};

// Access-log lines of one server thread, written to standard error in one write(2) at
// the end of each turn (and when the thread ends).
struct LogBuffer {
  static constexpr std::size_t k_flush_at = 64U << 10U;
  std::string text;
  void flush() {
    std::string_view rest(text);
    while (!rest.empty()) {
      const ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // standard error closed or full: the log is lost, not the server
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    text.clear();
  }
  LogBuffer() = default;
  LogBuffer(const LogBuffer&) = delete;
  LogBuffer& operator=(const LogBuffer&) = delete;
  ~LogBuffer() { flush(); }
};

// The first admin token: on a terminal, printed; otherwise (a service, a container, a
// pipe) written to a file only its owner reads, and the log says where, so that the
// token never lands in a journal or a collected log.
bool hand_over_admin_token(const std::string& token, const ServeOptions& o, bool sqlite) {
  if (::isatty(STDOUT_FILENO) == 1) {
    fmt::print("admin token: {}\n", token);
    return true;
  }
  const std::string path = !o.admin_token_file.empty() ? o.admin_token_file
                           : sqlite ? (std::filesystem::path(o.store.data) / "admin-token").string()
                                    : std::string("racine-admin-token");
  ::unlink(path.c_str());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  const std::string text = token + "\n";
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    print_error(Error{path, 0, 0,
                      std::string("cannot write the first admin token: ") + std::strerror(err)});
    return false;
  }
  ::close(fd);
  fmt::print(
      "racine: the first admin token is in {} (mode 0600; standard output is not a "
      "terminal)\n",
      path);
  return true;
}

// The sign-in providers of the configuration file's [issuer.ID] sections
// (docs/identity.md), or an error message. A client secret is read from a file or the
// environment, never given inline or on the command line.
std::optional<std::string> identity_config(const ServeOptions& o, service::IdentityConfig& out) {
  for (const auto& [id, keys] : o.issuers) {
    if (!service::valid_id(id)) return "[issuer." + id + "]: an issuer's id is [a-z0-9-]";
    service::IssuerConfig c;
    c.oidc.id = id;
    auto one = [&](const std::string& k) -> std::string {
      const auto it = keys.find(k);
      return it == keys.end() || it->second.empty() ? std::string() : it->second.front();
    };
    auto many = [&](const std::string& k) {
      const auto it = keys.find(k);
      return it == keys.end() ? std::vector<std::string>() : it->second;
    };
    static const std::set<std::string> known = {"name",
                                                "issuer",
                                                "client-id",
                                                "client-secret-file",
                                                "client-secret-env",
                                                "scopes",
                                                "groups-claim",
                                                "provider",
                                                "admin-groups",
                                                "editor-groups",
                                                "viewer-groups",
                                                "tenant",
                                                "tenant-claim",
                                                "approver-groups",
                                                "responder-groups",
                                                "tenant-viewer-groups",
                                                "attach-by-email"};
    for (const auto& [k, v] : keys) {
      if (known.count(k) == 0U)
        return "[issuer." + id + "]: unknown key '" + k + "' (docs/identity.md lists them)";
    }
    c.oidc.name = one("name").empty() ? id : one("name");
    c.oidc.issuer = one("issuer");
    c.oidc.client_id = one("client-id");
    if (c.oidc.issuer.empty() || c.oidc.client_id.empty())
      return "[issuer." + id + "]: issuer and client-id are required";
    if (!one("client-secret-file").empty()) {
      std::ifstream in(one("client-secret-file"));
      if (!in) return "[issuer." + id + "]: cannot read " + one("client-secret-file");
      std::getline(in, c.oidc.client_secret);
    } else if (!one("client-secret-env").empty()) {
      const char* v = std::getenv(one("client-secret-env").c_str());
      if (v == nullptr) return "[issuer." + id + "]: $" + one("client-secret-env") + " is not set";
      c.oidc.client_secret = v;
    } else {
      return "[issuer." + id + "]: give client-secret-file or client-secret-env";
    }
    if (!many("scopes").empty()) c.oidc.scopes = many("scopes");
    if (!one("groups-claim").empty()) c.groups_claim = one("groups-claim");
    for (const char* flag : {"provider", "attach-by-email"}) {
      if (!one(flag).empty() && one(flag) != "true" && one(flag) != "false")
        return "[issuer." + id + "]: " + flag + " is true or false";
    }
    c.provider = one("provider") == "true";
    c.attach_by_email = one("attach-by-email") == "true";
    c.admin_groups = many("admin-groups");
    c.editor_groups = many("editor-groups");
    c.viewer_groups = many("viewer-groups");
    if (!one("tenant").empty()) c.tenant = one("tenant");
    c.tenant_claim = one("tenant-claim");
    c.approver_groups = many("approver-groups");
    c.responder_groups = many("responder-groups");
    c.tenant_viewer_groups = many("tenant-viewer-groups");
    if (!c.provider && !c.tenant && c.tenant_claim.empty() && !c.attach_by_email)
      return "[issuer." + id +
             "]: say whose people these are: provider = true, tenant, tenant-claim or "
             "attach-by-email = true";
    out.issuers.push_back(std::move(c));
  }
  for (const auto& [flag, text, field] :
       {std::tuple{"--session-idle", &o.session_idle, &out.session_idle_ms},
        std::tuple{"--session-lifetime", &o.session_lifetime, &out.session_max_ms}}) {
    const auto ms = service::duration_ms(*text);
    if (!ms || *ms < 60000)
      return std::string(flag) + ": '" + *text + "' is not a duration of a minute or more";
    *field = *ms;
  }
  return std::nullopt;
}

int run_serve(const ServeOptions& o, bool data_given) {
  // A server outlives its clients and its log readers: a closed connection or standard
  // error is an error to handle, never a signal that ends the process.
  std::signal(SIGPIPE, SIG_IGN);
  server::HttpOptions http;
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == o.listen.size()) {
    print_usage_error(tr("--listen is ADDRESS:PORT (e.g. 127.0.0.1:8080)"));
    return k_exit_error;
  }
  http.address = o.listen.substr(0, colon);
  if (http.address.size() > 2 && http.address.front() == '[' && http.address.back() == ']') {
    http.address = http.address.substr(1, http.address.size() - 2);
  }
  const std::string port = o.listen.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    print_usage_error(trf("--listen: '{}' is not a port (0 to 65535)", port));
    return k_exit_error;
  }
  http.port = static_cast<std::uint16_t>(std::stoul(port));
  http.threads = o.threads;
  http.body_limit = std::max(o.body_limit, o.alerts_body_limit);
  http.max_connections = o.max_connections;
  {
    const auto ms = service::duration_ms(o.request_timeout);
    if (!ms || *ms < 1000) {
      print_usage_error(
          trf("--request-timeout: '{}' is not a duration of a second or more "
              "(e.g. 30s)",
              o.request_timeout));
      return k_exit_error;
    }
    http.read_timeout = std::chrono::seconds(*ms / 1000);
  }
  // Descriptors kept for the rest of the process: the store's connections, one socket
  // per delivery in flight, files, the event loops.
  http.fd_reserve = 64 + 2 * o.threads + 2 * o.delivery_workers;

  service::Limits limits;
  limits.alerts_per_request = o.alerts_per_request;
  limits.alerts_per_minute = o.alerts_per_minute;
  limits.events_max = o.events_max;
  if (o.alerts_per_minute > 0 && static_cast<double>(o.alerts_per_request) > o.alerts_per_minute) {
    print_usage_error(
        trf("--alerts-per-request ({}) is more than --alerts-per-minute ({}): such "
            "a request could never be taken",
            o.alerts_per_request, o.alerts_per_minute));
    return k_exit_error;
  }
  {
    const auto ms = service::duration_ms(o.events_retention);
    if (!ms || *ms < 60000) {
      print_usage_error(
          trf("--events-retention: '{}' is not a duration of a minute or more "
              "(e.g. 30d, 72h)",
              o.events_retention));
      return k_exit_error;
    }
    limits.events_retention_ms = *ms;
  }
  notify::EgressPolicy egress;
  for (const auto& c : o.egress_allow) {
    const auto cidr = notify::parse_cidr(c);
    if (!cidr) {
      print_usage_error(
          trf("--egress-allow: '{}' is not an address range (e.g. 10.20.0.0/16, fd00::/8)", c));
      return k_exit_error;
    }
    egress.allow.push_back(*cidr);
  }
  egress.own = notify::EgressPolicy::interface_addresses();
  if (!o.egress_proxy.empty() && !o.egress_proxy.starts_with("http://") &&
      !o.egress_proxy.starts_with("https://")) {
    print_usage_error(tr("--egress-proxy is http://HOST:PORT or https://HOST:PORT"));
    return k_exit_error;
  }

  const auto where = store_location(o.store, data_given);
  if (!where) return k_exit_error;
  auto store = open_store(*where, o.threads + 1);
  if (!store) return k_exit_error;
  config::Config config;
  config.limits.max_bytes = std::min<std::size_t>(config.limits.max_bytes, o.body_limit);
  service::Service service(*store, config);
  service.set_limits(limits);
  // The server's own listening address is one of its own, whatever the interfaces say.
  if (const auto self = notify::parse_address(http.address)) egress.own.push_back(*self);
  service.set_egress(egress);
  try {
    if (const auto imported = service.import_builtin_if_empty(); !imported.empty())
      fmt::print("{}\n", imported);
    if (const auto token = service.first_admin_token()) {
      if (!hand_over_admin_token(*token, o, where->starts_with("sqlite:"))) return k_exit_error;
    }
  } catch (const store::Error& e) {
    print_usage_error(e.what());
    return k_exit_error;
  }

  server::ApiOptions api_options;
  api_options.rate_per_second = o.rate;
  api_options.rate_burst = std::max(1.0, o.rate * 2);
  api_options.openapi = std::string(embedded::find("openapi.json"));
  api_options.upload_limit = o.body_limit;
  api_options.alerts_body_limit = o.alerts_body_limit;
  // Each thread gathers the lines of the requests it answers in one turn of its ready
  // connections and writes them at the end of that turn: one write(2) for the lot, no
  // lock, nothing held back while the server is idle (docs/server.md, "Logs").
  api_options.log = [](const std::string& line) {
    thread_local LogBuffer buffer;
    const bool first = buffer.text.empty();
    buffer.text += line;
    buffer.text += '\n';
    if (first || buffer.text.size() > LogBuffer::k_flush_at) {
      if (buffer.text.size() > LogBuffer::k_flush_at) return buffer.flush();
      server::HttpServer::after_turn([b = &buffer] { b->flush(); });
    }
  };
  server::Api api(service, api_options);

  service::OutboxOptions outbox_options;
  std::int64_t ack_link_ttl_ms = 0;
  outbox_options.workers = o.delivery_workers;
  outbox_options.per_receiver = o.delivery_per_receiver;
  outbox_options.claim_ahead = o.delivery_claim_ahead;
  outbox_options.proxy = o.egress_proxy;
  for (const auto& [flag, text, field] :
       {std::tuple{"--delivery-timeout", &o.delivery_timeout, &outbox_options.timeout_ms},
        std::tuple{"--retry-initial", &o.retry_initial, &outbox_options.backoff_initial_ms},
        std::tuple{"--retry-max", &o.retry_max, &outbox_options.backoff_max_ms},
        std::tuple{"--retry-max-age", &o.retry_max_age, &outbox_options.max_age_ms},
        std::tuple{"--delivery-lease", &o.delivery_lease, &outbox_options.lease_ms},
        std::tuple{"--ack-link-ttl", &o.ack_link_ttl, &ack_link_ttl_ms}}) {
    const auto ms = service::duration_ms(*text);
    if (!ms || *ms < 1000) {
      print_usage_error(
          trf("{}: '{}' is not a duration of a second or more (e.g. 30s, 5m, 1h)", flag, *text));
      return k_exit_error;
    }
    *field = *ms;
  }
  service.set_ack_link_ttl(ack_link_ttl_ms);
  outbox_options.smtp_relay = o.smtp;
  outbox_options.smtp_from = o.smtp_from;
  if (!o.smtp.empty() && !o.smtp.starts_with("smtp://") && !o.smtp.starts_with("smtps://")) {
    print_usage_error(tr("--smtp is smtp://HOST:PORT or smtps://HOST:PORT"));
    return k_exit_error;
  }
  try {
    server::Handlers handlers;
    handlers.admit = [&api](server::Request& r) { return api.admit(r); };
    handlers.handle = [&api](server::Request& r) { return api.handle(r); };
    handlers.refused = [&api](const server::Request& r, int status) { api.refused(r, status); };
    // Every connection open and ready before the socket is bound, once the options are
    // known good (PostgreSQL; bounded, and never fatal: docs/operations.md, "Connections").
    store->warm_up();
    server::HttpServer srv(http, std::move(handlers));
    const std::string host =
        http.address.find(':') != std::string::npos ? "[" + http.address + "]" : http.address;
    outbox_options.public_url =
        o.public_url.empty() ? fmt::format("http://{}:{}", host, srv.port()) : o.public_url;
    while (outbox_options.public_url.ends_with('/')) outbox_options.public_url.pop_back();
    {
      service::IdentityConfig identity;
      if (auto problem = identity_config(o, identity)) {
        print_usage_error(*problem);
        return k_exit_error;
      }
      identity.public_url = outbox_options.public_url;
      service.set_identity(std::move(identity));
    }
    service::Outbox outbox(service, outbox_options);
    service.on_recorded([&outbox](std::int64_t due_ms) { outbox.wake(due_ms); });
    service.on_test_send([&outbox](const store::Claimed& c) { return outbox.attempt(c); });
    service.on_circuit(
        [&outbox](const std::string& t, const std::string& p, const store::Receiver& r) {
          return outbox.circuit_open_until(t, p, r);
        });
    outbox.start();
    fmt::print("racine: serving on http://{}:{}/ ({}; stop with Ctrl-C)\n", host, srv.port(),
               where->starts_with("sqlite:") ? where->substr(7) : "PostgreSQL");
    std::fflush(stdout);
    srv.run();
    store->finish_writes();  // answers still being committed, before the service goes
    service.on_recorded({});
    service.on_test_send({});
    service.on_circuit({});
  } catch (const std::runtime_error& e) {
    print_usage_error(e.what());
    return k_exit_error;
  }
  fmt::print("racine: stopped\n");
  return k_exit_ok;
}

// `racine serve --config FILE`: the options under their long names, in TOML (CLI11's
// reader), at the top or under [serve]; an option given on the command line keeps its
// value. An unknown key or a bad value is a usage error naming the file.
bool apply_config_file(CLI::App* app, const std::string& path, ServeOptions& o) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::Error& e) {
    print_error(Error{path, 0, 0, std::string("cannot read the configuration: ") + e.what()});
    return false;
  }
  for (const auto& item : items) {
    // [issuer.ID] (or [serve.issuer.ID]): a sign-in provider, read apart.
    std::vector<std::string> parents = item.parents;
    if (!parents.empty() && parents[0] == "serve") parents.erase(parents.begin());
    if (parents.size() == 2 && parents[0] == "issuer") {
      if (item.name != "++" && item.name != "--") o.issuers[parents[1]][item.name] = item.inputs;
      continue;
    }
    const bool ours =
        item.parents.empty() || (item.parents.size() == 1 && item.parents[0] == "serve");
    if (!ours || item.name == "++" || item.name == "--") continue;  // section markers
    CLI::Option* opt = app->get_option_no_throw("--" + item.name);
    if (opt == nullptr || item.name == "config") {
      print_error(
          Error{path, 0, 0, "unknown option '" + item.name + "' (racine serve --help lists them)"});
      return false;
    }
    if (opt->count() > 0) continue;  // the command line wins
    try {
      opt->add_result(item.inputs);
      opt->run_callback();
    } catch (const CLI::Error& e) {
      print_error(Error{path, 0, 0, item.name + ": " + e.what()});
      return false;
    }
  }
  return true;
}

struct TokenOptions {
  StoreOptions store;
  std::string role;
  std::string tenant;
  std::string name = "created offline";
};

int run_token_create(const TokenOptions& o, bool data_given) {
  const auto role = store::parse_role(o.role);
  if (!role) {
    print_usage_error(tr("--role must be admin, editor, viewer, tenant or ingest"));
    return k_exit_error;
  }
  const bool bound = *role == store::Role::tenant || *role == store::Role::ingest;
  if (bound == o.tenant.empty()) {
    print_usage_error(bound ? tr("a tenant or ingest token needs --tenant")
                            : tr("only tenant and ingest tokens take --tenant"));
    return k_exit_error;
  }
  const auto where = store_location(o.store, data_given);
  if (!where) return k_exit_error;
  auto store = open_store(*where, 1);
  if (!store) return k_exit_error;
  try {
    service::Service service(*store);
    const auto [info, token] = service.issue_token(
        store::Principal{"offline", store::Role::admin, std::nullopt, "offline"}, *role,
        o.tenant.empty() ? std::nullopt : std::optional(o.tenant), o.name);
    fmt::print("{}\n", token);
  } catch (const store::Error& e) {
    print_usage_error(e.what());
    return k_exit_error;
  }
  return k_exit_ok;
}

struct BackupOptions {
  StoreOptions store;
  std::string file;
};

// racine backup / racine restore (docs/server.md, "Backups"): the store's own copy,
// consistent while the server runs, into or from a SQLite file.
int run_backup(const BackupOptions& o, bool data_given, bool restore) {
  const auto where = store_location(o.store, data_given);
  if (!where) return k_exit_error;
  auto store = open_store(*where, 1);
  if (!store) return k_exit_error;
  try {
    const auto counts = restore ? store->restore(o.file) : store->backup(o.file);
    std::int64_t rows = 0;
    for (const auto& [table, n] : counts) rows += n;
    fmt::print(stderr, "{}\n",
               restore ? trf("racine: restored {} rows of {} tables from {}", rows, counts.size(),
                             printable(o.file))
                       : trf("racine: backed up {} rows of {} tables into {}", rows, counts.size(),
                             printable(o.file)));
  } catch (const store::Error& e) {
    print_usage_error(e.what());
    return k_exit_error;
  }
  return k_exit_ok;
}

}  // namespace

std::vector<Command> add_serve(CLI::App& root) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* app = root.add_subcommand(
      "serve", tr("Serve matrices, contracts and lookups over HTTP (docs/server.md)"));
  app->add_option("--listen", o->listen, tr("Address and port to listen on"))
      ->capture_default_str()
      ->option_text("ADDRESS:PORT");
  CLI::Option* data = add_store_options(app, o->store);
  app->add_option("--threads", o->threads, tr("Threads answering requests"))
      ->capture_default_str()
      ->check(CLI::Range(1, 256))
      ->option_text("N");
  app->add_option("--rate-limit", o->rate,
                  tr("Requests per second allowed per token (0: no limit)"))
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6))
      ->option_text("N");
  app->add_option("--max-body", o->body_limit, tr("Largest matrix uploaded, in bytes"))
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30U))
      ->option_text("BYTES");
  app->add_option("--max-alerts-body", o->alerts_body_limit,
                  tr("Largest Alertmanager payload, in bytes"))
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30U))
      ->option_text("BYTES");
  app->add_option("--max-connections", o->max_connections,
                  tr("Connections open at once (0: the descriptor limit less a reserve)"))
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20U))
      ->option_text("N");
  app->add_option("--session-idle", o->session_idle,
                  tr("A person's session unused this long ends (8h, 30m...)"))
      ->capture_default_str()
      ->option_text("DURATION");
  app->add_option("--session-lifetime", o->session_lifetime,
                  tr("A person's session ends this long after sign-in at the latest"))
      ->capture_default_str()
      ->option_text("DURATION");
  app->add_option("--request-timeout", o->request_timeout,
                  tr("Time allowed for a whole request, headers and body, to arrive"))
      ->capture_default_str()
      ->option_text("DURATION");
  app->add_option("--admin-token-file", o->admin_token_file,
                  tr("Where the first admin token is written when standard output is not a "
                     "terminal (default: DIR/admin-token, or ./racine-admin-token with "
                     "PostgreSQL)"))
      ->option_text("PATH");
  app->add_option("--alerts-per-request", o->alerts_per_request,
                  tr("Most alerts in one Alertmanager payload"))
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->option_text("N");
  app->add_option("--alerts-per-minute", o->alerts_per_minute,
                  tr("Alerts a tenant may send per minute, per instance (0: no quota)"))
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9))
      ->option_text("N");
  app->add_option("--events-retention", o->events_retention,
                  tr("How long events are kept (30d, 72h...)"))
      ->capture_default_str()
      ->option_text("DURATION");
  app->add_option("--events-max", o->events_max, tr("Most events kept per tenant"))
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40U))
      ->option_text("N");
  app->add_option("--egress-allow", o->egress_allow,
                  tr("An address range tenants' receivers may reach although it is private "
                     "(repeatable)"))
      ->option_text("CIDR");
  app->add_option("--egress-proxy", o->egress_proxy, tr("An HTTP proxy every webhook goes through"))
      ->option_text("URL");
  app->add_option("--config", o->config_file,
                  tr("A file of these options under their long names (TOML: egress-allow = "
                     "[\"10.20.0.0/16\"]); the command line wins"))
      ->option_text("FILE");

  app->add_option("--public-url", o->public_url,
                  tr("The server's address as receivers reach it, for acknowledgement links "
                     "(default: http://LISTEN)"))
      ->option_text("URL");
  app->add_option("--smtp", o->smtp, tr("SMTP relay for email receivers (smtp://HOST:PORT)"))
      ->option_text("URL");
  app->add_option("--smtp-from", o->smtp_from, tr("Sender address of alert emails"))
      ->capture_default_str()
      ->option_text("ADDRESS");
  app->add_option("--delivery-workers", o->delivery_workers,
                  tr("Alert deliveries sent at once (threads)"))
      ->capture_default_str()
      ->check(CLI::Range(1, 256))
      ->option_text("N");
  app->add_option("--delivery-per-receiver", o->delivery_per_receiver,
                  tr("Alert deliveries sent at once to one receiver"))
      ->capture_default_str()
      ->check(CLI::Range(1, 64))
      ->option_text("N");
  app->add_option("--delivery-claim-ahead", o->delivery_claim_ahead,
                  tr("Alert deliveries of one receiver claimed ahead of a free place"))
      ->capture_default_str()
      ->check(CLI::Range(0, 64))
      ->option_text("N");
  for (const auto& [flag, field, help] :
       {std::tuple{"--delivery-timeout", &o->delivery_timeout,
                   tr("Time allowed for one delivery attempt")},
        std::tuple{"--retry-initial", &o->retry_initial,
                   tr("Longest wait before the first retry of a failed delivery (doubling "
                      "after)")},
        std::tuple{"--retry-max", &o->retry_max, tr("Longest wait between two retries")},
        std::tuple{"--retry-max-age", &o->retry_max_age,
                   tr("Age after which a delivery that still fails is dead-lettered")},
        std::tuple{"--delivery-lease", &o->delivery_lease,
                   tr("How long a claimed delivery is reserved for the instance sending it")},
        std::tuple{"--ack-link-ttl", &o->ack_link_ttl,
                   tr("How long the acknowledgement link of a page stays valid")}}) {
    app->add_option(flag, *field, std::string(help) + tr(" (30s, 5m, 1h...)"))
        ->capture_default_str()
        ->option_text("DURATION");
  }
  document(
      app,
      {{tr("Serve on the default address with a SQLite store in racine-data/"), "racine serve"},
       {tr("Several instances sharing one PostgreSQL database"),
        "RACINE_DATABASE_URL=postgresql://racine@db/racine racine serve --listen "
        "0.0.0.0:8080"},
       {tr("Alert emails through a relay"),
        "racine serve --smtp smtp://mail.example.net:25 --smtp-from alerts@example.net"}},
      {tr("0: stopped by SIGINT or SIGTERM"),
       tr("2: usage error, or a store or address that cannot be used")});

  auto t = std::make_shared<TokenOptions>();
  CLI::App* token =
      root.add_subcommand("token", tr("Manage API tokens offline, on the server's store"));
  token->require_subcommand(1);
  CLI::App* create =
      token->add_subcommand("create", tr("Create a token and print it (it is shown only once)"));
  create->add_option("--role", t->role, tr("What the token may do (docs/server.md)"))
      ->required()
      ->check(CLI::IsMember({"admin", "editor", "viewer", "tenant", "ingest"}))
      ->option_text("ROLE");
  create->add_option("--tenant", t->tenant, tr("The tenant of a tenant or ingest token"))
      ->option_text("TENANT");
  create->add_option("--name", t->name, tr("What the token is for"))
      ->capture_default_str()
      ->option_text("NAME");
  CLI::Option* tdata = add_store_options(create, t->store);
  document(create,
           {{tr("The first administrator token of a new store"),
             "racine token create --role admin --name ops"},
            {tr("A token Alertmanager posts alerts with, for one tenant"),
             "racine token create --role ingest --tenant acme --name alertmanager"}},
           {tr("0: the token is printed"), tr("2: usage error, or a store that cannot be opened")});

  auto b = std::make_shared<BackupOptions>();
  CLI::App* backup = root.add_subcommand(
      "backup", tr("Copy the server's store into a file, consistent while it serves"));
  CLI::Option* bdata = add_store_options(backup, b->store);
  backup->add_option("file", b->file, tr("The backup file to write (a new SQLite file)"))
      ->required()
      ->option_text("FILE");
  document(backup,
           {{tr("The SQLite store of a running server"),
             "racine backup --data racine-data racine-2026-12-06.db"},
            {tr("A PostgreSQL store, from one snapshot"),
             "racine backup --database postgresql://racine@db/racine racine.db"}},
           {tr("0: the file holds the store"),
            tr("2: usage error, a store that cannot be read, or a file that exists")});
  auto r = std::make_shared<BackupOptions>();
  CLI::App* restore = root.add_subcommand("restore", tr("Fill an empty store from a backup file"));
  CLI::Option* rdata = add_store_options(restore, r->store);
  restore->add_option("file", r->file, tr("The backup file to read"))
      ->required()
      ->option_text("FILE");
  document(restore,
           {{tr("Into a new SQLite store"), "racine restore --data racine-data racine.db"},
            {tr("Into an empty PostgreSQL database"),
             "racine restore --database postgresql://racine@db/racine racine.db"}},
           {tr("0: the store holds the backup's data"),
            tr("2: usage error, a file that is not a racine backup, or a store that holds "
               "data")});
  return {{app,
           [o, data, app] {
             if (!o->config_file.empty() && !apply_config_file(app, o->config_file, *o))
               return k_exit_error;
             return run_serve(*o, data->count() > 0);
           }},
          {create, [t, tdata] { return run_token_create(*t, tdata->count() > 0); }},
          {backup, [b, bdata] { return run_backup(*b, bdata->count() > 0, false); }},
          {restore, [r, rdata] { return run_backup(*r, rdata->count() > 0, true); }}};
}

}  // namespace racine::cli
