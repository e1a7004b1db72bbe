#include "route/hours.h"

#include <libical/ical.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <memory>

#include "route/route.h"

namespace racine::route {

using nlohmann::json;

namespace {

constexpr std::array<const char*, 7> k_days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::int64_t k_day_ms = 86400LL * 1000;
constexpr int k_search_days = 370;

// A duration "15m", "2h", "1d", "90s" in ms.
std::optional<std::int64_t> duration(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  if (s.size() < 2 || s.size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  switch (s.back()) {
    case 's': return n * 1000;
    case 'm': return n * 60000;
    case 'h': return n * 3600000;
    case 'd': return n * k_day_ms;
    default: return std::nullopt;
  }
}

// "09:00-18:00" (end "24:00" allowed) in minutes.
bool digits_at(const std::string& s, std::initializer_list<std::size_t> at) {
  return std::all_of(at.begin(), at.end(),
                     [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; });
}

std::optional<std::pair<int, int>> range(const std::string& s) {
  if (s.size() != 11 || s[2] != ':' || s[5] != '-' || s[8] != ':' ||
      !digits_at(s, {0, 1, 3, 4, 6, 7, 9, 10}))
    return std::nullopt;
  const auto two = [&](std::size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); };
  const int h1 = two(0), m1 = two(3), h2 = two(6), m2 = two(9);
  const int a = h1 * 60 + m1, b = h2 * 60 + m2;
  if (h1 > 23 || m1 > 59 || m2 > 59 || b > 1440 || a >= b) return std::nullopt;
  return std::make_pair(a, b);
}

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits_at(s, {0, 1, 2, 3, 5, 6, 8, 9}))
    return false;
  const int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

std::string date_text(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// The all-day dates of an iCalendar's events (a VEVENT on a date, or a date-time's day),
// each day of a multi-day one, recurrences expanded between the two years.
std::optional<std::string> ical_dates(const std::string& text, int from_year, int to_year,
                                      std::set<std::string>& out) {
  if (text.size() > 256 * 1024) return "holidays_ical: at most 256 KiB";
  std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> root(
      icalcomponent_new_from_string(text.c_str()), icalcomponent_free);
  if (!root) return "holidays_ical: not an iCalendar document";
  icalcomponent* cal = root.get();
  std::vector<icalcomponent*> events;
  if (icalcomponent_isa(cal) == ICAL_VEVENT_COMPONENT) events.push_back(cal);
  for (icalcomponent* e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
       e != nullptr; e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
    events.push_back(e);
  if (events.empty()) return "holidays_ical: no VEVENT";
  if (events.size() > 500) return "holidays_ical: at most 500 events";
  const auto add = [&](icaltimetype start, int days) {
    for (int i = 0; i < std::max(days, 1) && out.size() < 5000; ++i) {
      icaltimetype t = start;
      icaltime_adjust(&t, i, 0, 0, 0);
      out.insert(date_text(t.year, t.month, t.day));
    }
  };
  for (icalcomponent* e : events) {
    const icaltimetype start = icalcomponent_get_dtstart(e);
    if (icaltime_is_null_time(start)) continue;
    const icaltimetype end = icalcomponent_get_dtend(e);
    int days = 1;
    if (!icaltime_is_null_time(end) && start.is_date != 0) {
      days = static_cast<int>((icaltime_as_timet(end) - icaltime_as_timet(start)) / 86400);
      days = std::clamp(days, 1, 31);
    }
    icalproperty* rrule = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY);
    if (rrule == nullptr) {
      add(start, days);
      continue;
    }
    // Days off recur yearly, monthly or weekly (daily only for a bounded run): a rule that
    // steps by the hour or less, or daily for ever, could keep libical searching for
    // centuries for a date that never comes (BYMONTHDAY=30 in February).
    const icalrecurrencetype rule = icalproperty_get_rrule(rrule);
    if (rule.freq != ICAL_YEARLY_RECURRENCE && rule.freq != ICAL_MONTHLY_RECURRENCE &&
        rule.freq != ICAL_WEEKLY_RECURRENCE && rule.freq != ICAL_DAILY_RECURRENCE)
      return "holidays_ical: a recurrence is yearly, monthly, weekly or daily";
    if (rule.freq == ICAL_DAILY_RECURRENCE && (rule.count <= 0 || rule.count > 366))
      return "holidays_ical: a daily recurrence needs a COUNT of at most 366";
    if (start.year < 1900) return "holidays_ical: a start before 1900";
    icalrecur_iterator* it = icalrecur_iterator_new(rule, start);
    if (it == nullptr) return "holidays_ical: a recurrence rule libical cannot follow";
    int n = 0;
    for (icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t) && n < 2000;
         t = icalrecur_iterator_next(it), ++n) {
      if (t.year > to_year) break;
      if (t.year >= from_year) add(t, days);
    }
    icalrecur_iterator_free(it);
  }
  return std::nullopt;
}

// Local calendar arithmetic in the party's time zone.
class Local {
 public:
  explicit Local(const std::string& tz) {
    UErrorCode status = U_ZERO_ERROR;
    m_cal = std::make_unique<icu::GregorianCalendar>(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(tz)), status);
    if (U_FAILURE(status)) m_cal.reset();
  }
  [[nodiscard]] bool ok() const { return m_cal != nullptr; }
  // The local date of `ms`: year, month (1-12), day, weekday (0 = Monday).
  std::array<int, 4> date(std::int64_t ms) {
    UErrorCode status = U_ZERO_ERROR;
    m_cal->setTime(static_cast<UDate>(ms), status);
    const int dow = m_cal->get(UCAL_DAY_OF_WEEK, status);  // 1 = Sunday
    return {m_cal->get(UCAL_YEAR, status), m_cal->get(UCAL_MONTH, status) + 1,
            m_cal->get(UCAL_DATE, status), (dow + 5) % 7};
  }
  // The instant of a local date plus `minutes` (1440: the next day's midnight).
  std::int64_t at(int y, int m, int d, int minutes) {
    UErrorCode status = U_ZERO_ERROR;
    m_cal->clear();
    if (minutes >= 1440) {
      m_cal->set(y, m - 1, d, 0, 0, 0);
      m_cal->add(UCAL_DATE, 1, status);  // the next day's midnight, in wall time
    } else {
      m_cal->set(y, m - 1, d, minutes / 60, minutes % 60, 0);
    }
    return static_cast<std::int64_t>(m_cal->getTime(status));
  }

 private:
  std::unique_ptr<icu::GregorianCalendar> m_cal;
};

// Walks the working periods from `ms` on: fn(start, end) for each period that ends after
// `ms` (its start clipped to `ms`), until fn returns true or a year has passed.
template <typename Fn>
bool walk(const OnCall& c, std::int64_t ms, Fn fn) {
  Local local(c.timezone);
  if (!local.ok()) return false;
  const auto first = local.date(ms);
  // Noon of the first local day, stepped a day at a time (noon: clear of DST changes).
  const std::int64_t noon = local.at(first[0], first[1], first[2], 720);
  for (int i = 0; i < k_search_days; ++i) {
    const auto d = local.date(noon + i * k_day_ms);
    if (c.holidays.count(date_text(d[0], d[1], d[2])) != 0U) continue;
    for (const auto& [a, b] : c.week[static_cast<std::size_t>(d[3])]) {
      const std::int64_t start = local.at(d[0], d[1], d[2], a);
      const std::int64_t end = local.at(d[0], d[1], d[2], b);
      if (end <= ms) continue;
      if (fn(std::max(start, ms), end)) return true;
    }
  }
  return false;
}

}  // namespace

SeverityRule OnCall::rule_for(const std::string& severity) const {
  std::string key = severity;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (auto it = severities.find(key); it != severities.end()) return it->second;
  if (auto it = severities.find("default"); it != severities.end()) return it->second;
  return {};
}

std::optional<OnCall> parse_oncall(const json& j, std::int64_t now_ms, std::string& error) {
  OnCall c;
  if (!j.is_object()) {
    error = "the rules are a JSON object (docs/routing.md, \"Working hours\")";
    return std::nullopt;
  }
  for (const auto& [k, v] : j.items()) {
    if (k != "timezone" && k != "hours" && k != "holidays" && k != "holidays_ical" &&
        k != "severities" && k != "repeat_after") {
      error = "unknown key '" + k.substr(0, 64) +
              "' (timezone, hours, holidays, holidays_ical, severities, repeat_after)";
      return std::nullopt;
    }
  }
  if (j.contains("timezone")) {
    if (!j["timezone"].is_string() || j["timezone"].get<std::string>().size() > 64) {
      error = "timezone: an IANA time zone name (Europe/Paris)";
      return std::nullopt;
    }
    c.timezone = j["timezone"].get<std::string>();
    std::unique_ptr<icu::TimeZone> tz(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(c.timezone)));
    icu::UnicodeString id;
    tz->getID(id);
    if (id == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID)) {
      error =
          "timezone: '" + c.timezone + "' is not a time zone (Europe/Paris, America/Montreal...)";
      return std::nullopt;
    }
  }
  if (j.contains("hours")) {
    const auto& h = j["hours"];
    if (!h.is_object()) {
      error = "hours: an object of weekdays (mon...sun) to ranges [\"09:00-18:00\"]";
      return std::nullopt;
    }
    c.always = false;
    for (const auto& [day, ranges] : h.items()) {
      const auto at = std::find(k_days.begin(), k_days.end(), day);
      if (at == k_days.end()) {
        error = "hours: '" + day.substr(0, 16) + "' is not mon, tue, wed, thu, fri, sat or sun";
        return std::nullopt;
      }
      const auto idx = static_cast<std::size_t>(at - k_days.begin());
      const json list = ranges.is_string() ? json::array({ranges}) : ranges;
      if (!list.is_array() || list.size() > 8) {
        error = "hours." + day + ": a range \"09:00-18:00\" or a list of at most 8";
        return std::nullopt;
      }
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto r = list[i].is_string() ? range(list[i].get<std::string>()) : std::nullopt;
        if (!r) {
          error = "hours." + day + "[" + std::to_string(i) +
                  "]: a range HH:MM-HH:MM within the day (\"09:00-18:00\", \"22:00-24:00\")";
          return std::nullopt;
        }
        c.week[idx].push_back(*r);
      }
      std::sort(c.week[idx].begin(), c.week[idx].end());
    }
  }
  if (j.contains("holidays")) {
    const auto& h = j["holidays"];
    if (!h.is_array() || h.size() > 1000) {
      error = "holidays: a list of at most 1000 dates (\"2026-12-25\")";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < h.size(); ++i) {
      if (!h[i].is_string() || !is_date(h[i].get<std::string>())) {
        error = "holidays[" + std::to_string(i) + "]: a date YYYY-MM-DD";
        return std::nullopt;
      }
      c.holidays.insert(h[i].get<std::string>());
    }
  }
  if (j.contains("holidays_ical")) {
    if (!j["holidays_ical"].is_string()) {
      error = "holidays_ical: an iCalendar document (text)";
      return std::nullopt;
    }
    const int year = 1970 + static_cast<int>(now_ms / (k_day_ms * 365 + k_day_ms / 4));
    if (auto e =
            ical_dates(j["holidays_ical"].get<std::string>(), year - 1, year + 3, c.holidays)) {
      error = *e;
      return std::nullopt;
    }
  }
  if (j.contains("severities")) {
    const auto& s = j["severities"];
    if (!s.is_object() || s.size() > 20) {
      error = "severities: an object of severities (critical, warning..., default) to rules";
      return std::nullopt;
    }
    for (const auto& [name, rule] : s.items()) {
      const std::string where = "severities." + name.substr(0, 32);
      if (!rule.is_object()) {
        error = where + ": {\"outside_hours\": \"page\"|\"wait\", \"escalate_after\"?, \"count\"?}";
        return std::nullopt;
      }
      SeverityRule r;
      for (const auto& [k, v] : rule.items()) {
        if (k == "outside_hours" && (v == "page" || v == "wait")) {
          r.page_outside_hours = v == "page";
        } else if (k == "escalate_after" && duration(v) && *duration(v) >= 60000 &&
                   *duration(v) <= 7 * k_day_ms) {
          r.escalate_after = duration(v);
        } else if (k == "count" && (v == "wall" || v == "working")) {
          r.escalate_in_working_time = v == "working";
        } else {
          error =
              where + "." + k.substr(0, 32) +
              ": outside_hours is \"page\" or \"wait\", escalate_after a duration from 1m to 7d "
              "(15m, 2h), "
              "count \"wall\" or \"working\"";
          return std::nullopt;
        }
      }
      std::string key = name;
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      c.severities[key] = r;
    }
  }
  if (j.contains("repeat_after")) {
    const auto d = duration(j["repeat_after"]);
    if (!d || *d < 60000) {
      error = "repeat_after: a duration of a minute or more (30m, 1h)";
      return std::nullopt;
    }
    c.repeat_after = d;
  }
  return c;
}

std::int64_t next_working(const OnCall& c, std::int64_t ms) {
  if (c.always) return ms;
  std::int64_t out = ms;
  walk(c, ms, [&](std::int64_t start, std::int64_t) {
    out = start;
    return true;
  });
  return out;
}

bool in_hours(const OnCall& c, std::int64_t ms) {
  if (c.always) return true;
  bool inside = false;
  walk(c, ms, [&](std::int64_t start, std::int64_t) {
    inside = start == ms;
    return true;
  });
  return inside;
}

std::int64_t add_working(const OnCall& c, std::int64_t ms, std::int64_t duration) {
  if (c.always || duration <= 0) return ms + std::max<std::int64_t>(duration, 0);
  std::int64_t left = duration;
  std::int64_t out = ms + duration;
  walk(c, ms, [&](std::int64_t start, std::int64_t end) {
    if (start + left <= end) {
      out = start + left;
      return true;
    }
    left -= end - start;
    return false;
  });
  return out;
}

std::int64_t due_for(const OnCall& c, const std::string& severity, std::int64_t now) {
  return c.rule_for(severity).page_outside_hours ? now : next_working(c, now);
}

std::optional<std::map<std::string, OnCall>> parse_oncall_by_party(const json& j, const Matrix& m,
                                                                   std::int64_t now_ms,
                                                                   std::string& error) {
  if (!j.is_object()) {
    error = "a JSON object of party ids to on-call rules";
    return std::nullopt;
  }
  std::map<std::string, OnCall> out;
  for (const auto& item : j.items()) {
    const std::string id = item.key();
    const auto& rules = item.value();
    if (std::none_of(m.parties.begin(), m.parties.end(),
                     [&](const Party& p) { return p.id == id; })) {
      error = "no party '" + id.substr(0, 64) + "' in this matrix";
      return std::nullopt;
    }
    std::string why;
    auto c = parse_oncall(rules, now_ms, why);
    if (!c) {
      error = "party '" + id + "': " + why;
      return std::nullopt;
    }
    out.emplace(id, std::move(*c));
  }
  return out;
}

std::vector<Scheduled> schedule(const Plan& p, const Matrix& m,
                                const std::map<std::string, const OnCall*>& rules,
                                const std::string& severity, std::int64_t now,
                                std::int64_t escalate_ms, ScheduleCache& cache) {
  const auto rules_of = [&](std::size_t party) -> const OnCall* {
    const auto it = rules.find(m.parties.at(party).id);
    return it == rules.end() ? nullptr : it->second;
  };
  const auto working_from = [&](const std::string& party, const OnCall& c) {
    auto it = cache.next_start.find(party);
    if (it == cache.next_start.end())
      it = cache.next_start.emplace(party, next_working(c, now)).first;
    return it->second;
  };
  const auto working_after = [&](const std::string& party, const OnCall& c, std::int64_t delay) {
    auto it = cache.after.find({party, delay});
    if (it == cache.after.end())
      it = cache.after.emplace(std::make_pair(party, delay), add_working(c, now, delay)).first;
    return it->second;
  };
  std::vector<Scheduled> out;
  // A page to a party outside its working hours waits for them, when its rule for the
  // alert's severity says so.
  const auto add = [&](const Recipient& r, Kind k, std::int64_t due, std::string held) {
    Scheduled d{r.party, r.role, static_cast<int>(k), due, std::move(held), 0};
    const std::string& id = m.parties.at(r.party).id;
    if (const auto* hours = rules_of(r.party)) {
      const std::int64_t at = hours->rule_for(severity).page_outside_hours ? due
                              : due == now ? working_from(id, *hours)
                                           : next_working(*hours, due);
      if (at > due) {
        d.due_ms = at;
        d.held = "hours:" + id;
      }
      if (k == Kind::firing && hours->repeat_after) d.repeat_ms = *hours->repeat_after;
    }
    out.push_back(std::move(d));
  };
  for (const auto& r : p.responsible) add(r, Kind::firing, now, "");
  for (const auto& r : p.informed) add(r, Kind::informed, now, "");
  // The escalation's delay: the contract's; a party's own rule for the severity only when
  // it escalates to itself (Responsible and Accountable). One side's rules never move
  // when the other side is paged.
  for (const auto& a : p.accountable) {
    std::int64_t at = now + escalate_ms;
    std::string why;
    for (const auto& r : p.responsible) {
      if (r.party != a.party) continue;
      if (const auto* hours = rules_of(r.party)) {
        const auto rule = hours->rule_for(severity);
        const std::int64_t delay = rule.escalate_after.value_or(escalate_ms);
        const std::string& id = m.parties.at(r.party).id;
        at = rule.escalate_in_working_time ? working_after(id, *hours, delay) : now + delay;
        if (at > now + delay) why = "hours:" + id;
      }
      break;
    }
    add(a, Kind::escalation, at, why);
    if (out.back().held.empty()) out.back().held = why;
  }
  return out;
}

}  // namespace racine::route
