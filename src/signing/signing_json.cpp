// The signing store's calls and reads as JSON (signing_json.hpp), for the C ABI.
#include "signing_json.hpp"

#include "../store_json.hpp"
#include "../store_records.hpp"
#include "registry_impl.hpp"

#include "hotline/masking.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <utility>

namespace hotline::signing::detail {

namespace {

using json = nlohmann::ordered_json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json parse_object(std::string_view text, std::string_view argument) {
  ::hotline::detail::check_utf8_argument(text, argument);
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    // The store's own parser says where: run it for its message (it throws parse_error).
    (void)::hotline::detail::json_object_fields(text, argument);
  }
  if (!j.is_object()) throw parse_error(std::string(argument), 0, "expected a JSON object");
  return j;
}

/// The fields of one JSON object, read by name; every failure an invalid_argument_error
/// naming the argument and the field.  done() refuses fields no one asked for.
class reader {
 public:
  reader(const json& j, std::string_view argument) : j_(j), arg_(argument) {}

  [[noreturn]] void fail(std::string_view key, const std::string& what) const {
    throw invalid_argument_error(std::string(arg_) + ": " + std::string(key) + ": " + what);
  }
  const json* find(std::string_view key) {
    if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) asked_.emplace_back(key);
    const auto it = j_.find(std::string(key));
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  const json& at(std::string_view key) {
    if (const json* v = find(key)) return *v;
    fail(key, "required, and missing");
  }
  std::string text(std::string_view key) {
    const json& v = at(key);
    if (!v.is_string()) fail(key, "expected a string");
    return v.get<std::string>();
  }
  std::string text_or(std::string_view key, std::string dflt = {}) { return find(key) ? text(key) : std::move(dflt); }
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
      fail(key, "expected an integer " + std::to_string(lo) + ".." + std::to_string(hi));
    return v.get<std::int64_t>();
  }
  std::int64_t integer_or(std::string_view key, std::int64_t lo, std::int64_t hi, std::int64_t dflt) {
    return find(key) ? integer(key, lo, hi) : dflt;
  }
  bool flag_or(std::string_view key, bool dflt) {
    const json* v = find(key);
    if (!v) return dflt;
    if (!v->is_boolean()) fail(key, "expected true or false");
    return v->get<bool>();
  }
  day date(std::string_view key) {
    const json& v = at(key);
    if (!v.is_string()) fail(key, "expected a date \"YYYY-MM-DD\"");
    try {
      return ::hotline::detail::day_from_text(v.get<std::string>());
    } catch (const error& e) {
      fail(key, e.what());
    }
  }
  std::optional<day> date_if(std::string_view key) { return find(key) ? std::optional<day>(date(key)) : std::nullopt; }
  std::vector<std::string> texts_or(std::string_view key) {
    const json* v = find(key);
    if (!v) return {};
    if (!v->is_array()) fail(key, "expected an array of strings");
    std::vector<std::string> out;
    for (const auto& x : *v) {
      if (!x.is_string()) fail(key, "expected an array of strings");
      out.push_back(x.get<std::string>());
    }
    return out;
  }
  template <class E>
  E word(std::string_view key) {
    const std::string t = text(key);
    try {
      return parse<E>(t, key);
    } catch (const invalid_argument_error& e) {
      throw invalid_argument_error(std::string(arg_) + ": " + e.what());
    }
  }
  template <class E>
  E word_or(std::string_view key, E dflt) {
    return find(key) ? word<E>(key) : dflt;
  }
  hotline::sex sex_or(std::string_view key) {
    if (!find(key)) return hotline::sex::unknown;
    try {
      return parse_enum<hotline::sex>(text(key));
    } catch (const invalid_argument_error& e) {
      fail(key, e.what());
    }
  }
  /// Every field of the object was asked for.
  void done(std::string_view op) const {
    for (const auto& [k, v] : j_.items())
      if (std::find(asked_.begin(), asked_.end(), k) == asked_.end()) {
        std::string known;
        for (const auto& a : asked_) known.append(known.empty() ? "" : ", ").append(a);
        fail(k, "unknown field for op " + std::string(op) + " (known: " + known + ")");
      }
  }

 private:
  const json& j_;
  std::string_view arg_;
  std::vector<std::string> asked_;
};

std::string opt_day(const std::optional<day>& d) { return d ? format_day(*d) : std::string(); }

std::string hex(const std::array<std::uint8_t, 32>& h) { return ::hotline::to_hex(h); }

json contract_value(const contract& c) {
  return json{{"id", c.id},
              {"resident", c.resident},
              {"team", c.team},
              {"institution", c.institution},
              {"packages", c.packages},
              {"start", format_day(c.start)},
              {"end", format_day(c.end)},
              {"terminated_on", opt_day(c.terminated_on)},
              {"reason", c.reason ? std::string(name(*c.reason)) : std::string()},
              {"renewal_of", c.renewal_of},
              {"channel", std::string(name(c.channel))},
              {"application", c.application},
              {"valid_until", format_day(c.valid_until())}};
}

json service_value(const service_record& s, bool reveal) {
  return json{{"seq", s.seq},
              {"contract", s.contract},
              {"resident", s.resident},
              {"team", s.team},
              {"institution", s.institution},
              {"staff", s.staff},
              {"kind", std::string(name(s.kind))},
              {"on", format_day(s.on)},
              {"months", s.months},
              {"condition", std::string(name(s.condition))},
              {"stable", s.stable},
              {"priority", std::string(name(s.priority))},
              {"counterpart", s.counterpart},
              {"note", reveal ? s.note : mask_text(s.note)},
              {"hash", hex(s.hash)}};
}

sign_request request_of(reader& rd, bool with_resident) {
  sign_request q;
  if (with_resident) q.resident = rd.text("resident");
  q.team = rd.text("team");
  q.packages = rd.texts_or("packages");
  q.start = rd.date("start");
  q.years = static_cast<int>(rd.integer_or("years", 1, 100, 1));
  q.channel = rd.word_or<signing_channel>("channel", signing_channel::in_person);
  q.application = rd.text_or("application");
  q.id = rd.text_or("id");
  return q;
}

using op_fn = std::function<void(signing_store&, reader&, const stamp&, json&, bool)>;

// One entry per signing_store call; the fields as the journal spells them (store_codec.cpp).
const std::pair<std::string_view, op_fn> ops[] = {
    {"add_resident",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       resident r;
       r.id = rd.text("id");
       r.name = rd.text_or("name");
       r.id_number = rd.text_or("id_number");
       r.birth = rd.date_if("birth");
       r.sex = rd.sex_or("sex");
       r.district = rd.text("district");
       r.subdistrict = rd.text_or("subdistrict");
       r.community = rd.text_or("community");
       r.insured = rd.flag_or("insured", true);
       rd.done("add_resident");
       s.add_resident(w, r);
     }},
    {"move_resident",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto id = rd.text("id"), d = rd.text("district"), sd = rd.text_or("subdistrict"),
                  c = rd.text_or("community");
       rd.done("move_resident");
       s.move_resident(w, id, d, sd, c);
     }},
    {"add_attribute",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto id = rd.text("resident");
       const auto a = rd.word<attribute>("attribute");
       const auto from = rd.date("from");
       const auto to = rd.date_if("to");
       rd.done("add_attribute");
       s.add_attribute(w, id, a, from, to);
     }},
    {"end_attribute",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto id = rd.text("resident");
       const auto a = rd.word<attribute>("attribute");
       const auto to = rd.date("to");
       rd.done("end_attribute");
       s.end_attribute(w, id, a, to);
     }},
    {"set_grade",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto id = rd.text("resident");
       const auto g = rd.word<elderly_grade>("grade");
       const auto from = rd.date("from");
       rd.done("set_grade");
       s.set_grade(w, id, g, from);
     }},
    {"join_household",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto h = rd.text("household"), id = rd.text("resident");
       const auto from = rd.date("from");
       rd.done("join_household");
       s.join_household(w, h, id, from);
     }},
    {"leave_household",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto h = rd.text("household"), id = rd.text("resident");
       const auto to = rd.date("to");
       rd.done("leave_household");
       s.leave_household(w, h, id, to);
     }},
    {"add_institution",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       institution i;
       i.code = rd.text("code");
       i.name = rd.text("name");
       i.kind = rd.word_or<institution_kind>("kind", institution_kind::community_health_centre);
       i.district = rd.text("district");
       i.subdistrict = rd.text_or("subdistrict");
       rd.done("add_institution");
       s.add_institution(w, i);
     }},
    {"add_team",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       team t;
       t.code = rd.text("code");
       t.institution = rd.text("institution");
       t.name = rd.text_or("name");
       t.individual = rd.flag_or("individual", false);
       rd.done("add_team");
       s.add_team(w, t);
     }},
    {"add_staff",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       staff_member m;
       m.id = rd.text("id");
       m.name = rd.text_or("name");
       m.institution = rd.text("institution");
       m.qualification = rd.word_or<team_role>("qualification", team_role::family_doctor);
       rd.done("add_staff");
       s.add_staff(w, m);
     }},
    {"join_team",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto t = rd.text("team"), m = rd.text("staff");
       const auto role = rd.word<team_role>("role");
       const auto from = rd.date("from");
       rd.done("join_team");
       s.join_team(w, t, m, role, from);
     }},
    {"leave_team",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       const auto t = rd.text("team"), m = rd.text("staff");
       const auto to = rd.date("to");
       rd.done("leave_team");
       s.leave_team(w, t, m, to);
     }},
    {"add_package",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       package p;
       p.code = rd.text("code");
       p.name = rd.text_or("name");
       p.tier = rd.word_or<package_tier>("tier", package_tier::basic);
       p.items = rd.texts_or("items");
       p.fee_fen = rd.integer_or("fee_fen", 0, INT64_MAX, 0);
       p.insurance_fen = rd.integer_or("insurance_fen", 0, INT64_MAX, 0);
       p.public_health_fen = rd.integer_or("public_health_fen", 0, INT64_MAX, 0);
       p.resident_fen = rd.integer_or("resident_fen", 0, INT64_MAX, 0);
       rd.done("add_package");
       s.add_package(w, p);
     }},
    {"sign",
     [](signing_store& s, reader& rd, const stamp& w, json& out, bool) {
       const auto q = request_of(rd, true);
       rd.done("sign");
       out["contract"] = contract_value(s.sign(w, q));
     }},
    {"sign_household",
     [](signing_store& s, reader& rd, const stamp& w, json& out, bool) {
       const auto h = rd.text("household");
       const auto q = request_of(rd, false);
       rd.done("sign_household");
       json arr = json::array();
       for (const auto& c : s.sign_household(w, h, q)) arr.push_back(contract_value(c));
       out["contracts"] = std::move(arr);
     }},
    {"renew",
     [](signing_store& s, reader& rd, const stamp& w, json& out, bool) {
       const auto c = rd.text("contract");
       const auto years = static_cast<int>(rd.integer("years", 1, 100));
       const auto t = rd.text_or("team");
       auto packages = rd.texts_or("packages");
       rd.done("renew");
       out["contract"] = contract_value(s.renew(w, c, years, t, std::move(packages)));
     }},
    {"terminate",
     [](signing_store& s, reader& rd, const stamp& w, json& out, bool) {
       const auto c = rd.text("contract");
       const auto on = rd.date("on");
       const auto why = rd.word<termination_reason>("reason");
       rd.done("terminate");
       out["contract"] = contract_value(s.terminate(w, c, on, why));
     }},
    {"receive_application",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       application a;
       a.order = rd.text("order");
       a.resident = rd.text("resident");
       a.institution = rd.text("institution");
       a.received = rd.date("received");
       rd.done("receive_application");
       s.receive_application(w, a);
     }},
    {"record_service",
     [](signing_store& s, reader& rd, const stamp& w, json& out, bool reveal) {
       service_record x;
       x.contract = rd.text("contract");
       x.staff = rd.text("staff");
       x.kind = rd.word<service_kind>("kind");
       x.on = rd.date("on");
       x.months = static_cast<int>(rd.integer_or("months", 0, 12, 0));
       x.condition = rd.word_or<attribute>("condition", attribute::hypertension);
       x.stable = rd.flag_or("stable", false);
       x.priority = rd.word_or<referral_priority>("priority", referral_priority::none);
       x.counterpart = rd.text_or("counterpart");
       x.note = rd.text_or("note");
       rd.done("record_service");
       out["service"] = service_value(s.record_service(w, std::move(x)), reveal);
     }},
    {"record_survey",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       survey_answer a;
       a.contract = rd.text("contract");
       a.on = rd.date("on");
       a.reached = rd.flag_or("reached", true);
       a.aware = rd.flag_or("aware", false);
       a.satisfied = rd.flag_or("satisfied", false);
       a.authentic = rd.flag_or("authentic", false);
       rd.done("record_survey");
       s.record_survey(w, a);
     }},
    {"record_slots",
     [](signing_store& s, reader& rd, const stamp& w, json&, bool) {
       specialist_slots x;
       x.hospital = rd.text("hospital");
       x.month = rd.text("month");
       x.total = rd.integer("total", 0, INT64_MAX);
       x.opened_to_teams = rd.integer("opened_to_teams", 0, INT64_MAX);
       rd.done("record_slots");
       s.record_slots(w, x);
     }},
};

json cell_value(const coverage_cell& c) {
  return json{{"population", c.population}, {"signed", c.signed_count}, {"rate", c.rate()}};
}

json row_value(const coverage_row& r) {
  json by = json::object();
  for (std::size_t k = 0; k < key_population_count; ++k)
    by[std::string(name(static_cast<key_population>(k)))] = cell_value(r.by_population[k]);
  return json{{"group", r.group},
              {"district", r.district},
              {"all", cell_value(r.all)},
              {"key", cell_value(r.key)},
              {"by_population", std::move(by)}};
}

json opt_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

signing_store_options signing_options_from_json(std::string_view text, std::string_view argument, policy& p) {
  const json j = parse_object(text, argument);
  reader rd(j, argument);
  signing_store_options o;
  p = policy::guangzhou_2017();
  if (const auto wanted = rd.text_or("policy"); !wanted.empty()) {
    if (wanted == "guangzhou_2017")
      p = policy::guangzhou_2017();
    else if (wanted == "guangxi_2023")
      p = policy::guangxi_2023();
    else
      rd.fail("policy", "unknown policy '" + mask_text(wanted) + "' (one of: guangzhou_2017, guangxi_2023)");
  }
  o.busy_timeout_ms = static_cast<int>(rd.integer_or("busy_timeout_ms", 0, INT32_MAX, o.busy_timeout_ms));
  o.policy_from_file = rd.flag_or("policy_from_file", o.policy_from_file);
  o.read_only = rd.flag_or("read_only", o.read_only);
  o.created_by = rd.text_or("created_by", o.created_by);
  o.cache_kib = static_cast<int>(rd.integer_or("cache_kib", 0, INT32_MAX, o.cache_kib));
  if (const auto key = rd.text_or("key_file"); !key.empty()) o.signer = head_signer::from_key(read_key_file(key));
  o.sign_every_rows = rd.integer_or("sign_every_rows", 1, INT64_MAX, o.sign_every_rows);
  rd.done("open");
  return o;
}

std::string apply_json(signing_store& db, std::string_view text, std::string_view argument, bool reveal) {
  const json j = parse_object(text, argument);
  reader rd(j, argument);
  const std::string op = rd.text("op");
  stamp w;
  w.by = rd.text("by");
  if (const auto at = rd.text_or("at"); !at.empty()) {
    try {
      w.at = ::hotline::detail::instant_from_text(at);
    } catch (const error& e) {
      rd.fail("at", e.what());
    }
  }
  const auto it = std::find_if(std::begin(ops), std::end(ops), [&](const auto& e) { return e.first == op; });
  if (it == std::end(ops)) {
    std::string known;
    for (const auto& e : ops) known.append(known.empty() ? "" : ", ").append(e.first);
    rd.fail("op", "unknown op '" + mask_text(op) + "' (one of: " + known + ")");
  }
  json out{{"op", op}};
  it->second(db, rd, w, out, reveal);
  out["seq"] = db.last_seq();
  return dump(out);
}

std::string resident_json(const registry& r, const std::string& id, bool reveal) {
  const resident x = r.find_resident(id, reveal);
  return dump(json{{"id", x.id},
                   {"name", x.name},
                   {"id_number", x.id_number},
                   {"birth", opt_day(x.birth)},
                   {"sex", std::string(to_string(x.sex))},
                   {"district", x.district},
                   {"subdistrict", x.subdistrict},
                   {"community", x.community},
                   {"insured", x.insured}});
}

std::string contracts_json(const registry& r, const std::string& resident) {
  const auto& p = r.data();
  const auto who = p.resident_of(resident, "resident");
  std::vector<contract> list;
  for (std::int32_t k = p.r_last_contract[who]; k >= 0; k = p.c_prev[static_cast<std::size_t>(k)])
    list.push_back(p.contract_at(static_cast<std::uint32_t>(k)));
  json arr = json::array();
  for (auto c = list.rbegin(); c != list.rend(); ++c) arr.push_back(contract_value(*c));
  return dump(json{{"resident", resident}, {"contracts", std::move(arr)}});
}

std::string coverage_json(const registry& r, day as_of, std::string_view by) {
  static constexpr std::pair<std::string_view, grouping> groupings[] = {{"district", grouping::district},
                                                                        {"subdistrict", grouping::subdistrict},
                                                                        {"community", grouping::community},
                                                                        {"institution", grouping::institution},
                                                                        {"team", grouping::team}};
  const auto g = std::find_if(std::begin(groupings), std::end(groupings), [&](const auto& e) { return e.first == by; });
  if (g == std::end(groupings))
    throw invalid_argument_error("grouping: unknown grouping '" + mask_text(by) +
                                 "' (one of: district, subdistrict, community, institution, team)");
  const auto c = coverage(r, as_of, g->second);
  json rows = json::array();
  for (const auto& row : c.rows) rows.push_back(row_value(row));
  json targets = json::array();
  for (const auto& t : c.targets)
    targets.push_back(json{{"what", t.what},
                           {"rate", t.rate},
                           {"previous_rate", opt_number(t.previous_rate)},
                           {"required", t.required},
                           {"upper", opt_number(t.upper)},
                           {"met", t.met},
                           {"source", t.source}});
  return dump(json{{"as_of", format_day(c.as_of)},
                   {"by", std::string(g->first)},
                   {"rows", std::move(rows)},
                   {"total", row_value(c.total)},
                   {"targets", std::move(targets)}});
}

std::string tables_json(const registry& r, day as_of) {
  json arr = json::array();
  for (const auto& t : signing_tables(r, as_of)) {
    json rows = json::array();
    for (const auto& row : t.rows) {
      json cells = json::array();
      for (const auto& c : row) {
        if (const auto* s = std::get_if<std::string>(&c))
          cells.push_back(*s);
        else
          cells.push_back(std::get<double>(c));
      }
      rows.push_back(std::move(cells));
    }
    arr.push_back(json{{"title", t.title},
                       {"columns", t.columns},
                       {"rows", std::move(rows)},
                       {"percent_columns", t.percent_columns},
                       {"notes", t.notes}});
  }
  return dump(arr);
}

std::string journal_report_json(const journal_report& r) {
  return dump(json{{"ok", r.ok},
                   {"rows", r.rows},
                   {"first_bad_seq", r.first_bad_seq},
                   {"reason", r.reason},
                   {"services", json{{"ok", r.services.ok},
                                     {"services", r.services.services},
                                     {"first_bad_seq", r.services.first_bad_seq},
                                     {"reason", r.services.reason}}},
                   {"heads_checked", r.heads_checked},
                   {"signed_through", r.signed_through}});
}

std::string journal_json(const std::vector<journal_entry>& rows) {
  json arr = json::array();
  for (const auto& e : rows) {
    json payload = json::parse(e.payload, nullptr, false);
    if (payload.is_discarded()) payload = e.payload;
    arr.push_back(json{{"seq", e.seq},
                       {"at", format_instant(e.at)},
                       {"by", e.by},
                       {"op", e.op},
                       {"payload", std::move(payload)},
                       {"hash", e.hash}});
  }
  return dump(arr);
}

}  // namespace hotline::signing::detail
