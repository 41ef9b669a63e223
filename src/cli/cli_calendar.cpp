// src/cli/cli_calendar.cpp: `hotline calendar` -- working days with 调休.
//
//   hotline calendar is-workday 2026-02-14 2026-02-16
//   hotline calendar add 2025-01-24 3                  # 2025-02-05: the Spring Festival stepped over
//   hotline calendar between 2025-09-30 2025-10-10
//   hotline calendar holidays 2026 --all
//   hotline calendar notice 2027.txt --output notices/2027.csv
//   hotline calendar --notices notices add 2027-01-29 2   # with next year's notice loaded
//
// The calendar is calendar::china() with, in this order, the notices of --notices,
// the --overlay files (organisation layer), the --region's days; dates beyond the
// data are errors unless --statutory-beyond-data or --weekends-beyond-data.
#include "cli_common.hpp"

#include <hotline/calendar.hpp>
#include <hotline/calendar_overlay.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

namespace hotline::cli {

namespace {

struct calendar_opts {
  std::string notices;
  std::vector<std::string> overlays;
  std::string region;
  bool statutory = false, weekends = false;
};

calendar build(const calendar_opts& o) {
  calendar cal = calendar::china({.weekends_beyond_data = o.weekends, .statutory_beyond_data = o.statutory});
  if (!o.notices.empty()) cal = cal.with_notices(o.notices);
  for (const auto& f : o.overlays) {
    const auto ext = std::filesystem::path(f).extension().string();
    cal = cal.with(ext == ".ics" ? calendar_overlay::from_ics_file(f, calendar_layer::organisation)
                                 : calendar_overlay::from_csv_file(f, calendar_layer::organisation));
  }
  if (!o.region.empty()) cal = cal.with_region(o.region);
  return cal;
}

json day_json(const calendar& cal, day d) {
  json j{{"date", format_day(d)}, {"workday", cal.is_workday(d)}, {"kind", std::string(to_string(cal.kind(d)))}};
  if (const auto n = cal.holiday_name(d)) j["name_zh"] = std::string(*n);
  if (const auto n = cal.holiday_name(d, true)) j["name_en"] = std::string(*n);
  j["layer"] = std::string(to_string(cal.layer(d)));
  if (cal.is_provisional(d)) j["provisional"] = true;
  return j;
}

std::string day_text(const calendar& cal, day d) {
  std::string s =
      format_day(d) + "  " + (cal.is_workday(d) ? "workday" : "day off") + "  " + std::string(to_string(cal.kind(d)));
  if (const auto n = cal.holiday_name(d)) {
    s += "  " + std::string(*n);
    if (const auto en = cal.holiday_name(d, true); en && !en->empty()) s += " (" + std::string(*en) + ")";
  }
  if (cal.is_provisional(d)) s += "  [provisional: " + cal.assumptions(d, d) + "]";
  return s;
}

json special_json(const special_day& s) {
  return json{{"date", format_day(s.date)},
              {"kind", std::string(to_string(s.kind))},
              {"name_zh", s.name_zh},
              {"name_en", s.name_en},
              {"layer", std::string(to_string(s.layer))}};
}

}  // namespace

void add_calendar(CLI::App& app, context& ctx) {
  auto* g = app.add_subcommand("calendar", "Working days: is-workday, add, between, holidays, notice");
  auto o = std::make_shared<calendar_opts>();
  g->add_option("--notices", o->notices, "A folder of holiday notices (*.txt as published, *.csv overlays)")
      ->check(CLI::ExistingDirectory);
  g->add_option("--overlay", o->overlays, "An organisation overlay (.csv or .ics): closures, extra working days");
  g->add_option("--region", o->region, "A region's own days, e.g. guangxi (壮族三月三)");
  g->add_flag("--statutory-beyond-data", o->statutory,
              "Beyond the data, the statutory days of the 放假办法 (provisional)");
  g->add_flag("--weekends-beyond-data", o->weekends, "Beyond the data, the plain Monday-Friday rule");

  {
    auto* c = g->add_subcommand("is-workday", "Whether each date is a working day, its kind and holiday name");
    auto dates = std::make_shared<std::vector<std::string>>();
    c->add_option("dates", *dates, "Dates YYYY-MM-DD")->required()->check(date_arg());
    c->callback([&ctx, o, dates] {
      ctx.action = [&ctx, o, dates] {
        const auto cal = build(*o);
        json arr = json::array();
        for (const auto& s : *dates) {
          const day d = to_day(s);
          if (ctx.json)
            arr.push_back(day_json(cal, d));
          else
            print_line(day_text(cal, d));
        }
        if (ctx.json) print_json(arr);
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("add", "The N-th working day after DATE (N < 0: before; 000 art. 12 counting)");
    auto date = std::make_shared<std::string>();
    auto n = std::make_shared<std::int64_t>(0);
    c->add_option("date", *date, "Date YYYY-MM-DD")->required()->check(date_arg());
    c->add_option("n", *n, "Working days (negative: before)")->required();
    c->callback([&ctx, o, date, n] {
      ctx.action = [&ctx, o, date, n] {
        const auto cal = build(*o);
        const day d = to_day(*date);
        const day r = cal.add_workdays(d, *n);
        const auto assumed = cal.assumptions(std::min(d, r), std::max(d, r));
        if (ctx.json) {
          json j{{"date", format_day(d)}, {"n", *n}, {"result", format_day(r)}};
          if (!assumed.empty()) j["assumptions"] = assumed;
          print_json(j);
        } else {
          print_line(format_day(r));
          if (!assumed.empty()) std::fprintf(stderr, "hotline: note: %s\n", assumed.c_str());
        }
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("between", "Working days in (FROM, TO]: after FROM, up to and including TO");
    auto a = std::make_shared<std::string>(), b = std::make_shared<std::string>();
    c->add_option("from", *a, "Date YYYY-MM-DD")->required()->check(date_arg());
    c->add_option("to", *b, "Date YYYY-MM-DD")->required()->check(date_arg());
    c->callback([&ctx, o, a, b] {
      ctx.action = [&ctx, o, a, b] {
        const auto cal = build(*o);
        const auto n = cal.workdays_between(to_day(*a), to_day(*b));
        if (ctx.json)
          print_json(json{{"from", *a}, {"to", *b}, {"workdays", n}});
        else
          print_line(std::to_string(n));
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("holidays", "The holidays of a year (--all: the adjusted working days too)");
    auto year = std::make_shared<int>(0);
    auto all = std::make_shared<bool>(false);
    c->add_option("year", *year, "Year, e.g. 2026")->required()->check(CLI::Range(1900, 2200));
    c->add_flag("--all", *all, "Include the adjusted working days (调休)");
    c->callback([&ctx, o, year, all] {
      ctx.action = [&ctx, o, year, all] {
        const auto cal = build(*o);
        const auto days = *all ? cal.special_days(make_day(*year, 1, 1), make_day(*year, 12, 31)) : cal.holidays(*year);
        json arr = json::array();
        for (const auto& s : days) {
          if (ctx.json) {
            arr.push_back(special_json(s));
          } else {
            std::string line = format_day(s.date) + "  " + std::string(to_string(s.kind)) + "  " + s.name_zh;
            if (!s.name_en.empty()) line += " (" + s.name_en + ")";
            if (s.layer == calendar_layer::statutory) line += "  [provisional]";
            print_line(line);
          }
        }
        if (ctx.json)
          print_json(json{{"year", *year}, {"basis", std::string(to_string(cal.basis(*year)))}, {"days", arr}});
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("notice",
                                "Read a State Council holiday notice as published; print its days "
                                "(--output: write the overlay CSV for a --notices folder)");
    auto file = std::make_shared<std::string>(), out = std::make_shared<std::string>();
    auto year = std::make_shared<int>(0);
    c->add_option("file", *file, "The notice's text (UTF-8)")->required();
    c->add_option("--year", *year, "The year it arranges (read from the text when omitted)");
    c->add_option("-o,--output", *out, "Write the overlay CSV here (with '# covers: YEAR')");
    c->callback([&ctx, file, out, year] {
      ctx.action = [&ctx, file, out, year] {
        const auto ov = calendar_overlay::from_notice_file(*file, *year ? std::optional<int>(*year) : std::nullopt);
        if (ctx.json) {
          json arr = json::array();
          for (const auto& e : ov.entries())
            arr.push_back(json{
                {"date", format_day(e.date)}, {"day_off", e.day_off}, {"name_zh", e.name_zh}, {"name_en", e.name_en}});
          print_json(json{
              {"source", ov.source()}, {"covers", json::array({ov.covers_first(), ov.covers_last()})}, {"days", arr}});
        } else {
          for (const auto& e : ov.entries()) {
            const date::weekday wd{e.date};
            static constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
            print_line(format_day(e.date) + " " + names[wd.c_encoding()] + "  " + (e.day_off ? "day off" : "workday") +
                       "  " + e.name_zh);
          }
        }
        if (!out->empty()) {
          std::ofstream f(*out, std::ios::binary);
          if (!f) throw error(errc::io_error, *out + ": cannot open for writing");
          f << ov.to_csv();
          if (!f) throw error(errc::io_error, *out + ": write failed");
          std::fprintf(stderr, "hotline: wrote %s\n", out->c_str());
        }
        return exit_ok;
      };
    });
  }
}

}  // namespace hotline::cli
