// Orders, actions, units, calls and liaisons from records of text fields (store_records.hpp):
// the parser the command line's imports and the C ABI share.
#include "store_records.hpp"

#include "hotline/sla_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <span>

namespace hotline::detail {

namespace {

// The fields an order has at intake (hotline::create); the rest follow from actions.
constexpr std::array<std::string_view, 28> order_fields{
    "number",      "call_ref",     "line",      "channel",      "ivr_key",      "received_at",    "agent",
    "caller_name", "caller_sex",   "anonymous", "confidential", "caller_phone", "callback_phone", "caller_id_number",
    "district",    "sub_district", "address",   "request_type", "topic",        "sub_topic",      "complaint_subject",
    "content",     "urgency",      "complex",   "respondent",   "kb_entries",   "feedback_route", "draft"};

constexpr std::array<std::string_view, 25> action_fields{
    "number",     "action",    "at",     "by",         "role",    "by_unit",        "unit",    "co_units",
    "liaison",    "means",     "answer", "kb_entries", "reason",  "extension_days", "finding", "resolved",
    "reply_text", "call_back", "level",  "warning",    "overdue", "target",         "comment", "expected_version",
    "draft"};

constexpr std::array<std::string_view, 9> call_fields{"call_id", "started_at", "answered", "wait_seconds", "agent",
                                                      "ivr_key", "line",       "unit",     "work_order"};

constexpr std::array<std::string_view, 7> unit_fields{"code", "name", "kind", "parent", "covers", "topics", "active"};

constexpr std::array<std::string_view, 10> liaison_fields{
    "unit", "slot", "name", "title", "department", "office_phone", "mobile", "email", "valid_from", "reported_by"};

constexpr std::array<std::string_view, 9> query_fields{"state", "unit", "open", "overdue_as_of", "warned_as_of",
                                                       "phone", "from", "to",   "limit"};

std::span<const std::string_view> names_of(record_kind k) {
  switch (k) {
    case record_kind::order:
      return order_fields;
    case record_kind::action:
      return action_fields;
    case record_kind::call:
      return call_fields;
    case record_kind::unit:
      return unit_fields;
    case record_kind::liaison:
      return liaison_fields;
    case record_kind::query:
      return query_fields;
  }
  return {};
}

const std::string* find(const text_fields& f, std::string_view name) {
  for (const auto& [k, v] : f)
    if (k == name) return &v;
  return nullptr;
}

void require(const text_fields& f, const record_origin& at, std::string_view name) {
  const auto* v = find(f, name);
  if (!v || v->empty()) fail_field(at, name, "required, and missing or empty");
}

// The library's parsers say "field x: ..."; the error already names the field.
std::string without_field_prefix(std::string msg, std::string_view field) {
  const std::string p = "field " + std::string(field) + ": ";
  if (msg.starts_with(p)) msg.erase(0, p.size());
  return msg;
}

template <class T, class F>
T parse_or_fail(const text_fields& f, const record_origin& at, std::string_view field, F&& parse) {
  try {
    return parse(field_text(f, field));
  } catch (const error& e) {
    fail_field(at, field, without_field_prefix(e.what(), field));
  }
}

bool to_bool(const std::string& s) {
  if (s == "1" || s == "true" || s == "yes") return true;
  if (s.empty() || s == "0" || s == "false" || s == "no") return false;
  throw invalid_argument_error("expected 1/0 (or true/false), found '" + s + "'");
}

template <class I>
I to_int(const std::string& s, I lo, I hi) {
  I v{};
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || v < lo || v > hi)
    throw invalid_argument_error("expected an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", found '" +
                                 s + "'");
  return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const auto j = std::min(s.find(sep, i), s.size());
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

template <class E>
E word(const std::string& s) {
  return ::hotline::parse_enum<E>(s);
}

}  // namespace

void fail_field(const record_origin& at, std::string_view field, const std::string& message) {
  std::string reason = at.prefix;
  reason.append(field).append(": ").append(message);
  if (at.as_parse_error) throw parse_error(at.source, at.line, reason);
  throw invalid_argument_error(at.source + ": " + reason);
}

bool is_known_field(record_kind k, std::string_view name) {
  const auto names = names_of(k);
  if (std::find(names.begin(), names.end(), name) != names.end()) return true;
  return k == record_kind::action && name.starts_with("amend.") && name.size() > 6;
}

std::string known_fields_text(record_kind k) {
  std::string s;
  for (auto n : names_of(k)) s.append(s.empty() ? "" : ", ").append(n);
  if (k == record_kind::action) s.append(", amend.<field>");
  return s;
}

void check_fields(const text_fields& f, record_kind k, const record_origin& at) {
  for (const auto& [name, v] : f)
    if (!is_known_field(k, name)) fail_field(at, name, "unknown field (known: " + known_fields_text(k) + ")");
}

std::string field_text(const text_fields& f, std::string_view name) {
  const auto* v = find(f, name);
  return v ? *v : std::string();
}

day day_from_text(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    throw invalid_argument_error("'" + text + "' is not a date YYYY-MM-DD");
  try {
    return parse_day(text);
  } catch (const error&) {
    throw invalid_argument_error("'" + text + "' is not a valid date YYYY-MM-DD");
  }
}

instant instant_from_text(const std::string& text) {
  if (text == "now") return date::floor<seconds>(std::chrono::system_clock::now());
  if (text.size() == 10) return from_local(day_from_text(text), seconds{0});
  std::string t = text;
  if (t.size() > 10 && t[10] == ' ') t[10] = 'T';
  const bool has_offset = t.size() > 16 && (t.back() == 'Z' || t.find('+', 10) != std::string::npos ||
                                            t.find('-', 10) != std::string::npos);
  try {
    if (has_offset) return parse_instant(t);
    // Beijing wall-clock time: read the fields as if UTC, then place them in Asia/Shanghai.
    const instant as_utc = parse_instant(t + "Z");
    return from_local(local_instant{as_utc.time_since_epoch()});
  } catch (const error&) {
    throw invalid_argument_error("'" + text + "' is not an instant (YYYY-MM-DDTHH:MM[:SS][+08:00], a date, or now)");
  }
}

// ---- orders -----------------------------------------------------------------------

order_intake order_from_fields(const text_fields& f, const record_origin& at) {
  require(f, at, "received_at");
  require(f, at, "request_type");
  order_intake o;
  for (const auto& [k, v] : f) {
    if (v.empty()) continue;
    if (k == "draft") {
      o.draft = parse_or_fail<bool>(f, at, k, to_bool);
    } else if (k == "received_at") {
      o.order.received_at = parse_or_fail<instant>(f, at, k, instant_from_text);
    } else if (k == "request_type") {
      o.order.request_type =
          parse_or_fail<request_type>(f, at, k, [](const std::string& s) { return parse_request_type(s); });
    } else {
      try {
        set_field(o.order, k, v);
      } catch (const error& e) {
        fail_field(at, k, without_field_prefix(e.what(), k));
      }
    }
  }
  o.by = actor{o.order.agent.empty() ? std::string("import") : o.order.agent, role::agent, {}};
  return o;
}

// ---- actions ------------------------------------------------------------------------

action_record action_from_fields(const text_fields& f, const record_origin& at) {
  for (auto k : {"number", "action", "at", "by", "role"}) require(f, at, k);
  action_record a;
  a.number = field_text(f, "number");
  auto& c = a.c;
  c.action = parse_or_fail<action>(f, at, "action", word<action>);
  c.at = parse_or_fail<instant>(f, at, "at", instant_from_text);
  c.by.id = field_text(f, "by");
  c.by.role = parse_or_fail<role>(f, at, "role", word<role>);
  c.by.unit = field_text(f, "by_unit");
  c.unit = field_text(f, "unit");
  c.co_units = field_text(f, "co_units");
  c.liaison = field_text(f, "liaison");
  if (!field_text(f, "means").empty()) c.means = parse_or_fail<transfer_means>(f, at, "means", word<transfer_means>);
  c.answer = field_text(f, "answer");
  c.kb_entries = field_text(f, "kb_entries");
  c.reason = field_text(f, "reason");
  if (!field_text(f, "extension_days").empty())
    c.extension_days =
        parse_or_fail<int>(f, at, "extension_days", [](const std::string& s) { return to_int<int>(s, 0, 365); });
  if (!field_text(f, "finding").empty()) c.finding = parse_or_fail<finding>(f, at, "finding", word<finding>);
  c.resolved = parse_or_fail<bool>(f, at, "resolved", to_bool);
  c.reply_text = field_text(f, "reply_text");
  if (!field_text(f, "call_back").empty())
    c.call_back = parse_or_fail<call_back_result>(f, at, "call_back", word<call_back_result>);
  if (!field_text(f, "level").empty())
    c.level = parse_or_fail<supervision_level>(f, at, "level", word<supervision_level>);
  c.warning = parse_or_fail<bool>(f, at, "warning", to_bool);
  c.overdue = parse_or_fail<bool>(f, at, "overdue", to_bool);
  c.target = field_text(f, "target");
  c.comment = field_text(f, "comment");
  if (!field_text(f, "expected_version").empty())
    c.expected_version = parse_or_fail<std::int64_t>(
        f, at, "expected_version", [](const std::string& s) { return to_int<std::int64_t>(s, 1, INT64_MAX); });
  for (const auto& [k, v] : f)
    if (k.starts_with("amend.") && !v.empty()) c.amendments.emplace_back(k.substr(6), v);
  return a;
}

// ---- calls ----------------------------------------------------------------------------

call_record call_from_fields(const text_fields& f, const record_origin& at) {
  require(f, at, "call_id");
  require(f, at, "started_at");
  call_record c;
  c.call_id = field_text(f, "call_id");
  c.started_at = parse_or_fail<instant>(f, at, "started_at", instant_from_text);
  c.answered = parse_or_fail<bool>(f, at, "answered", to_bool);
  c.wait = seconds{parse_or_fail<std::int64_t>(
      f, at, "wait_seconds", [](const std::string& s) { return s.empty() ? 0 : to_int<std::int64_t>(s, 0, 86400); })};
  c.agent = field_text(f, "agent");
  c.ivr_key =
      parse_or_fail<int>(f, at, "ivr_key", [](const std::string& s) { return s.empty() ? -1 : to_int<int>(s, -1, 9); });
  c.line = field_text(f, "line");
  c.unit = field_text(f, "unit");
  c.work_order = field_text(f, "work_order");
  c.source_line = at.line;
  return c;
}

// ---- units and liaisons ------------------------------------------------------------------

unit unit_from_fields(const text_fields& f, const record_origin& at) {
  require(f, at, "code");
  unit u;
  u.code = field_text(f, "code");
  u.name = field_text(f, "name");
  if (!field_text(f, "kind").empty())
    u.kind = parse_or_fail<unit_kind>(f, at, "kind", [](const std::string& s) { return parse_unit_kind(s); });
  u.parent = field_text(f, "parent");
  for (const auto& c : split(field_text(f, "covers"), ';')) {
    const auto slash = c.find('/');
    u.covers.push_back(slash == std::string::npos ? coverage{c, {}}
                                                  : coverage{c.substr(0, slash), c.substr(slash + 1)});
  }
  u.topics = split(field_text(f, "topics"), ';');
  if (!field_text(f, "active").empty()) u.active = parse_or_fail<bool>(f, at, "active", to_bool);
  return u;
}

liaison liaison_from_fields(const text_fields& f, const record_origin& at) {
  require(f, at, "unit");
  require(f, at, "name");
  liaison l;
  l.unit = field_text(f, "unit");
  if (!field_text(f, "slot").empty()) l.slot = field_text(f, "slot");
  l.name = field_text(f, "name");
  l.title = field_text(f, "title");
  l.department = field_text(f, "department");
  l.office_phone = field_text(f, "office_phone");
  l.mobile = field_text(f, "mobile");
  l.email = field_text(f, "email");
  l.valid_from = field_text(f, "valid_from").empty() ? instant_from_text("now")
                                                     : parse_or_fail<instant>(f, at, "valid_from", instant_from_text);
  l.reported_by = field_text(f, "reported_by");
  return l;
}

// ---- queries --------------------------------------------------------------------------------

order_query query_from_fields(const text_fields& f, const record_origin& at) {
  order_query q;
  const auto has = [&](std::string_view k) { return !field_text(f, k).empty(); };
  if (has("state")) q.with_state(parse_or_fail<order_state>(f, at, "state", word<order_state>));
  if (has("unit")) q.in_unit(field_text(f, "unit"));
  q.open(parse_or_fail<bool>(f, at, "open", to_bool));
  if (has("overdue_as_of")) q.overdue(parse_or_fail<instant>(f, at, "overdue_as_of", instant_from_text));
  if (has("warned_as_of")) q.warned(parse_or_fail<instant>(f, at, "warned_as_of", instant_from_text));
  if (has("phone")) q.phone(field_text(f, "phone"));
  if (has("from")) q.received_from = parse_or_fail<instant>(f, at, "from", instant_from_text);
  if (has("to")) q.received_before = parse_or_fail<instant>(f, at, "to", instant_from_text);
  if (has("limit"))
    q.at_most(parse_or_fail<std::size_t>(
        f, at, "limit", [](const std::string& s) { return to_int<std::size_t>(s, 0, std::size_t{1} << 40); }));
  return q;
}

}  // namespace hotline::detail
