// The installed hotline::hotline, linked by a project of its own, doing the small job
// every host does in its test (README "Every host"): a working-day sum across National
// Day 2025, a consultation's due date, a complaint created and dispatched, a caller's
// question matched, and the month's annex 8 tables.  Expected values from the rules:
// 2025-10-01..08 off, so 09-30 + 1 working day is 10-09; 000 art. 12, 2 working days
// from the day after receipt, so a consultation of 09-30 is due at the end of 10-10.
#include <hotline/hotline.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    ++failures;
    std::fprintf(stderr, "consumer: WRONG: %s\n", what);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hotline;
  // 1. The calendar.
  const auto cal = calendar::china();
  check(cal.add_workdays(make_day(2025, 9, 30), 1) == make_day(2025, 10, 9), "09-30 + 1 working day");

  // 2. A due date (000 art. 12).
  const auto policy = sla_policy::preset("guangzhou-family-doctor");
  order_attributes consultation;
  consultation.type = request_type::consultation;
  const auto due = policy.due(consultation, parse_instant("2025-09-30T15:00:00+08:00"));
  check(format_instant(due.due) == "2025-10-11T00:00:00+08:00", "the consultation's due instant");
  check(due.cite == "000 art. 12", "the rule's article");

  // 3. A complaint, created and dispatched, in a store of its own.
  const auto dir = std::filesystem::temp_directory_path() / ("hotline-consumer-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::int64_t total = -1, complaints = -1;
  {
    store db(dir / "hotline.db");
    unit bjj;
    bjj.code = "YX-BJJ";
    bjj.name = "北京街社区卫生服务中心";
    db.put_unit(bjj);
    work_order in;
    in.request_type = request_type::complaint;
    in.received_at = parse_instant("2025-10-09T09:15:00+08:00");
    in.caller_phone = "13812341234";
    in.content = "诊所收费不合理";
    const auto wo = db.create(in, actor{"A017", role::agent, {}});
    command dispatch;
    dispatch.action = action::dispatch;
    dispatch.by = actor{"D02", role::dispatcher, {}};
    dispatch.at = parse_instant("2025-10-09T10:00:00+08:00");
    dispatch.expected_version = wo.version;
    dispatch.unit = "YX-BJJ";
    const auto after = db.apply(wo.number, dispatch);
    check(after.unit == "YX-BJJ" && after.version == 2, "the dispatched order");
    check(db.verify().ok, "the events' chain");

    // 5. The month's tables.
    const auto m = monthly_statistics(db, reporting_period::month(2025, 10));
    total = m.total;
    complaints = m.complaints;
    check(m.tables().size() == 4, "annex 8 has four tables");
    std::printf("%s", to_text(m.tables()[0]).c_str());
  }
  std::filesystem::remove_all(dir);
  check(total == 1 && complaints == 1, "October's one complaint");

  // 4. A caller's question, matched in the knowledge base (the file's path from the caller).
  if (argc > 1) {
    knowledge_base kb;
    kb.import_file(argv[1]);
    const auto hits = kb.match("怎么签家庭医生");
    check(!hits.empty() && hits[0].id == "FD-001", "the question's entry");  // 家庭医生怎么签约？
  }

  std::printf("installed hotline %s: the small job %s\n", version_string, failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
