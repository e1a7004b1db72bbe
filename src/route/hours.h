#pragma once
// Working hours and on-call rules of a party (docs/routing.md, "Working hours"): when a
// party is at work in its time zone (weekly hours, holidays from a list or an iCalendar
// file), and per alert severity whether it is paged outside those hours, how long before
// an escalation (counted in working or wall time), and how often a page repeats while
// nobody acknowledges. Times are Unix milliseconds; the clock is always given, never read,
// so that a test fixes it. Time zones are ICU's (the IANA names), holidays' recurrence is
// libical's.

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace racine::route {

// What to do for one severity.
struct SeverityRule {
  bool page_outside_hours = true;              // false: wait for the hours
  std::optional<std::int64_t> escalate_after;  // ms; nullopt: the contract's
  bool escalate_in_working_time = false;       // count the delay in working time only
};

struct OnCall {
  std::string timezone = "UTC";
  // Minutes from local midnight, [start, end) per weekday, Monday first; `always`: no
  // hours were given (every minute is working time).
  std::array<std::vector<std::pair<int, int>>, 7> week{};
  bool always = true;
  std::set<std::string> holidays;                  // local dates, "YYYY-MM-DD"
  std::map<std::string, SeverityRule> severities;  // by severity, and "default"
  std::optional<std::int64_t> repeat_after;        // ms

  // The rule for an alert's severity (lower-cased), else "default", else paging always.
  [[nodiscard]] SeverityRule rule_for(const std::string& severity) const;
};

// Reads a party's rules (docs/routing.md shows the shape); `now_ms` bounds the holidays an
// iCalendar's recurrences give (a year before to three after). `error` says what is
// wrong and where ("hours.mon[0]: ..."), and nothing is returned then.
std::optional<OnCall> parse_oncall(const nlohmann::json& j, std::int64_t now_ms,
                                   std::string& error);

// True when `ms` falls in the party's working hours (never on a holiday).
bool in_hours(const OnCall& c, std::int64_t ms);
// `ms` itself inside the hours, else the start of the next working period (searched a
// year ahead; none: `ms`, so that nothing waits for ever).
std::int64_t next_working(const OnCall& c, std::int64_t ms);
// `ms` plus `duration` counted in working time only.
std::int64_t add_working(const OnCall& c, std::int64_t ms, std::int64_t duration);

// When a delivery to this party is due, given the alert's severity: `now` in hours or
// when the rule pages outside them, else the next working start.
std::int64_t due_for(const OnCall& c, const std::string& severity, std::int64_t now);

// When each delivery of an alert is due (docs/routing.md, "Working hours"), given the
// parties' rules (by party id; a party without rules is paged at once), the alert's
// severity, the contract's escalation delay and `now`. The server records these; `racine
// route test --at` prints them.
struct Scheduled {
  std::size_t party = 0;  // index into the matrix's parties
  char role = 'R';
  int kind = 0;  // route::Kind, as its number (route/route.h)
  std::int64_t due_ms = 0;
  std::string held;            // "hours:<party>" when it waits for working hours
  std::int64_t repeat_ms = 0;  // a firing repeated until acknowledged
};

// What one batch of alerts (one `now`) works out once: next working starts, working-time
// sums.
struct ScheduleCache {
  std::map<std::string, std::int64_t> next_start;
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> after;
};

}  // namespace racine::route
