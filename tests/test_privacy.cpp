// Personal data in outputs and in error messages (issue 22 item 4; docs/privacy.md,
// hotline/masking.hpp): callers' and residents' numbers are masked unless revealed.
//
// Every case puts known numbers into the input (a mobile, a landline with its area code,
// an identity number, a name) and searches what comes out, both for those exact values
// and for anything shaped like a personal number; the revealed forms are searched too,
// as the positive control that the search finds what masking hides.  The main job's own
// outputs are searched by tests/python/test_privacy.py.
#include "hotline/assessment.hpp"
#include "hotline/assessment_facts.hpp"
#include "hotline/call_log.hpp"
#include "hotline/masking.hpp"
#include "hotline/report.hpp"
#include "hotline/resident_id.hpp"
#include "hotline/signing/registry.hpp"
#include "hotline/signing/reports.hpp"
#include "hotline/store.hpp"
#include "hotline/timeliness.hpp"
#include "hotline/work_order.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "signing_test_support.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace hotline;
using hotline::test::error_of;

namespace {

const std::string mobile = "13812341234", other_mobile = "15900001111", landline = "020-81234567",
                  id_number = "11010519491231002X", name = "张三丰";
const std::vector<std::string> raw_values{mobile, other_mobile, landline, id_number, name};

bool digit(char c) { return c >= '0' && c <= '9'; }

/// Digit runs in `s` shaped like a personal number: a mobile (11 digits, 1[3-9]...), an
/// identity number (15 digits, or 17 and a digit or X), a landline with its area code
/// (0 and 9 to 11 digits, or 0dd(d)-ddddddd(d)).  Masked forms hold '*' and never match.
std::vector<std::string> number_shapes(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    if (!digit(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && digit(s[j])) ++j;
    std::size_t end = j;
    if (j - i == 17 && j < s.size() && (s[j] == 'X' || s[j] == 'x')) ++end;
    const std::string_view run = s.substr(i, end - i);
    const bool before_ok = i == 0 || s[i - 1] != '-';
    bool hit = false;
    if (run.size() == 11 && run[0] == '1' && run[1] >= '3') hit = true;
    if (run.size() == 15 || run.size() == 18) hit = true;
    if (run[0] == '0' && run.size() >= 10 && run.size() <= 12 && before_ok) hit = true;
    std::size_t shown_end = end;
    // 020-81234567: an area code, a dash, 7 or 8 digits.
    if (!hit && before_ok && run[0] == '0' && (run.size() == 3 || run.size() == 4) && end + 1 < s.size() &&
        s[end] == '-' && digit(s[end + 1])) {
      std::size_t k = end + 1;
      while (k < s.size() && digit(s[k])) ++k;
      if (k - end - 1 == 7 || k - end - 1 == 8) {
        hit = true;
        shown_end = k;
      }
    }
    if (hit) out.emplace_back(s.substr(i, shown_end - i));
    i = std::max(end, shown_end);
  }
  return out;
}

/// What of `raw_values` and of number_shapes is in `text` ("" when nothing).
std::string leaks(std::string_view text) {
  std::string found;
  for (const auto& r : raw_values)
    if (text.find(r) != std::string_view::npos) found += "[" + r + "] ";
  for (const auto& r : number_shapes(text)) found += "<" + r + "> ";
  return found;
}

std::string changes_text(const std::vector<event>& evs) {
  std::string s;
  for (const auto& e : evs) {
    s += e.comment + "\n";
    for (const auto& c : e.changes) s += c.field + ": " + c.before + " -> " + c.after + "\n";
  }
  return s;
}

std::string order_text(const work_order& o) {
  return o.caller_name + "|" + o.caller_phone + "|" + o.callback_phone + "|" + o.caller_id_number + "|" + o.address +
         "|" + o.content + "|" + o.answer + "|" + o.reply_text + "|" + o.review_opinion + "|" + o.return_reason;
}

}  // namespace

TEST_CASE("the search finds every shape of number it is for, and not the masked forms") {
  CHECK(number_shapes("请回电13812341234") == std::vector<std::string>{"13812341234"});
  CHECK(number_shapes("身份证11010519491231002X。") == std::vector<std::string>{"11010519491231002X"});
  CHECK(number_shapes("座机020-81234567或02081234567") == std::vector<std::string>{"020-81234567", "02081234567"});
  CHECK(number_shapes("110101199003071") == std::vector<std::string>{"110101199003071"});
  CHECK(number_shapes(mask_text("请回电13812341234，身份证11010519491231002X，座机020-81234567")).empty());
  CHECK(number_shapes("20251001-00000001 2025-10-01T08:30:00+08:00 12320 79.71%").empty());
}

TEST_CASE("error messages quote personal data in the input masked") {
  SUBCASE("a vocabulary word (request type, channel, role) given a phone number") {
    const auto m = error_of([] { (void)parse_enum<request_type>(mobile); });
    CHECK(m ==
          "unknown request_type '138****1234'; expected one of: consultation complaint report help_request "
          "praise suggestion other");
    CHECK(leaks(error_of([] { (void)parse_enum<channel>("请回电" + mobile + "，身份证" + id_number); })) == "");
    CHECK(leaks(error_of([] { (void)parse_enum<role>(id_number); })) == "");
  }
  SUBCASE("a date or an instant given a number") {
    const auto m = error_of([] { (void)parse_day(id_number); });
    CHECK(m.find("110105********002X") != std::string::npos);
    CHECK(leaks(m) == "");
    CHECK(leaks(error_of([] { (void)parse_instant(mobile); })) == "");
    CHECK(leaks(error_of([] { (void)parse_instant(id_number + "T10:00:00+08:00"); })) == "");
  }
  SUBCASE("a call log whose columns slipped") {
    const std::string head = "call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n";
    const std::string slipped = "C-1,2025-01-24T09:00:00+08:00,1," + mobile + ",A1,1,12320,,\n";
    const auto wait = error_of([&] { (void)call_log::from_csv(head + slipped, "calls.csv"); });
    CHECK(wait == "calls.csv:2: field 'wait_seconds': '138****1234' is not 0..86400");
    const std::string rows[] = {
        "C-1," + id_number + ",1,12,A1,1,12320,,\n",
        "C-1,2025-01-24T09:00:00+08:00," + mobile + ",12,A1,1,12320,,\n",
        "C-1,2025-01-24T09:00:00+08:00,1,12,A1," + landline + ",12320,,\n",
    };
    for (const auto& row : rows) {
      const auto m = error_of([&] { (void)call_log::from_csv(head + row, "calls.csv"); });
      CHECK(m.find("calls.csv:2: field '") == 0);
      CHECK(leaks(m) == "");
    }
  }
  SUBCASE("an amendment naming a number as its field") {
    const calendar_deadlines policy(calendar::china());
    const work_order o = create(hotline::test::intake(), {"A1", role::agent, {}}, false, policy).order;
    command c;
    c.action = action::amend;
    c.by = {"A1", role::agent, {}};
    c.at = o.received_at;
    c.amendments = {{mobile, "x"}};
    const auto m = error_of([&] { (void)apply(o, c, policy); });
    CHECK(m == "field 138****1234 cannot be amended (unknown, or changed only by its own action)");
  }
  SUBCASE("a resident's identity number that fails its check or disagrees") {
    const auto bad = error_of([] { (void)read_id_number("110105194912310021", "resident 'R9' id_number"); });
    CHECK(bad == "resident 'R9' id_number: wrong check character: got '1', expected 'X' (110105********0021)");
    signing::registry reg;
    hotline::test::add_region(reg);
    auto r = hotline::test::resident_at("R1", hotline::test::d(1950, 1, 1));
    r.id_number = id_number;
    const auto birth = error_of([&] { reg.add_resident(r); });
    CHECK(birth.find("110105********002X") != std::string::npos);
    CHECK(leaks(birth) == "");
    r.birth.reset();
    r.sex = sex::male;
    CHECK(leaks(error_of([&] { reg.add_resident(r); })) == "");
    CHECK(reg.resident_count() == 0);
  }
}

TEST_CASE("what the store returns is masked unless revealed") {
  store db(hotline::test::fresh_db("privacy-store"));
  hotline::test::seed_units(db);
  liaison l;
  l.unit = "YX-BJJ";
  l.name = "李联络";
  l.office_phone = landline;
  l.mobile = other_mobile;
  l.valid_from = parse_instant("2025-01-01T00:00:00+08:00");
  db.set_liaison(l);
  auto in = hotline::test::intake();
  in.caller_name = name;
  in.caller_phone = mobile;
  in.callback_phone = other_mobile;
  in.caller_id_number = id_number;
  in.address = "北京街1号，座机" + landline;
  in.content = "请回电" + mobile + "，身份证" + id_number;
  const auto wo = db.create(in, {"A1", role::agent, {}});
  command c;
  c.action = action::dispatch;
  c.by = {"D1", role::dispatcher, {}};
  c.at = wo.received_at + std::chrono::hours(1);
  c.comment = "已电话" + mobile + "联系";
  c.unit = "YX-BJJ";
  (void)db.apply(wo.number, c);

  std::string shown = order_text(*db.get(wo.number)) + changes_text(db.events(wo.number));
  shown += changes_text(db.log(1, 100));
  for (const auto& o : db.orders(order_query{})) shown += order_text(o);
  for (const auto& o : db.orders(order_query{}.phone(mobile))) shown += order_text(o);
  for (const auto& x : db.liaisons("YX-BJJ")) shown += x.name + x.office_phone + x.mobile;
  for (const auto& x : db.liaison_history("YX-BJJ")) shown += x.name + x.office_phone + x.mobile;
  CHECK(leaks(shown) == "");
  for (const char* masked : {"138****1234", "159****1111", "110105********002X", "张**", "020-****4567"})
    CHECK(shown.find(masked) != std::string::npos);

  // Revealed on request: the positive control of the search.
  std::string revealed = order_text(*db.get(wo.number, true)) + changes_text(db.events(wo.number, true));
  for (const auto& x : db.liaisons("YX-BJJ", {}, true)) revealed += x.office_phone + x.mobile;
  for (const auto& r : raw_values) CHECK(revealed.find(r) != std::string::npos);
  CHECK(number_shapes(revealed).size() >= 4);
}

TEST_CASE("report tables over a store show no personal number, as text and CSV") {
  store db(hotline::test::fresh_db("privacy-reports"));
  hotline::test::seed_units(db);
  const auto month = reporting_period::month(2025, 3);
  for (int k = 0; k < 6; ++k) {
    auto in = hotline::test::intake(("2025-03-0" + std::to_string(k + 3) + "T10:00:00+08:00").c_str());
    in.caller_name = name;
    in.caller_phone = mobile;
    in.caller_id_number = id_number;
    in.content = "联系电话" + mobile + "，身份证" + id_number + "，座机" + landline;
    const auto wo = db.create(in, {"A1", role::agent, {}});
    command c;
    c.action = action::dispatch;
    c.by = {"D1", role::dispatcher, {}};
    c.at = wo.received_at + std::chrono::hours(1);
    c.unit = k % 2 ? "YX-BJJ" : "YX-DS";
    (void)db.apply(wo.number, c);
  }
  std::vector<report_table> tables = receipt_statistics_tables(receipt_statistics(db, month), month);
  for (auto& t : monthly_statistics(db, month).tables()) tables.push_back(std::move(t));
  tables.push_back(quarterly_summary_table(quarterly_summary(db, reporting_period::quarter(2025, 1)),
                                           reporting_period::quarter(2025, 1)));
  const auto as_of = parse_instant("2025-04-01T00:00:00+08:00");
  for (auto& t : timeliness(db, month, as_of).tables()) tables.push_back(std::move(t));
  for (auto& t : assessment_tables(assess_units(rubric::preset("tianjin-12320"), db, month, {}, {}), month))
    tables.push_back(std::move(t));
  std::string shown;
  for (const auto& t : tables) shown += to_text(t) + to_csv(t);
  CHECK(leaks(shown) == "");
  CHECK(shown.find("联系电话138****1234，身份证110105********002X，座机020-****4567") != std::string::npos);
}

TEST_CASE("signing: residents are shown masked, in the registry's answers and its tables") {
  signing::registry reg;
  hotline::test::add_region(reg);
  auto r = hotline::test::resident_at("R1", std::nullopt);
  r.name = name;
  r.id_number = id_number;
  reg.add_resident(r);
  (void)reg.sign(hotline::test::signing_of("R1", "T1", hotline::test::d(2017, 3, 1)));
  const auto found = reg.find_resident("R1");
  CHECK(found.name == "张**");
  CHECK(found.id_number == "110105********002X");
  std::string shown = found.name + found.id_number;
  for (const auto& t : signing::signing_tables(reg, hotline::test::d(2017, 12, 31))) shown += to_text(t) + to_csv(t);
  CHECK(leaks(shown) == "");
  const auto revealed = reg.find_resident("R1", true);
  CHECK(revealed.id_number == id_number);
  CHECK(revealed.name == name);
}
