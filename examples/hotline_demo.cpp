// hotline_demo: the README's main job.
//
// For a month (default: the current one in Beijing time) it prints every day's
// kind with holiday names and the staffed hours (001 §3.1), then when a work
// order received at a given moment is due under "N working days from the day
// after receipt" (000 art. 12).
//
//   hotline_demo                                  # this month, received now, 2 and 10 working days
//   hotline_demo --month 2026-10 --received 2026-09-30T15:00:00+08:00 --days 2,10
//   hotline_demo --overlay guangxi.csv --layer regional
//   hotline_demo --weekends-beyond-data --month 2027-03
#include <hotline/hotline.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

const char* kind_zh(hotline::day_kind k) {
  switch (k) {
    case hotline::day_kind::working_day: return "工作日";
    case hotline::day_kind::rest_day: return "休息日";
    case hotline::day_kind::holiday: return "节假日";
    case hotline::day_kind::adjusted_working_day: return "调休上班";
  }
  return "?";
}

std::string hhmm(hotline::instant t) {
  return hotline::format_instant(t).substr(11, 5);
}

int usage() {
  std::fputs(
      "usage: hotline_demo [--month YYYY-MM] [--received YYYY-MM-DDTHH:MM[:SS]+08:00] [--days N[,N...]]\n"
      "                    [--overlay FILE.csv|FILE.ics [--layer regional|organisation|national]]\n"
      "                    [--weekends-beyond-data]\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string month, received, overlay_path, layer_name = "regional";
  std::vector<long> counts = {2, 10};
  bool beyond = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "hotline_demo: %s needs a value\n", argv[i]);
        std::exit(usage());
      }
      return argv[++i];
    };
    if (a == "--month") month = next();
    else if (a == "--received") received = next();
    else if (a == "--overlay") overlay_path = next();
    else if (a == "--layer") layer_name = next();
    else if (a == "--weekends-beyond-data") beyond = true;
    else if (a == "--days") {
      counts.clear();
      const std::string v = next();
      for (std::size_t p = 0; p <= v.size();) {
        const auto c = v.find(',', p);
        const std::string part = v.substr(p, c == std::string::npos ? std::string::npos : c - p);
        char* end = nullptr;
        const long n = std::strtol(part.c_str(), &end, 10);
        if (part.empty() || *end != '\0' || n < 1 || n > 366) {
          std::fprintf(stderr, "hotline_demo: --days: '%s' is not a number of working days 1..366\n", part.c_str());
          return 2;
        }
        counts.push_back(n);
        if (c == std::string::npos) break;
        p = c + 1;
      }
    } else if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else {
      std::fprintf(stderr, "hotline_demo: unknown argument '%s'\n", argv[i]);
      return usage();
    }
  }

  try {
    auto cal = hotline::calendar::china({.weekends_beyond_data = beyond});
    if (!overlay_path.empty()) {
      const auto layer = layer_name == "national"       ? hotline::calendar_layer::national
                         : layer_name == "organisation" ? hotline::calendar_layer::organisation
                                                        : hotline::calendar_layer::regional;
      const bool ics = overlay_path.size() > 4 && overlay_path.substr(overlay_path.size() - 4) == ".ics";
      cal = cal.with(ics ? hotline::calendar_overlay::from_ics_file(overlay_path, layer)
                         : hotline::calendar_overlay::from_csv_file(overlay_path, layer));
    }
    const hotline::staffed_hours hours(cal);

    const hotline::instant now = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const hotline::instant t_received = received.empty() ? now : hotline::parse_instant(received);
    hotline::day first;
    if (month.empty()) {
      const date::year_month_day today{hotline::local_day(now)};
      first = hotline::day{today.year() / today.month() / 1};
    } else {
      first = hotline::parse_day(month + "-01");
    }
    const date::year_month_day fy{first};
    const hotline::day last{fy.year() / fy.month() / date::last};
    (void)cal.kind(first);  // an uncovered month is refused before anything is printed
    (void)cal.kind(last);

    std::printf("hotline %s · calendar of %04d-%02u (Asia/Shanghai); national data %d-%d%s\n\n",
                hotline::version_string, int(fy.year()), unsigned(fy.month()), cal.first_covered_year(),
                cal.last_covered_year(), beyond ? ", Monday-Friday beyond it (opted in)" : "");
    std::printf("%-10s  %-3s  %-10s  %-22s  %s\n", "date", "day", "kind", "staffed (human service)", "holiday");
    static const char* wd_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    int working = 0;
    for (hotline::day d = first; d <= last; d += date::days{1}) {
      const auto k = cal.kind(d);
      working += hotline::is_working(k);
      std::string staffed;
      for (const auto& [open, close] : hours.intervals(d)) staffed += hhmm(open) + "-" + hhmm(close) + " ";
      if (staffed.empty()) staffed = "automated voice";
      const auto zh = cal.holiday_name(d);
      const auto en = cal.holiday_name(d, true);
      std::printf("%s  %-3s  %-*s  %-22s  %s%s%s%s\n", hotline::format_day(d).c_str(),
                  wd_names[date::weekday{d}.c_encoding()],
                  // pad by display width: each Chinese character is 3 bytes and 2 columns
                  int(10 + std::string_view(kind_zh(k)).size() / 3), kind_zh(k), staffed.c_str(),
                  zh ? std::string(*zh).c_str() : "", en && !en->empty() ? " (" : "",
                  en ? std::string(*en).c_str() : "", en && !en->empty() ? ")" : "");
    }
    std::printf("\n%d working days in the month.\n\n", working);

    const hotline::day r = hotline::local_day(t_received);
    std::printf("A work order received %s (%s, %s):\n", hotline::format_instant(t_received).c_str(),
                kind_zh(cal.kind(r)),
                hours.is_staffed(t_received) ? "human service" : "automated voice answering");
    for (const long n : counts) {
      const hotline::day due = cal.add_workdays(r, n);
      std::string stepped;
      for (const auto& s : cal.special_days(r + date::days{1}, due))
        if (s.kind == hotline::day_kind::holiday &&
            stepped.find(s.name_zh) == std::string::npos)
          stepped += (stepped.empty() ? "" : ", ") + s.name_zh;
      const auto close = hours.closing_of(due);
      std::printf("  %2ld working days from the day after receipt (000 art. 12): due %s, by the end of the day%s%s%s\n",
                  n, hotline::format_day(due).c_str(),
                  close ? (", staffed hours close at " + hhmm(*close)).c_str() : "",
                  stepped.empty() ? "" : "; steps over ", stepped.c_str());
    }
    const auto open = hours.next_opening(t_received);
    std::printf("  next human service: %s\n", hotline::format_instant(open).c_str());
    return 0;
  } catch (const hotline::error& e) {
    std::fprintf(stderr, "hotline_demo: %s\n", e.what());
    if (e.code() == hotline::errc::out_of_range)
      std::fprintf(stderr, "hotline_demo: (pass --weekends-beyond-data to opt in to the Monday-Friday rule)\n");
    return 1;
  }
}
