// src/cli/cli_sla.cpp: `hotline sla` -- when an order falls due, and why.
//
//   hotline sla due --type consultation --received 2025-09-30T15:00      # 2025-10-11T00:00:00+08:00
//   hotline sla explain --policy tianjin-12320 --type complaint --received 2026-03-02 --clock transfer
//   hotline sla presets
//
// --policy is a preset name (default guangzhou-family-doctor) or a JSON policy file
// (docs/sla.md); --notices and --region change the calendar it counts on.
#include "cli_common.hpp"
#include "../results_json.hpp"

#include <hotline/calendar.hpp>
#include <hotline/sla_policy.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace hotline::cli {

using detail::deadline_json;

namespace {

struct sla_opts {
  std::string policy = "guangzhou-family-doctor";
  std::string notices;
  std::string region;
};

struct due_opts {
  std::string type;
  std::string received;
  bool complex = false, urgent = false;
  std::string line, channel, clock;
};

sla_policy load_policy(const sla_opts& o) {
  const bool is_file = o.policy.ends_with(".json") || std::filesystem::exists(o.policy);
  sla_policy p = is_file ? sla_policy::from_json_file(o.policy) : sla_policy::preset(o.policy);
  if (!o.notices.empty() || !o.region.empty()) {
    calendar cal = p.workdays();
    if (!o.notices.empty()) cal = cal.with_notices(o.notices);
    if (!o.region.empty()) cal = cal.with_region(o.region);
    p = p.with_calendar(cal);
  }
  return p;
}

deadline compute(const sla_opts& so, const due_opts& d) {
  const auto p = load_policy(so);
  order_attributes a;
  a.type = parse_request_type(d.type);
  a.complexity = d.complex ? complexity::complex : complexity::simple;
  a.urgency = d.urgent ? urgency::urgent : urgency::normal;
  if (!d.channel.empty()) a.channel = parse_channel(d.channel);
  a.service_line = d.line;
  return p.due(a, to_instant(d.received), d.clock);
}


CLI::Validator request_type_arg() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        try {
          (void)parse_request_type(s);
          return {};
        } catch (const error& e) {
          return e.what();
        }
      },
      "TYPE");
}

CLI::Validator channel_arg() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        try {
          (void)parse_channel(s);
          return {};
        } catch (const error& e) {
          return e.what();
        }
      },
      "CHANNEL");
}

CLI::Validator policy_arg() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.ends_with(".json") || std::filesystem::exists(s)) return {};
        const auto names = sla_policy::preset_names();
        if (std::find(names.begin(), names.end(), s) != names.end()) return {};
        std::string have;
        for (const auto& n : names) have += (have.empty() ? "" : ", ") + n;
        return "'" + s + "' is neither a JSON policy file nor a preset (" + have + ")";
      },
      "POLICY");
}

void add_due_options(CLI::App* c, due_opts& d) {
  c->add_option("-t,--type", d.type,
                "Request type: consultation, complaint, report, help_request, praise, "
                "suggestion, other (or 咨询, 投诉, ...)")
      ->required()
      ->check(request_type_arg());
  c->add_option("-r,--received", d.received,
                "When the clock starts: YYYY-MM-DDTHH:MM[:SS][+08:00] (Beijing time without an offset), a date "
                "(00:00), or now")
      ->required()
      ->check(instant_arg());
  c->add_flag("--complex", d.complex, "A complex request (001 §3.4: 30 working days)");
  c->add_flag("--urgent", d.urgent, "An urgent order");
  c->add_option("--line", d.line, "Service line, e.g. family_doctor");
  c->add_option("--channel", d.channel, "phone, wechat, online, voice")->check(channel_arg());
  c->add_option("--clock", d.clock, "The rule's clock (default: its primary clock), e.g. transfer, reply");
}

}  // namespace

void add_sla(CLI::App& app, context& ctx) {
  auto* g = app.add_subcommand("sla", "SLA deadlines: due, explain, presets");
  auto o = std::make_shared<sla_opts>();
  g->add_option("-p,--policy", o->policy, "A preset name or a JSON policy file (default guangzhou-family-doctor)")
      ->check(policy_arg());
  g->add_option("--notices", o->notices, "A folder of holiday notices for the policy's calendar")
      ->check(CLI::ExistingDirectory);
  g->add_option("--region", o->region, "A region's own days on the policy's calendar, e.g. guangxi");

  {
    auto* c = g->add_subcommand("due", "When a clock started at --received falls due");
    auto d = std::make_shared<due_opts>();
    add_due_options(c, *d);
    c->callback([&ctx, o, d] {
      ctx.action = [&ctx, o, d] {
        const auto dl = compute(*o, *d);
        if (ctx.json) {
          print_json(deadline_json(dl));
        } else {
          print_line(format_instant(dl.due));
          if (!dl.calendar_assumptions.empty())
            std::fprintf(stderr, "hotline: note: %s\n", dl.calendar_assumptions.c_str());
        }
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("explain", "Which rule, how counted, which holidays stepped over, when due");
    auto d = std::make_shared<due_opts>();
    add_due_options(c, *d);
    c->callback([&ctx, o, d] {
      ctx.action = [&ctx, o, d] {
        const auto dl = compute(*o, *d);
        if (ctx.json)
          print_json(deadline_json(dl));
        else
          print_line(dl.explain());
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("presets", "The built-in policies and their rules");
    c->callback([&ctx] {
      ctx.action = [&ctx] {
        json arr = json::array();
        for (const auto& name : sla_policy::preset_names()) {
          const auto p = sla_policy::preset(name);
          json rules = json::array();
          for (const auto& r : p.rules()) {
            json clocks = json::array();
            for (const auto& c2 : r.clocks)
              clocks.push_back(json{
                  {"name", c2.name}, {"amount", c2.target.amount}, {"unit", std::string(to_string(c2.target.unit))}});
            rules.push_back(json{{"name", r.name}, {"cite", r.cite}, {"clocks", clocks}});
          }
          if (ctx.json) {
            arr.push_back(json{{"name", name}, {"rules", rules}});
          } else {
            print_line(name);
            for (const auto& r : rules) {
              std::string s = "  " + r["name"].get<std::string>() + ":";
              for (const auto& c2 : r["clocks"])
                s += " " + c2["name"].get<std::string>() + " " + std::to_string(c2["amount"].get<int>()) + " " +
                     c2["unit"].get<std::string>() + ";";
              print_line(s);
            }
          }
        }
        if (ctx.json) print_json(arr);
        return exit_ok;
      };
    });
  }
}

}  // namespace hotline::cli
