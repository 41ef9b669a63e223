// src/cli/main.cpp: the `hotline` command line (docs/cli.md).
//
//   hotline calendar is-workday 2026-02-14
//   hotline sla due --type complaint --received 2025-09-30T15:00
//   hotline store --db hotline.db import orders orders.csv
//   hotline report --db hotline.db monthly 2025-10 --format xlsx --output 2025-10.xlsx
//   hotline --json kb match "家庭医生怎么签约"
//
// Parsing and running are two steps: CLI11 parses (any failure is a usage error,
// exit 2), the chosen verb's callback leaves its action in the context, and the
// action runs under one try block that turns every error into a line on stderr
// and exit 1.  Nothing escapes as an exception: no abort, no core dump.
#include "cli_common.hpp"

#include <hotline/version.hpp>

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <string_view>

namespace {

int run(int argc, char** argv) {
  using namespace hotline::cli;
  CLI::App app{
      "hotline: workday calendars, SLA deadlines, work orders, knowledge matching, reports and "
      "assessment for public-health hotlines (12320).\n"
      "Exit codes: 0 ok, 1 an error in the data, 2 usage.",
      "hotline"};
  app.fallthrough();  // global options (--json) may come after the verb
  app.set_version_flag("--version", std::string(hotline::version_string));
  context ctx;
  app.add_flag("--json", ctx.json, "Machine-readable JSON on stdout");
  add_calendar(app, ctx);
  add_sla(app, ctx);
  add_store(app, ctx);
  add_kb(app, ctx);
  add_report(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "hotline: %s\nRun with --help for more information.\n", e.what());
    return exit_usage;
  }
  if (!ctx.action) {  // a group without its verb: name the verbs it has
    const CLI::App* group = &app;
    while (!group->get_subcommands().empty()) group = group->get_subcommands().front();
    std::string verbs;
    for (const auto* sub : group->get_subcommands({})) verbs += (verbs.empty() ? "" : ", ") + sub->get_name();
    const std::string where = group == &app ? std::string() : group->get_name() + ": ";
    std::fprintf(stderr, "hotline: %sa verb is needed (%s)\nRun with --help for more information.\n", where.c_str(),
                 verbs.c_str());
    return exit_usage;
  }
  try {
    const int rc = ctx.action();
    std::fflush(stdout);
    return rc;
  } catch (const usage_error& e) {
    std::fprintf(stderr, "hotline: %s\nRun with --help for more information.\n", e.what());
    return exit_usage;
  } catch (const hotline::out_of_range_error& e) {
    std::fprintf(stderr, "hotline: %s\n", e.what());
    if (std::string_view(e.what()).find("no calendar data") != std::string_view::npos)
      std::fprintf(stderr,
                   "hotline: on the command line: --notices DIR (the year's notice), --statutory-beyond-data "
                   "or --weekends-beyond-data (calendar verbs); --notices for sla\n");
    return exit_data;
  } catch (const hotline::error& e) {
    std::fprintf(stderr, "hotline: %s\n", e.what());
    return exit_data;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "hotline: out of memory\n");
    return exit_data;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hotline: %s\n", e.what());
    return exit_data;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // from CLI11's set-up or printing: still never an abort
    std::fprintf(stderr, "hotline: %s\n", e.what());
    return 1;
  }
}
