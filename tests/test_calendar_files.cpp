// Overlay files: CSV and iCalendar, and their errors (file, line, reason).
#include "hotline/calendar.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

using hotline::calendar_layer;
using hotline::day_kind;
using hotline::make_day;

namespace {
using hotline::test::error_of;
}  // namespace

TEST_CASE("CSV overlay: header, comments, quoting, CRLF, BOM, Chinese kinds") {
  const std::string text =
      "\xEF\xBB\xBF"
      "date,kind,name,name_en\r\n"
      "# A made-up regional file in the shape of Guangxi's 壮族三月三\r\n"
      "2026-04-20,holiday,壮族三月三,Zhuang March 3rd\r\n"
      "2026-04-21, 放假 ,\"壮族三月三\",\"Zhuang \"\"March 3rd\"\"\"\n"
      "\n"
      "2026-04-25,补班,壮族三月三调休\n";
  const auto ov = hotline::calendar_overlay::from_csv(text, "gx.csv", calendar_layer::regional);
  REQUIRE(ov.entries().size() == 3);
  CHECK(ov.entries()[1].name_en == "Zhuang \"March 3rd\"");
  CHECK(ov.entries()[2].line == 6);
  const auto cal = hotline::calendar::china().with(ov);
  CHECK(cal.kind(make_day(2026, 4, 21)) == day_kind::holiday);
  CHECK(cal.kind(make_day(2026, 4, 25)) == day_kind::adjusted_working_day);
}

TEST_CASE("CSV overlay errors name file, line and reason") {
  auto parse = [](const std::string& t) {
    return error_of([&] { (void)hotline::calendar_overlay::from_csv(t, "org.csv", calendar_layer::organisation); });
  };
  CHECK(parse("date,kind,name\n2026-02-30,holiday,x\n") == "org.csv:2: field 'date': '2026-02-30' is not a valid date YYYY-MM-DD");
  CHECK(parse("2026-05-11,vacation,x\n").find("org.csv:1: field 'kind': unknown kind 'vacation'") == 0);
  CHECK(parse("2026-05-11,holiday\n").find("org.csv:1: expected 3 or 4 fields") == 0);
  CHECK(parse("2026-05-11,holiday,\n").find("org.csv:1: field 'name' is empty") == 0);
  CHECK(parse("2026-05-11,holiday,\"open\n").find("org.csv:1: unterminated quoted field") == 0);
  CHECK(parse("2026-05-11,holiday,\xff\xfe\n").find("org.csv:1: not valid UTF-8") == 0);
  CHECK(parse("2026-05-11,holiday,a\n2026-05-11,workday,b\n")
            .find("2026-05-11 is listed twice, once as a day off and once as a working day: day off (line 1) and "
                  "working day (line 2)") != std::string::npos);
  CHECK(parse("# covers: 20x7\n").find("org.csv:1: '20x7' is not a year") == 0);
}

TEST_CASE("CSV overlay from a file, and a missing file") {
  const auto dir = std::filesystem::temp_directory_path() / "hotline_test_calendar_files";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "centre.csv").string();
  std::ofstream(path) << "# covers: 2027\n2027-01-01,holiday,元旦,New Year's Day\n2027-02-06,holiday,春节\n";
  const auto ov = hotline::calendar_overlay::from_csv_file(path, calendar_layer::national);
  CHECK(ov.covers_first() == 2027);
  CHECK(ov.covers_last() == 2027);
  const auto cal = hotline::calendar::china().with(ov);
  CHECK(cal.is_workday(make_day(2027, 1, 4)));
  CHECK(cal.kind(make_day(2027, 2, 6)) == day_kind::holiday);
  CHECK(error_of([&] { (void)hotline::calendar_overlay::from_csv_file((dir / "absent.csv").string(), calendar_layer::regional); })
            .find("cannot open") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("iCalendar overlay: all-day events, DTEND exclusive, DURATION, folding, escapes, kinds") {
  const std::string ics =
      "BEGIN:VCALENDAR\r\n"
      "VERSION:2.0\r\n"
      "PRODID:-//test//hotline//EN\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:1@test\r\n"
      "DTSTART;VALUE=DATE:20260420\r\n"
      "DTEND;VALUE=DATE:20260422\r\n"
      "SUMMARY:壮族\r\n"
      " 三月三\r\n"
      "X-HOTLINE-NAME-EN:Zhuang March 3rd\\, Guangxi\r\n"
      "CATEGORIES:HOLIDAY\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\n"
      "DTSTART;VALUE=DATE:20260425\r\n"
      "SUMMARY:三月三调休\r\n"
      "X-HOTLINE-KIND:workday\r\n"
      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\n"
      "DTSTART;VALUE=DATE:20260511\r\n"
      "DURATION:P2D\r\n"
      "SUMMARY:停诊\r\n"
      "CATEGORIES:closure\r\n"
      "END:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  const auto ov = hotline::calendar_overlay::from_ics(ics, "gx.ics", calendar_layer::regional);
  REQUIRE(ov.entries().size() == 5);
  CHECK(ov.entries()[0].name_zh == "壮族三月三");
  CHECK(ov.entries()[0].name_en == "Zhuang March 3rd, Guangxi");
  const auto cal = hotline::calendar::china().with(ov);
  CHECK(cal.kind(make_day(2026, 4, 20)) == day_kind::holiday);
  CHECK(cal.kind(make_day(2026, 4, 21)) == day_kind::holiday);
  CHECK(cal.kind(make_day(2026, 4, 22)) == day_kind::working_day);  // DTEND is exclusive
  CHECK(cal.kind(make_day(2026, 4, 25)) == day_kind::adjusted_working_day);
  CHECK(cal.kind(make_day(2026, 5, 12)) == day_kind::holiday);
  CHECK(cal.kind(make_day(2026, 5, 13)) == day_kind::working_day);
}

TEST_CASE("iCalendar overlay errors name file, line and reason") {
  auto parse = [](const std::string& t) {
    return error_of([&] { (void)hotline::calendar_overlay::from_ics(t, "feed.ics", calendar_layer::regional); });
  };
  const std::string head = "BEGIN:VCALENDAR\nVERSION:2.0\n";
  CHECK(parse("hello\n").find("feed.ics:1:") == 0);
  CHECK(parse(head + "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260420\nSUMMARY:x\nEND:VEVENT\n")
            .find("(truncated?)") != std::string::npos);
  CHECK(parse(head + "BEGIN:VEVENT\nDTSTART:20260420T090000\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n")
            .find("feed.ics:4: DTSTART '20260420T090000' is a date-time") == 0);
  CHECK(parse(head + "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260420\nRRULE:FREQ=YEARLY\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n")
            .find("feed.ics:5: RRULE is not supported") == 0);
  CHECK(parse(head + "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260431\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n")
            .find("feed.ics:4: DTSTART '20260431' is not a valid date") == 0);
  CHECK(parse(head + "BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n").find("feed.ics:3: VEVENT without DTSTART") == 0);
  CHECK(parse(head + "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260420\nEND:VEVENT\nEND:VCALENDAR\n")
            .find("feed.ics:3: VEVENT without SUMMARY") == 0);
  CHECK(parse(head + "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260420\nSUMMARY:\xc3\x28\nEND:VEVENT\nEND:VCALENDAR\n")
            .find("feed.ics:5: not valid UTF-8") == 0);
  CHECK(parse(head +
              "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260420\nSUMMARY:a\nEND:VEVENT\n"
              "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260420\nSUMMARY:b\nX-HOTLINE-KIND:workday\nEND:VEVENT\nEND:VCALENDAR\n")
            .find("once as a day off and once as a working day") != std::string::npos);
}

TEST_CASE("a failed overlay leaves the calendar as it was") {
  const auto cal = hotline::calendar::china();
  hotline::calendar_overlay bad("bad", calendar_layer::organisation);
  bad.add_day_off(make_day(2026, 6, 1), "ok").add_day_off(make_day(2031, 6, 1), "out of range");
  CHECK_THROWS_AS((void)cal.with(bad), hotline::out_of_range_error);
  CHECK(cal.kind(make_day(2026, 6, 1)) == day_kind::working_day);
}
