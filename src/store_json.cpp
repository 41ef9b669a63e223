// The work-order store's values as JSON and records from JSON (store_json.hpp), shared by
// the command line and the C ABI.
#include "store_json.hpp"

#include "hotline/detail/utf8.hpp"
#include "hotline/sla_policy.hpp"
#include "hotline/work_order_deadlines.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace hotline::detail {

namespace {

using json = nlohmann::ordered_json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string opt_instant(const std::optional<instant>& t) { return t ? format_instant(*t) : std::string(); }

std::size_t line_of(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

json parse(std::string_view text, std::string_view argument) {
  check_utf8_argument(text, argument);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (const auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    const std::size_t byte = e.byte == 0 ? 0 : e.byte - 1;
    throw parse_error(std::string(argument), line_of(text, byte),
                      "malformed JSON at byte " + std::to_string(byte) + ": " + what);
  }
}

text_fields fields_of(const json& obj, std::string_view argument, const std::string& prefix) {
  if (!obj.is_object()) throw parse_error(std::string(argument), 0, prefix + "expected a JSON object");
  text_fields out;
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();
    const json& v = item.value();
    const auto fail = [&](const std::string& what) {
      throw parse_error(std::string(argument), 0, prefix + key + ": " + what);
    };
    if (key == "amend" && v.is_object()) {  // {"amend": {"content": "..."}} = amend.content
      for (const auto& [k, x] : v.items()) {
        if (!x.is_string()) fail(k + ": expected a string");
        out.emplace_back("amend." + k, x.get<std::string>());
      }
      continue;
    }
    std::string text;
    if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_boolean()) {
      text = v.get<bool>() ? "1" : "0";
    } else if (v.is_null()) {
    } else if (v.is_number()) {
      text = v.dump();
    } else if (v.is_array()) {
      for (const auto& x : v) {
        if (!x.is_string()) fail("expected a string or an array of strings");
        if (!text.empty()) text += list_separator(key);
        text += x.get<std::string>();
      }
    } else {
      fail("expected a string, number, boolean or array of strings, found an object");
    }
    if (text.find('\0') != std::string::npos) fail("contains a NUL byte");
    out.emplace_back(key, std::move(text));
  }
  return out;
}

// The clocks' own fields ("reply_due", ...) are shown under "clocks", as instants.
bool clock_field(std::string_view name) {
  for (std::size_t k = 0; k < clock_count; ++k) {
    const auto c = to_string(static_cast<clock_kind>(k));
    if (name.size() > c.size() && name.starts_with(c) && name[c.size()] == '_') {
      const auto rest = name.substr(c.size() + 1);
      if (rest == "outcome" || rest == "start" || rest == "due" || rest == "warn" || rest == "stopped") return true;
    }
  }
  return false;
}

json order_value(const work_order& w) {
  json j{{"number", w.number}, {"state", std::string(to_string(w.state))}, {"version", w.version}};
  for (const auto& name : work_order_field_names()) {
    if (name == "number" || clock_field(name)) continue;
    if (const auto v = get_field(w, name)) {
      // Instants are ISO-8601 in Beijing time, not the events' decimal seconds.
      if (name == "received_at")
        j[name] = format_instant(w.received_at);
      else if (name == "dispatched_at")
        j[name] = opt_instant(w.dispatched_at);
      else if (name == "signed_at")
        j[name] = opt_instant(w.signed_at);
      else if (name == "replied_at")
        j[name] = opt_instant(w.replied_at);
      else if (name == "called_back_at")
        j[name] = opt_instant(w.called_back_at);
      else
        j[name] = *v;
    }
  }
  json clocks = json::object();
  for (std::size_t k = 0; k < clock_count; ++k) {
    const auto& c = w.clocks[k];
    clocks[std::string(to_string(static_cast<clock_kind>(k)))] = json{{"outcome", std::string(to_string(c.outcome))},
                                                                      {"start", opt_instant(c.start)},
                                                                      {"due", opt_instant(c.due)},
                                                                      {"warn", opt_instant(c.warn)},
                                                                      {"stopped", opt_instant(c.stopped)}};
  }
  j["clocks"] = clocks;
  return j;
}

json event_value(const event& e) {
  json changes = json::array();
  for (const auto& c : e.changes) changes.push_back(json{{"field", c.field}, {"before", c.before}, {"after", c.after}});
  return json{{"id", e.id},
              {"order", e.order},
              {"seq", e.seq},
              {"action", std::string(to_string(e.action))},
              {"at", format_instant(e.at)},
              {"recorded_at", format_instant(e.recorded_at)},
              {"actor", e.actor},
              {"role", std::string(to_string(e.role))},
              {"unit", e.unit},
              {"state_before", e.state_before ? std::string(to_string(*e.state_before)) : std::string()},
              {"state_after", std::string(to_string(e.state_after))},
              {"changes", changes},
              {"comment", e.comment},
              {"hash", e.hash}};
}

}  // namespace

void check_utf8_argument(std::string_view text, std::string_view argument) {
  if (const auto off = invalid_utf8_offset(text); off != std::string_view::npos)
    throw invalid_argument_error(std::string(argument) + ": not valid UTF-8 at byte " + std::to_string(off));
  if (text.find('\0') != std::string_view::npos)
    throw invalid_argument_error(std::string(argument) + ": contains a NUL byte");
}

text_fields json_object_fields(std::string_view text, std::string_view argument) {
  return fields_of(parse(text, argument), argument, "");
}

std::vector<text_fields> json_array_fields(std::string_view text, std::string_view argument) {
  const json doc = parse(text, argument);
  if (!doc.is_array()) throw parse_error(std::string(argument), 0, "expected a JSON array of objects");
  std::vector<text_fields> out;
  out.reserve(doc.size());
  for (std::size_t i = 0; i < doc.size(); ++i)
    out.push_back(fields_of(doc[i], argument, "[" + std::to_string(i) + "]."));
  return out;
}

// ---- values out -----------------------------------------------------------------------

std::string order_json(const work_order& w) { return dump(order_value(w)); }

std::string orders_json(const std::vector<work_order>& orders) {
  json arr = json::array();
  for (const auto& w : orders) arr.push_back(order_value(w));
  return dump(json{{"orders", std::move(arr)}, {"count", orders.size()}});
}

std::string event_json(const event& e) { return dump(event_value(e)); }

std::string events_json(std::string_view number, const std::vector<event>& events) {
  json arr = json::array();
  for (const auto& e : events) arr.push_back(event_value(e));
  return dump(json{{"order", std::string(number)}, {"events", std::move(arr)}});
}

std::string chain_json(const chain_report& r) {
  json j{{"ok", r.ok}, {"events_checked", r.events_checked}};
  if (r.first_broken) j["first_broken"] = *r.first_broken;
  if (!r.reason.empty()) j["reason"] = r.reason;
  j["heads_checked"] = r.heads_checked;
  j["signed_through"] = r.signed_through;
  return dump(j);
}

std::string receipt_json(const head_receipt& r) {
  return dump(json{{"event_count", r.event_count},
                   {"head_hash", to_hex(r.head_hash)},
                   {"signed_at", format_instant(r.signed_at)},
                   {"key_id", r.key_id},
                   {"signed", r.is_signed()},
                   {"receipt", to_string(r)}});
}

std::string units_json(const std::vector<unit>& units) {
  json arr = json::array();
  for (const auto& u : units) {
    json covers = json::array();
    for (const auto& c : u.covers)
      covers.push_back(c.sub_district.empty() ? c.district : c.district + "/" + c.sub_district);
    arr.push_back(json{{"code", u.code},
                       {"name", u.name},
                       {"kind", std::string(to_string(u.kind))},
                       {"parent", u.parent},
                       {"covers", std::move(covers)},
                       {"topics", u.topics},
                       {"active", u.active}});
  }
  return dump(arr);
}

std::string liaisons_json(const std::vector<liaison>& liaisons) {
  json arr = json::array();
  for (const auto& l : liaisons)
    arr.push_back(json{{"unit", l.unit},
                       {"slot", l.slot},
                       {"name", l.name},
                       {"title", l.title},
                       {"department", l.department},
                       {"office_phone", l.office_phone},
                       {"mobile", l.mobile},
                       {"email", l.email},
                       {"valid_from", format_instant(l.valid_from)},
                       {"valid_to", opt_instant(l.valid_to)},
                       {"reported_by", l.reported_by}});
  return dump(arr);
}

std::string call_import_json(const call_import& r) {
  return dump(json{{"added", r.added}, {"already_stored", r.already_stored}, {"warnings", r.warnings}});
}

// ---- the store from JSON ------------------------------------------------------------------

store_options store_options_from_json(std::string_view text, std::string_view argument, bool& must_exist) {
  const json doc = parse(text, argument);
  if (!doc.is_object()) throw parse_error(std::string(argument), 0, "expected a JSON object");
  store_options o;
  must_exist = false;
  const auto fail = [&](const std::string& key, const std::string& what) {
    throw invalid_argument_error(std::string(argument) + ": " + key + ": " + what);
  };
  const auto integer = [&](const std::string& key, const json& v, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
      fail(key, "expected an integer " + std::to_string(lo) + ".." + std::to_string(hi));
    return v.get<std::int64_t>();
  };
  const auto flag = [&](const std::string& key, const json& v) {
    if (!v.is_boolean()) fail(key, "expected true or false");
    return v.get<bool>();
  };
  const auto text_of = [&](const std::string& key, const json& v) {
    if (!v.is_string()) fail(key, "expected a string");
    return v.get<std::string>();
  };
  for (const auto& [key, v] : doc.items()) {
    if (key == "busy_timeout_ms")
      o.busy_timeout_ms = static_cast<int>(integer(key, v, 0, INT32_MAX));
    else if (key == "read_only")
      o.read_only = flag(key, v);
    else if (key == "cache_kib")
      o.cache_kib = static_cast<int>(integer(key, v, 0, INT32_MAX));
    else if (key == "page_size")
      o.page_size = static_cast<int>(integer(key, v, 0, 65536));
    else if (key == "mmap_bytes")
      o.mmap_bytes = integer(key, v, 0, INT64_MAX);
    else if (key == "sign_every_events")
      o.sign_every_events = integer(key, v, 1, INT64_MAX);
    else if (key == "must_exist")
      must_exist = flag(key, v);
    else if (key == "sla_preset")
      o.deadlines = std::make_shared<sla_deadlines>(sla_policy::preset(text_of(key, v)));
    else if (key == "key_file")
      o.signer = head_signer::from_key(read_key_file(text_of(key, v)));
    else
      fail(key,
           "unknown option (known: busy_timeout_ms, read_only, cache_kib, page_size, mmap_bytes, sla_preset, "
           "key_file, sign_every_events, must_exist)");
  }
  return o;
}

std::string import_json(store& db, std::string_view text, std::string_view argument) {
  const auto records = json_array_fields(text, argument);
  // Everything is read and checked before the store is touched.
  struct item {
    bool is_action = false;
    order_intake order;
    action_record act;
  };
  std::vector<item> items(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const record_origin at{std::string(argument), 0, "[" + std::to_string(i) + "].", false};
    const bool is_action = !field_text(records[i], "action").empty();
    check_fields(records[i], is_action ? record_kind::action : record_kind::order, at);
    items[i].is_action = is_action;
    if (is_action)
      items[i].act = action_from_fields(records[i], at);
    else
      items[i].order = order_from_fields(records[i], at);
  }
  json numbers = json::array();
  std::size_t created = 0, applied = 0;
  auto b = db.begin_batch();
  for (std::size_t i = 0; i < items.size(); ++i) {
    try {
      if (items[i].is_action) {
        (void)db.apply(items[i].act.number, items[i].act.c);
        ++applied;
      } else {
        numbers.push_back(db.create(items[i].order.order, items[i].order.by, items[i].order.draft).number);
        ++created;
      }
    } catch (const error& e) {
      rethrow_at(e, std::string(argument) + "[" + std::to_string(i) + "]: ");  // sla_policy.hpp; the batch rolls back
    }
  }
  b.commit();
  return dump(json{{"created", created}, {"applied", applied}, {"numbers", std::move(numbers)}});
}

}  // namespace hotline::detail
