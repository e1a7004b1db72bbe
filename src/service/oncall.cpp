// On-call rules of a contract (docs/routing.md, "Maintenance windows"): the windows in
// which a contract's alerts are recorded and shown but not paged. The HTTP routes are
// server/api.cpp's; the store holds the windows and the deliveries they hold.

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "service/service.h"

namespace racine::service {

using nlohmann::json;
using nlohmann::ordered_json;
using store::Principal;

namespace {

constexpr std::int64_t k_max_window_ms = 31LL * 86400 * 1000;

ordered_json window_json(const store::Maintenance& m, std::int64_t now) {
  return {{"id", m.id},
          {"starts", store::rfc3339_of_ms(m.starts_ms)},
          {"ends", store::rfc3339_of_ms(m.ends_ms)},
          {"reason", m.reason},
          {"by", m.by},
          {"created", m.created},
          {"active", m.starts_ms <= now && now < m.ends_ms}};
}

}  // namespace

std::optional<Reply> Service::may_set_oncall(const Principal& who, const std::string& tenant,
                                             const std::string& contract) {
  if (!m_store.get_contract(who, tenant, contract))
    return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant (or the provider's editors) may set "
                        "maintenance windows");
  return std::nullopt;
}

Reply Service::create_maintenance(const Principal& who, const std::string& tenant,
                                  const std::string& contract, const json& body) {
  if (auto denied = may_set_oncall(who, tenant, contract)) return *denied;
  const char* shape =
      "the body is {\"starts\"?: \"2026-12-06T22:00:00Z\" (default: now), \"ends\": "
      "\"2026-12-07T02:00:00Z\", \"reason\": \"...\"}";
  if (!body.is_object() || !body.contains("ends") || !body["ends"].is_string() ||
      !body.contains("reason") || !body["reason"].is_string())
    return Reply::error(Status::bad_request, "bad_request", shape);
  for (const auto& [key, v] : body.items()) {
    if (key != "starts" && key != "ends" && key != "reason")
      return Reply::error(Status::bad_request, "bad_request",
                          "unknown key '" + key.substr(0, 64) + "': " + shape);
  }
  const std::int64_t now = store::now_ms();
  store::Maintenance m;
  m.tenant = tenant;
  m.contract = contract;
  m.starts_ms = now;
  if (body.contains("starts")) {
    const auto starts = body["starts"].is_string()
                            ? ms_of_rfc3339(body["starts"].get<std::string>())
                            : std::nullopt;
    if (!starts)
      return Reply::error(Status::bad_request, "bad_time",
                          "starts must be a time (RFC 3339, such as 2026-12-06T22:00:00Z)");
    m.starts_ms = std::max(*starts, now);
  }
  const auto ends = ms_of_rfc3339(body["ends"].get<std::string>());
  if (!ends)
    return Reply::error(Status::bad_request, "bad_time",
                        "ends must be a time (RFC 3339, such as 2026-12-07T02:00:00Z)");
  m.ends_ms = *ends;
  if (m.ends_ms <= m.starts_ms)
    return Reply::error(Status::bad_request, "bad_time",
                        "ends must come after starts (and after now)");
  if (m.ends_ms - m.starts_ms > k_max_window_ms)
    return Reply::error(Status::bad_request, "bad_time",
                        "a maintenance window lasts at most 31 days");
  m.reason = body["reason"].get<std::string>();
  if (m.reason.empty() || m.reason.size() > 300 || text::find_invalid_utf8(m.reason))
    return Reply::error(Status::bad_request, "bad_request",
                        "reason is a text of 1 to 300 bytes (UTF-8)");
  if (m_store.list_maintenance(tenant, contract, now).size() >= 100)
    return Reply::error(Status::too_many, "too_many",
                        "the contract has 100 windows to come: end some first");
  return Reply::json(window_json(m_store.create_maintenance(who, m), now), Status::created);
}

Reply Service::list_maintenance(const Principal& who, const std::string& tenant,
                                const std::string& contract) {
  if (!m_store.get_contract(who, tenant, contract))
    return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  const std::int64_t now = store::now_ms();
  // Those to come, under way, and ended in the last 30 days.
  ordered_json out = ordered_json::array();
  for (const auto& m : m_store.list_maintenance(tenant, contract, now - 30LL * 86400 * 1000))
    out.push_back(window_json(m, now));
  return Reply::json(out);
}

Reply Service::end_maintenance(const Principal& who, const std::string& tenant,
                               const std::string& contract, const std::string& id) {
  if (auto denied = may_set_oncall(who, tenant, contract)) return *denied;
  if (!m_store.end_maintenance(who, tenant, contract, id, store::now_ms()))
    return Reply::error(Status::not_found, "not_found",
                        "no maintenance window '" + id.substr(0, 64) + "' to come or under way");
  if (m_on_recorded) m_on_recorded();  // what it held may be due now
  return Reply::json({{"ended", id}});
}

}  // namespace racine::service
