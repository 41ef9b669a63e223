// The C ABI for SLA policies: presets and JSON policies, due dates, deadlines
// with their explanation, clock evaluation over an event history.
#include "c_common.hpp"
#include "c_handles.hpp"
#include "c_json.hpp"
#include "../results_json.hpp"
#include "hotline/sla_policy.hpp"

#include <optional>
#include <string>
#include <vector>

struct hotline_sla_policy {
  hotline::sla_policy p;
};

using hotline::c_api::guard;
using hotline::c_api::jnode;
using hotline::c_api::json;
using hotline::detail::deadline_json;

namespace {

using namespace hotline;

/// The policy to count with: the handle's, or the same rules on `cal`.
const sla_policy& counted_on(const hotline_sla_policy* policy, const hotline_calendar* cal,
                             std::optional<sla_policy>& keep) {
  if (!cal) return policy->p;
  keep.emplace(policy->p.with_calendar(cal->cal));
  return *keep;
}

order_attributes attributes(const jnode& n) {
  n.expect_object({"request_type", "complexity", "urgency", "channel", "service_line"});
  order_attributes a;
  a.type = n.need("request_type").name(parse_request_type);
  if (n.has("complexity")) a.complexity = n["complexity"].name(parse_complexity);
  if (n.has("urgency")) a.urgency = n["urgency"].name(parse_urgency);
  if (n.has("channel")) a.channel = n["channel"].name(parse_channel);
  if (n.has("service_line")) a.service_line = n["service_line"].str();
  return a;
}

order_attributes attributes_arg(const char* order_json) {
  const json j = c_api::json_arg(order_json, "order_json");
  return attributes(jnode{j, "order_json"});
}

std::string clock_arg(const char* clock) { return clock ? std::string(c_api::text_arg(clock, "clock")) : std::string(); }


json status_json(const clock_spec& spec, const clock_status& s, const staffed_hours& hours) {
  return json{{"state", std::string(to_string(s.state))},
              {"warned", s.warned},
              {"start", format_instant(s.start)},
              {"counting_start", format_instant(s.counting_start)},
              {"due", format_instant(s.due)},
              {"stopped", c_api::optional_instant(s.stopped)},
              {"warning", c_api::optional_instant(s.warning)},
              {"unit", std::string(to_string(s.unit))},
              {"unit_seconds", unit_seconds(s.unit)},
              {"target", s.target},
              {"elapsed", s.elapsed},
              {"remaining", s.remaining},
              {"paused", s.paused},
              {"overdue", s.overdue},
              {"late_by_seconds", s.late_by.count()},
              {"extensions", s.extensions},
              {"extension_count", s.extension_count},
              {"ignored_pauses", s.ignored_pauses},
              {"explanation", explain(spec, s, hours)}};
}

std::vector<clock_event> events_of(const jnode& list) {
  if (!list.v.is_array()) list.fail("expected an array of events");
  std::vector<clock_event> out;
  for (std::size_t i = 0; i < list.v.size(); ++i) {
    const jnode e = list.at(i);
    e.expect_object({"kind", "at", "reason", "amount"});
    clock_event ev;
    ev.kind = e.need("kind").name(parse_clock_event_kind);
    ev.at = e.need("at").when();
    if (e.has("reason")) {
      if (ev.kind != clock_event_kind::pause) e["reason"].fail("only a pause has a reason");
      ev.reason = e["reason"].name(parse_pause_reason);
    }
    if (e.has("amount")) {
      if (ev.kind != clock_event_kind::extend) e["amount"].fail("only an extension has an amount");
      ev.amount = static_cast<std::int32_t>(e["amount"].integer(INT32_MIN, INT32_MAX));
    } else if (ev.kind == clock_event_kind::extend) {
      e.fail("an extension needs an amount (target units)");
    }
    out.push_back(ev);
  }
  return out;
}

}  // namespace

extern "C" {

hotline_status hotline_sla_policy_new_preset(hotline_sla_policy** out, const char* name) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && name, "out and name must not be NULL");
    *out = new hotline_sla_policy{sla_policy::preset(c_api::text_arg(name, "name"))};
  });
}

hotline_status hotline_sla_policy_from_json(hotline_sla_policy** out, const char* policy_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && policy_json, "out and policy_json must not be NULL");
    *out = new hotline_sla_policy{sla_policy::from_json(c_api::text_arg(policy_json, "policy_json"), "policy_json")};
  });
}

hotline_status hotline_sla_policy_from_json_file(hotline_sla_policy** out, const char* path) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && path, "out and path must not be NULL");
    *out = new hotline_sla_policy{sla_policy::from_json_file(std::string(c_api::text_arg(path, "path")))};
  });
}

hotline_status hotline_sla_policy_with_calendar(hotline_sla_policy** out, const hotline_sla_policy* policy,
                                                const hotline_calendar* cal) {
  return guard([&] {
    // No null_out first: `out` may be the address of `policy` itself (a host replacing
    // its handle), which must still be read; a failure leaves *out as it was.
    HOTLINE_C_REQUIRE(out && policy && cal, "out, policy and cal must not be NULL");
    *out = new hotline_sla_policy{policy->p.with_calendar(cal->cal)};
  });
}

void hotline_sla_policy_free(hotline_sla_policy* policy) { delete policy; }

hotline_status hotline_sla_policy_to_json(char** out, const hotline_sla_policy* policy) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && policy, "out and policy must not be NULL");
    c_api::set_text(out, policy->p.to_json());
  });
}

hotline_status hotline_sla_policy_preset_names(char** out) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out, "out must not be NULL");
    c_api::set_text(out, c_api::dump(json(sla_policy::preset_names())));
  });
}

hotline_status hotline_sla_policy_due(char** out_due, int64_t* out_last_day, const hotline_sla_policy* policy,
                                      const hotline_calendar* cal, const char* order_json, const char* start,
                                      const char* clock) {
  return guard([&] {
    c_api::null_out(out_due);
    HOTLINE_C_REQUIRE(out_due || out_last_day, "out_due and out_last_day are both NULL");
    HOTLINE_C_REQUIRE(policy && order_json && start, "policy, order_json and start must not be NULL");
    std::optional<sla_policy> keep;
    const auto& p = counted_on(policy, cal, keep);
    const auto d = p.due(attributes_arg(order_json), c_api::instant_arg(start, "start"), clock_arg(clock));
    // The text first: if it cannot be allocated nothing has been written.
    if (out_due) c_api::set_text(out_due, format_instant(d.due));
    if (out_last_day) *out_last_day = day_number(d.last_day);
  });
}

hotline_status hotline_sla_policy_deadline(char** out, const hotline_sla_policy* policy, const hotline_calendar* cal,
                                           const char* order_json, const char* start, const char* clock) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && policy && order_json && start, "out, policy, order_json and start must not be NULL");
    std::optional<sla_policy> keep;
    const auto& p = counted_on(policy, cal, keep);
    const auto d = p.due(attributes_arg(order_json), c_api::instant_arg(start, "start"), clock_arg(clock));
    c_api::set_text(out, c_api::dump(deadline_json(d)));
  });
}

hotline_status hotline_sla_policy_evaluate(char** out, const hotline_sla_policy* policy, const hotline_calendar* cal,
                                           const char* input_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && policy && input_json, "out, policy and input_json must not be NULL");
    const json j = c_api::json_arg(input_json, "input_json");
    const jnode in{j, "input_json"};
    in.expect_object({"order", "clock", "as_of", "events"});
    const auto attrs = attributes(in.need("order"));
    const std::string clock = in.has("clock") ? in["clock"].str() : std::string();
    const instant as_of = in.need("as_of").when();
    const auto events = events_of(in.need("events"));
    std::optional<sla_policy> keep;
    const auto& p = counted_on(policy, cal, keep);
    const clock_spec& spec = p.rule_for(attrs).clock(clock);
    const auto cycles = evaluate_cycles(spec, p.hours(), events, as_of);
    if (cycles.empty()) throw invalid_argument_error("the clock has not started as of " + format_instant(as_of));
    json all = json::array();
    for (const auto& c : cycles) all.push_back(status_json(spec, c, p.hours()));
    json doc = all.back();
    doc["cycles"] = std::move(all);
    c_api::set_text(out, c_api::dump(doc));
  });
}

}  // extern "C"
