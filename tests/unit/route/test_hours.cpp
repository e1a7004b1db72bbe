// Working hours with a fixed clock (route/hours.h): a page at 03:00 on a Sunday for a
// party that pages only in hours waits until Monday 09:00 in its time zone, a critical
// one does not; holidays from a list and from an iCalendar's yearly recurrence; a change
// to summer time; delays counted in working time; what a wrong rule says.
#include <gtest/gtest.h>

#include "route/hours.h"
#include "service/service.h"

namespace racine::route {
namespace {

using nlohmann::json;

std::int64_t at(const char* rfc3339) {
  return *service::ms_of_rfc3339(rfc3339);
}

OnCall rules(json j) {
  std::string error;
  auto c = parse_oncall(j, at("2026-12-06T00:00:00Z"), error);
  EXPECT_TRUE(c) << error;
  return c.value_or(OnCall{});
}

const json k_office = {
    {"timezone", "Europe/Paris"},
    {"hours",
     {{"mon", "09:00-18:00"},
      {"tue", "09:00-18:00"},
      {"wed", "09:00-18:00"},
      {"thu", "09:00-18:00"},
      {"fri", "09:00-18:00"}}},
    {"severities",
     {{"critical", {{"outside_hours", "page"}, {"escalate_after", "15m"}}},
      {"default", {{"outside_hours", "wait"}, {"escalate_after", "1h"}, {"count", "working"}}}}}};

TEST(Hours, ASundayNightPageWaitsForMondayMorningUnlessCritical) {
  const OnCall c = rules(k_office);
  const std::int64_t sunday_3am = at("2026-12-06T03:00:00+01:00");
  EXPECT_FALSE(in_hours(c, sunday_3am));
  EXPECT_EQ(due_for(c, "warning", sunday_3am), at("2026-12-07T09:00:00+01:00"));
  EXPECT_EQ(due_for(c, "critical", sunday_3am), sunday_3am);
  // Inside the hours: at once, whatever the severity.
  const std::int64_t monday_10am = at("2026-12-07T10:00:00+01:00");
  EXPECT_TRUE(in_hours(c, monday_10am));
  EXPECT_EQ(due_for(c, "warning", monday_10am), monday_10am);
  // 18:00 is already outside; 09:00 is inside.
  EXPECT_FALSE(in_hours(c, at("2026-12-07T18:00:00+01:00")));
  EXPECT_TRUE(in_hours(c, at("2026-12-07T09:00:00+01:00")));
}

TEST(Hours, HolidaysFromAListAndFromAYearlyICalendarEvent) {
  json j = k_office;
  j["holidays"] = {"2026-12-07"};
  j["holidays_ical"] =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:noel\r\n"
      "DTSTART;VALUE=DATE:20201225\r\nDTEND;VALUE=DATE:20201226\r\nRRULE:FREQ=YEARLY\r\n"
      "SUMMARY:Noël\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  const OnCall c = rules(j);
  EXPECT_EQ(c.holidays.count("2026-12-25"), 1U);
  EXPECT_EQ(c.holidays.count("2027-12-25"), 1U);
  // Monday the 7th is a holiday: Tuesday morning.
  EXPECT_EQ(next_working(c, at("2026-12-06T03:00:00+01:00")), at("2026-12-08T09:00:00+01:00"));
  // Christmas is a Friday in 2026: from Thursday evening to Monday the 28th.
  EXPECT_EQ(next_working(c, at("2026-12-24T18:30:00+01:00")), at("2026-12-28T09:00:00+01:00"));
}

TEST(Hours, SummerTimeMovesTheHoursInUtc) {
  const OnCall c = rules(k_office);
  // Paris changes to UTC+2 on Sunday 28 March 2027: Monday 09:00 is 07:00 UTC.
  EXPECT_EQ(next_working(c, at("2027-03-27T12:00:00Z")), at("2027-03-29T07:00:00Z"));
  EXPECT_EQ(next_working(c, at("2027-03-26T17:00:00Z")), at("2027-03-29T07:00:00Z"));
}

TEST(Hours, DelaysCountedInWorkingTime) {
  const OnCall c = rules(k_office);
  // Friday 17:30 plus one working hour: Monday 09:30.
  EXPECT_EQ(add_working(c, at("2026-12-11T17:30:00+01:00"), 3600000),
            at("2026-12-14T09:30:00+01:00"));
  // From outside the hours, the count starts at the next start.
  EXPECT_EQ(add_working(c, at("2026-12-06T03:00:00+01:00"), 15 * 60000),
            at("2026-12-07T09:15:00+01:00"));
  EXPECT_EQ(c.rule_for("warning").escalate_in_working_time, true);
  EXPECT_EQ(c.rule_for("CRITICAL").page_outside_hours, true) << "severities in any case";
  EXPECT_EQ(c.rule_for("p3").page_outside_hours, false) << "unknown: the default";
  // No hours given: every minute works.
  const OnCall always = rules({{"timezone", "Asia/Tokyo"}});
  EXPECT_EQ(add_working(always, 1000, 5000), 6000);
  EXPECT_TRUE(in_hours(always, at("2026-12-06T03:00:00+09:00")));
}

TEST(Hours, ANightShiftAcrossMidnightIsTwoRanges) {
  const OnCall c =
      rules({{"timezone", "America/Montreal"},
             {"hours", {{"mon", {"00:00-06:00", "22:00-24:00"}}, {"sun", "22:00-24:00"}}}});
  EXPECT_TRUE(in_hours(c, at("2026-12-06T23:00:00-05:00")));  // Sunday 23:00
  EXPECT_TRUE(in_hours(c, at("2026-12-07T05:59:00-05:00")));  // Monday 05:59
  EXPECT_FALSE(in_hours(c, at("2026-12-07T06:00:00-05:00")));
  EXPECT_EQ(next_working(c, at("2026-12-07T12:00:00-05:00")), at("2026-12-07T22:00:00-05:00"));
}

TEST(Hours, WrongRulesSayWhatAndWhere) {
  const auto why = [](const json& j) {
    std::string error;
    return parse_oncall(j, 0, error) ? std::string("accepted") : error;
  };
  EXPECT_EQ(why({{"timezone", "Europe/Pariss"}}),
            "timezone: 'Europe/Pariss' is not a time zone (Europe/Paris, America/Montreal...)");
  EXPECT_EQ(why({{"hours", {{"mon", {"09:00-18:00", "18:00-09:00"}}}}}),
            "hours.mon[1]: a range HH:MM-HH:MM within the day (\"09:00-18:00\", \"22:00-24:00\")");
  EXPECT_EQ(why({{"hours", {{"monday", "09:00-18:00"}}}}),
            "hours: 'monday' is not mon, tue, wed, thu, fri, sat or sun");
  EXPECT_EQ(why({{"holidays", {"25/12/2026"}}}), "holidays[0]: a date YYYY-MM-DD");
  EXPECT_EQ(why({{"severities", {{"critical", {{"outside_hours", "sometimes"}}}}}}),
            "severities.critical.outside_hours: outside_hours is \"page\" or \"wait\", "
            "escalate_after a duration from 1m to 7d (15m, 2h), count \"wall\" or \"working\"");
  EXPECT_NE(why({{"hours", {{"mon", "-9:00-18:00"}}}}), "accepted");
  EXPECT_NE(why({{"hours", {{"mon", " 9:00-18:00"}}}}), "accepted");
  EXPECT_EQ(why({{"severities", {{"default", {{"escalate_after", "0s"}}}}}}).substr(0, 42),
            "severities.default.escalate_after: outside");
  // A recurrence that libical could search for centuries is refused before it runs.
  EXPECT_EQ(
      why({{"holidays_ical",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\n"
            "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}}),
      "holidays_ical: a recurrence is yearly, monthly, weekly or daily");
  EXPECT_EQ(why({{"holidays_ical",
                  "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n"
                  "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}}),
            "holidays_ical: a daily recurrence needs a COUNT of at most 366");
  EXPECT_EQ(why({{"repeat_after", "10s"}}),
            "repeat_after: a duration of a minute or more (30m, 1h)");
  EXPECT_EQ(why({{"holidays_ical", "not a calendar"}}), "holidays_ical: not an iCalendar document");
  EXPECT_EQ(
      why({{"pager", true}}),
      "unknown key 'pager' (timezone, hours, holidays, holidays_ical, severities, repeat_after)");
}

}  // namespace
}  // namespace racine::route
