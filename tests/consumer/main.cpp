// Links the installed hotline::hotline and checks one rule end to end.
#include <hotline/hotline.hpp>

#include <cstdio>

int main() {
  const auto cal = hotline::calendar::china();
  const auto due = cal.add_workdays(hotline::make_day(2025, 1, 25), 2);  // 000 art. 12
  const bool ok = due == hotline::make_day(2025, 1, 27);
  std::printf("installed hotline %s: 2025-01-25 + 2 working days = %s (%s)\n", hotline::version_string,
              hotline::format_day(due).c_str(), ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
