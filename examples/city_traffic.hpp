// city_traffic.hpp: a month of synthetic but realistic traffic for a city's
// 12320 line, for the end-to-end example (hotline_month.cpp) and its test.
//
// Seeded: the same seed gives the same calls, orders and steps on every run.
// What is generated:
//  * a city of three districts, each with its health bureau and two community
//    health service centres (each with its own line), and the CDC immunisation
//    line; a liaison for every unit;
//  * calls to the centre every day, more on working days, inside and outside the
//    staffed hours (001 §3.1: 08:30-16:30 human service on working days, the
//    automated voice otherwise), with IVR keys (001 §1.3); some staffed calls
//    ring long unanswered; calls to the centres' own lines as well;
//  * every answered call becomes an order: consultations the knowledge base can
//    answer with confidence are answered on the spot (000 art. 10), the rest
//    and every complaint, report, help request and praise (000 art. 11) are
//    transferred to a unit: a few late, a few returned and re-dispatched, a few
//    extended or supervised, replies sometimes sent back for rework, call-backs
//    with satisfaction, then closed; a few voided as mistaken entries;
//  * steps that would happen after the month's end are not taken: those orders
//    are still open at `as_of` (some overdue).
// Each story also records what the generator decided (transferred, completed,
// the line's unit...), so a test can count the expected report figures without
// the report code.
#pragma once

#include <hotline/hotline.hpp>

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace city {

using namespace std::chrono_literals;

/// One order's life as generated: the intake, then its commands in time order.
struct story {
  hotline::work_order intake;
  hotline::actor by;
  std::vector<hotline::command> steps;
  // What the generator decided (for tests; the store works it out by itself).
  std::string line_unit;            ///< the unit whose line took the call ("" = the centre)
  bool answered_on_spot = false;
};

struct month_traffic {
  hotline::reporting_period period;
  hotline::instant as_of{};  ///< the end of the month: the reports' "now"
  std::vector<hotline::unit> units;
  std::vector<hotline::liaison> liaisons;
  hotline::call_log calls;
  std::vector<story> stories;
};

namespace detail {

struct place {
  const char* district;
  const char* district_unit;
  std::array<const char*, 2> sub_districts;
  std::array<const char*, 2> centres;
};
inline constexpr std::array<place, 3> k_places{{
    {"越秀区", "GZ-YX", {"北京街", "大塘街"}, {"YX-BJJ", "YX-DT"}},
    {"海珠区", "GZ-HZ", {"滨江街", "南华西街"}, {"HZ-BJ", "HZ-NHX"}},
    {"天河区", "GZ-TH", {"石牌街", "林和街"}, {"TH-SP", "TH-LH"}},
}};

/// Consultation questions as callers put them, with annex 8 table 4's topic and sub-topic.
struct question {
  const char* text;
  const char* topic;
  const char* sub_topic;
};
inline constexpr std::array<question, 16> k_questions{{
    {"请问家庭医生怎么签约", "家庭医生", "签约"},
    {"家庭医生签约一年要交多少钱", "家庭医生", "服务包与费用"},
    {"签约到期了怎么续签", "家庭医生", "有效期与续约"},
    {"老人签了家庭医生有什么服务", "家庭医生", "重点人群"},
    {"家庭医生能开长处方吗", "家庭医生", "长处方"},
    {"狂犬疫苗一共打几针", "免疫规划", "狂犬病"},
    {"九价宫颈癌疫苗去哪里打", "免疫规划", "HPV"},
    {"被狗咬了伤口要怎么处理", "动物致伤", "狗咬伤"},
    {"12320人工几点上班", "热线服务", "服务时间"},
    {"乙肝疫苗漏打了一针还要补吗", "免疫规划", "乙肝"},
    {"被猫抓破皮了要不要打针", "动物致伤", "猫抓伤"},
    {"孩子注意力不集中是不是多动症", "儿童保健", "多动症"},
    {"更年期睡不着怎么调理", "妇女保健", "更年期"},
    {"高血压平时饮食要注意什么", "健康知识", "高血压"},
    {"和家人吵架心里很难受想找人聊聊", "心理援助", "家庭矛盾"},
    {"新生儿疾病筛查结果在哪里查", "儿童保健", "新生儿筛查"},
}};

inline constexpr std::array<const char*, 7> k_subjects{"食品安全执法", "其他公共卫生执法", "医疗服务", "疾病预防",
                                                       "行政管理", "其他部门", "其他"};

class rng {
 public:
  explicit rng(std::uint64_t seed) : g_(seed) {}
  /// 0..n-1, the same on every platform (no distribution objects).
  std::uint64_t below(std::uint64_t n) { return g_() % n; }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::mt19937_64 g_;
};

inline hotline::instant at_local(hotline::day d, int minutes) { return hotline::from_local(d, std::chrono::minutes{minutes}); }

}  // namespace detail

/// The month's traffic; `kb` decides which consultations are answered on the spot.
inline month_traffic generate(int year, unsigned month, std::uint64_t seed, const hotline::knowledge_base& kb,
                              int calls_per_working_day = 60) {
  using namespace hotline;
  using detail::k_places;
  month_traffic t;
  t.period = reporting_period::month(year, month);
  t.as_of = t.period.to;
  const calendar cal = calendar::china();
  const staffed_hours hours(cal);
  detail::rng r(seed);

  // ---- the city's units and their liaisons ----
  for (const auto& p : k_places) {
    t.units.push_back({p.district_unit, fmt::format("广州市{}卫生健康局", p.district), unit_kind::district, "",
                       {{p.district, ""}}, {}, true});
    for (std::size_t i = 0; i < 2; ++i)
      t.units.push_back({p.centres[i], fmt::format("{}{}社区卫生服务中心", p.district, p.sub_districts[i]),
                         unit_kind::institution, p.district_unit, {{p.district, p.sub_districts[i]}}, {}, true});
  }
  t.units.push_back({"CDC-IMM", "广州市疾病预防控制中心预防接种咨询", unit_kind::service_line, "", {}, {"免疫规划"}, true});
  for (std::size_t i = 0; i < t.units.size(); ++i) {
    liaison l;
    l.unit = t.units[i].code;
    l.name = fmt::format("联络员{:02}", i + 1);
    l.office_phone = fmt::format("020-8{:07}", 1000000 + i * 137);
    l.valid_from = t.period.from - std::chrono::hours{24 * 90};
    t.liaisons.push_back(l);
  }

  // ---- calls, and the orders answered calls lead to ----
  const day first = local_day(t.period.from), last = local_day(t.period.to - seconds{1});
  int call_no = 0, order_no = 0;
  for (day d = first; d <= last; d += date::days{1}) {
    const bool working = cal.is_workday(d);
    // Centre line: volume by day kind; unit lines: a few calls on working days.
    struct line { std::string unit; int calls; };
    std::vector<line> lines{{"", working ? calls_per_working_day : calls_per_working_day / 4}};
    if (working)
      for (const auto& p : k_places)
        for (const char* c : p.centres) lines.push_back({c, 2 + static_cast<int>(r.below(3))});
    for (const auto& ln : lines) {
      for (int i = 0; i < ln.calls; ++i) {
        // Start: mostly 08:00-17:30, some in the evening and early morning.
        const int minute = r.chance(80) ? 480 + static_cast<int>(r.below(570)) : 420 + static_cast<int>(r.below(840));
        call_record c;
        c.call_id = fmt::format("C{:04}{:02}-{:05}", year, month, ++call_no);
        c.started_at = detail::at_local(d, minute) + seconds{r.below(60)};
        c.line = "12320";
        c.unit = ln.unit;
        c.ivr_key = ln.unit.empty() ? 1 + static_cast<int>(r.below(3)) : -1;
        const bool staffed = hours.is_staffed(c.started_at);
        if (!staffed) {
          // The automated voice takes it (001 §3.1): no agent, no order.
          c.answered = false;
          c.wait = seconds{5 + r.below(20)};
          t.calls.calls.push_back(std::move(c));
          continue;
        }
        if (r.chance(7)) {  // rang unanswered in staffed hours; a share of those ring long
          c.answered = false;
          c.wait = seconds{r.chance(50) ? 60 + r.below(240) : 10 + r.below(40)};
          t.calls.calls.push_back(std::move(c));
          continue;
        }
        c.answered = true;
        c.wait = seconds{3 + r.below(40)};
        c.agent = ln.unit.empty() ? fmt::format("A{:03}", 1 + r.below(12)) : ln.unit + "-A1";
        if (c.ivr_key == 3 || r.chance(15)) {  // an appointment or a short enquiry: no order
          t.calls.calls.push_back(std::move(c));
          continue;
        }

        story s;
        work_order& o = s.intake;
        o.number = fmt::format("12320-{:04}{:02}{:02}-{:05}", year, month, static_cast<unsigned>(date::year_month_day{d}.day()),
                               ++order_no);
        o.call_ref = c.call_id;
        o.ivr_key = std::max(0, c.ivr_key);
        o.received_at = c.started_at + c.wait + std::chrono::minutes{2 + r.below(6)};
        o.agent = c.agent;
        if (!r.chance(20)) {
          static constexpr std::array<const char*, 8> surnames{"王", "李", "张", "刘", "陈", "杨", "黄", "赵"};
          o.caller_name = std::string(surnames[r.below(surnames.size())]) + (r.chance(50) ? "先生" : "女士");
        }
        o.anonymous = o.caller_name.empty();
        o.caller_phone = fmt::format("13{}{:08}", 5 + r.below(5), r.below(100000000));
        o.callback_phone = o.caller_phone;
        const auto& pl = k_places[r.below(3)];
        const std::size_t sub = r.below(2);
        o.district = pl.district;
        o.sub_district = pl.sub_districts[sub];
        // Type: key 1 is the consultation line, key 2 the report line (001 §1.3).
        const auto roll = r.below(100);
        if (c.ivr_key == 2) {
          o.request_type = roll < 45 ? request_type::complaint
                           : roll < 70 ? request_type::report
                           : roll < 80 ? request_type::help_request
                           : roll < 88 ? request_type::praise
                           : roll < 96 ? request_type::suggestion
                                       : request_type::other;
        } else {
          o.request_type = roll < 82 ? request_type::consultation
                           : roll < 90 ? request_type::complaint
                           : roll < 94 ? request_type::help_request
                           : roll < 97 ? request_type::suggestion
                                       : request_type::other;
        }
        std::string target_unit = pl.centres[sub];
        if (o.request_type == request_type::consultation) {
          const auto& q = detail::k_questions[r.below(detail::k_questions.size())];
          o.content = q.text;
          o.topic = q.topic;
          o.sub_topic = q.sub_topic;
          if (o.topic == std::string("免疫规划")) target_unit = "CDC-IMM";
        } else if (o.request_type == request_type::complaint) {
          o.complaint_subject = detail::k_subjects[r.below(detail::k_subjects.size())];
          o.content = fmt::format("反映{}方面的问题，联系电话{}", o.complaint_subject, o.caller_phone);
          o.respondent = fmt::format("{}{}社区卫生服务中心", pl.district, pl.sub_districts[sub]);
          if (r.chance(30)) target_unit = pl.district_unit;
        } else {
          o.content = fmt::format("{}：{}{}来电", to_string(o.request_type), o.district, o.sub_district);
          if (o.request_type == request_type::report) target_unit = pl.district_unit;
        }
        o.complex = r.chance(10);
        s.by = {o.agent, role::agent, ln.unit};
        s.line_unit = ln.unit;
        c.work_order = o.number;

        // ---- the order's life ----
        instant now = o.received_at;
        auto step = [&](action a, actor by, std::chrono::minutes after) -> command& {
          now += after;
          command cmd;
          cmd.action = a;
          cmd.by = std::move(by);
          cmd.at = now;
          s.steps.push_back(std::move(cmd));
          return s.steps.back();
        };
        const actor agent{o.agent, role::agent, ln.unit};
        const actor dispatcher{"D01", role::dispatcher, {}};
        const actor reviewer{"R01", role::reviewer, {}};
        const actor caller_back{"CB1", role::call_back_agent, {}};
        const auto minutes_between = [&](int lo, int hi) { return std::chrono::minutes{lo + static_cast<int>(r.below(static_cast<std::uint64_t>(hi - lo)))}; };

        if (o.request_type == request_type::consultation) {
          match_options mo;
          mo.on = local_day(o.received_at);
          const auto dec = kb.answer(o.content, mo);
          if (dec.answer_now && !dec.hits.empty()) {
            auto& a = step(action::answer, agent, minutes_between(1, 5));
            a.answer = kb.get(dec.hits[0].id)->answer;
            a.kb_entries = dec.hits[0].id;
            s.answered_on_spot = true;
            t.stories.push_back(std::move(s));
            t.calls.calls.push_back(std::move(c));
            continue;
          }
        }
        if (r.chance(2)) {  // a mistaken entry
          step(action::void_, agent, minutes_between(5, 30)).comment = "重复登记";
          t.stories.push_back(std::move(s));
          t.calls.calls.push_back(std::move(c));
          continue;
        }
        // Transfer: usually within hours; some only after two or three days (late).
        const bool late_transfer = r.chance(6);
        auto dispatch_to = [&](const std::string& unit, std::chrono::minutes after) {
          auto& dcmd = step(action::dispatch, agent, after);
          dcmd.unit = unit;
          dcmd.means = transfer_means::system;
        };
        dispatch_to(target_unit, late_transfer ? std::chrono::minutes{60 * 24 * (2 + static_cast<int>(r.below(2)))}
                                               : minutes_between(10, 240));
        std::string unit = target_unit;
        const actor liaison_of_unit{unit + "-L", role::liaison, unit};
        step(action::sign_for, liaison_of_unit, minutes_between(20, r.chance(10) ? 3000 : 600));
        if (r.chance(4)) {  // not ours: returned and sent to the district bureau
          step(action::request_return, liaison_of_unit, minutes_between(30, 300)).reason = "不属于本单位职责范围";
          step(action::approve_return, dispatcher, minutes_between(30, 600));
          unit = pl.district_unit;
          dispatch_to(unit, minutes_between(10, 120));
          step(action::sign_for, actor{unit + "-L", role::liaison, unit}, minutes_between(20, 600));
        }
        const actor liaison{unit + "-L", role::liaison, unit};
        if (r.chance(5)) {
          step(action::request_extension, liaison, minutes_between(60, 2000)).reason = "需现场核查";
          step(action::approve_extension, dispatcher, minutes_between(30, 600)).extension_days = 5;
        }
        if (r.chance(5)) step(action::supervise, actor{"S01", role::supervisor, {}}, minutes_between(60, 3000)).level =
            supervision_level::reminder;
        // Reply: most within days, a few late.
        auto reply = [&]() {
          auto& rp = step(action::reply, liaison, std::chrono::minutes{r.chance(8) ? 60 * 24 * (8 + static_cast<int>(r.below(8)))
                                                                                    : 60 + static_cast<int>(r.below(60 * 24 * 4))});
          rp.reply_text = "已核实处理并电话答复来电人";
          rp.finding = o.request_type == request_type::complaint || o.request_type == request_type::report
                           ? (r.chance(60) ? finding::true_finding : finding::false_finding)
                           : finding::not_applicable;
          rp.resolved = true;
          rp.means = transfer_means::phone;
        };
        reply();
        if (r.chance(4)) {
          step(action::reject_reply, reviewer, minutes_between(60, 600)).reason = "答复未回应诉求，重办";
          reply();
        }
        step(action::accept_reply, reviewer, minutes_between(30, 900));
        auto& cb = step(action::call_back, caller_back, minutes_between(60, 2400));
        const auto sat = r.below(100);
        cb.call_back = sat < 70   ? call_back_result::satisfied
                       : sat < 85 ? call_back_result::basically_satisfied
                       : sat < 93 ? call_back_result::dissatisfied
                                  : call_back_result::unreachable;
        cb.means = transfer_means::phone;
        step(action::close, caller_back, minutes_between(5, 60));
        // What would happen after the month's end has not happened yet.
        std::erase_if(s.steps, [&](const command& x) { return x.at >= t.as_of; });
        t.stories.push_back(std::move(s));
        t.calls.calls.push_back(std::move(c));
      }
    }
  }
  std::stable_sort(t.calls.calls.begin(), t.calls.calls.end(),
                   [](const call_record& a, const call_record& b) { return a.started_at < b.started_at; });
  return t;
}

/// Puts the units, liaisons, orders (through their commands, in one batch) and
/// calls into the store.
inline void load(hotline::store& db, const month_traffic& t) {
  for (const auto& u : t.units) db.put_unit(u);
  for (const auto& l : t.liaisons) db.set_liaison(l);
  {
    auto batch = db.begin_batch();
    for (const auto& s : t.stories) {
      db.create(s.intake, s.by);
      for (const auto& c : s.steps) db.apply(s.intake.number, c);
    }
    batch.commit();
  }
  db.import_calls(t.calls);
}

}  // namespace city
