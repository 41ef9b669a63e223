// Private: the one list of a work order's fields, visited by name and reference.
//
// Events, the store's columns, masking and the Python conversions all walk this
// list, so a new field is added here once.  Text forms: enums by their names,
// instants ISO-8601 in Beijing time ("" when empty), bools "0"/"1".
#pragma once

#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"
#include "hotline/work_order.hpp"

#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>

namespace hotline::detail {

/// What kind of personal data a field holds (masking.hpp decides how to mask it).
enum class personal : std::uint8_t { none, name, phone, id_number, free_text };

/// Byte limits of text fields: short codes and names, and long free text.
inline constexpr std::size_t short_text_limit = 256;

/// Refuses broken UTF-8, NUL bytes and over-long text, naming the field (never
/// the value: it may be personal data).  Shared by the state machine and the store.
inline void check_text(std::string_view field, std::string_view v, std::size_t limit = short_text_limit) {
  if (v.size() > limit)
    throw invalid_argument_error("field " + std::string(field) + " is too long: " + std::to_string(v.size()) +
                                 " bytes, at most " + std::to_string(limit));
  if (const auto bad = invalid_utf8_offset(v); bad != std::string_view::npos)
    throw invalid_argument_error("field " + std::string(field) + " is not valid UTF-8 at byte " + std::to_string(bad));
  if (v.find('\0') != std::string_view::npos)
    throw invalid_argument_error("field " + std::string(field) + " contains a NUL byte");
}
inline constexpr std::size_t long_text_limit = 20000;

/// Column and change names of the five attributes of each clock.
inline constexpr const char* clock_field_names[clock_count][5] = {
    {"transfer_outcome", "transfer_start", "transfer_due", "transfer_warn", "transfer_stopped"},
    {"sign_for_outcome", "sign_for_start", "sign_for_due", "sign_for_warn", "sign_for_stopped"},
    {"reply_outcome", "reply_start", "reply_due", "reply_warn", "reply_stopped"},
    {"completion_outcome", "completion_start", "completion_due", "completion_warn", "completion_stopped"},
    {"call_back_outcome", "call_back_start", "call_back_due", "call_back_warn", "call_back_stopped"},
};

/// f(name, member, personal) for every field except number, version, state and the
/// clocks: what an intake and the actions set.
template <class Order, class F>
void for_each_plain_field(Order& o, F&& f) {
  f("call_ref", o.call_ref, personal::none);
  f("line", o.line, personal::none);
  f("channel", o.channel, personal::none);
  f("ivr_key", o.ivr_key, personal::none);
  f("received_at", o.received_at, personal::none);
  f("agent", o.agent, personal::none);
  f("caller_name", o.caller_name, personal::name);
  f("caller_sex", o.caller_sex, personal::none);
  f("anonymous", o.anonymous, personal::none);
  f("confidential", o.confidential, personal::none);
  f("caller_phone", o.caller_phone, personal::phone);
  f("callback_phone", o.callback_phone, personal::phone);
  f("caller_id_number", o.caller_id_number, personal::id_number);
  f("district", o.district, personal::none);
  f("sub_district", o.sub_district, personal::none);
  f("address", o.address, personal::free_text);
  f("request_type", o.request_type, personal::none);
  f("topic", o.topic, personal::none);
  f("sub_topic", o.sub_topic, personal::none);
  f("complaint_subject", o.complaint_subject, personal::none);
  f("content", o.content, personal::free_text);
  f("urgency", o.urgency, personal::none);
  f("complex", o.complex, personal::none);
  f("respondent", o.respondent, personal::none);
  f("kb_entries", o.kb_entries, personal::none);
  f("answer", o.answer, personal::free_text);
  f("feedback_route", o.feedback_route, personal::none);
  f("review_opinion", o.review_opinion, personal::free_text);
  f("unit", o.unit, personal::none);
  f("co_units", o.co_units, personal::none);
  f("liaison", o.liaison, personal::name);
  f("dispatch_means", o.dispatch_means, personal::none);
  f("dispatched_at", o.dispatched_at, personal::none);
  f("signed_at", o.signed_at, personal::none);
  f("finding", o.finding, personal::none);
  f("resolved", o.resolved, personal::none);
  f("reply_text", o.reply_text, personal::free_text);
  f("replied_at", o.replied_at, personal::none);
  f("reply_means", o.reply_means, personal::none);
  f("called_back_at", o.called_back_at, personal::none);
  f("call_back_means", o.call_back_means, personal::none);
  f("call_back", o.call_back, personal::none);
  f("reopen_count", o.reopen_count, personal::none);
  f("merged_into", o.merged_into, personal::none);
  f("split_from", o.split_from, personal::none);
  f("related", o.related, personal::none);
  f("supervision", o.supervision, personal::none);
  f("warning", o.warning, personal::none);
  f("overdue", o.overdue, personal::none);
  f("extension_pending", o.extension_pending, personal::none);
  f("extension_days", o.extension_days, personal::none);
  f("return_reason", o.return_reason, personal::free_text);
}

/// f(name, member, personal) for every field except number, version and state: the
/// plain fields, then each clock's five attributes.
template <class Order, class F>
void for_each_field(Order& o, F&& f) {
  for_each_plain_field(o, f);
  for (std::size_t k = 0; k < clock_count; ++k) {
    auto& c = o.clocks[k];
    f(clock_field_names[k][0], c.outcome, personal::none);
    f(clock_field_names[k][1], c.start, personal::none);
    f(clock_field_names[k][2], c.due, personal::none);
    f(clock_field_names[k][3], c.warn, personal::none);
    f(clock_field_names[k][4], c.stopped, personal::none);
  }
}

/// hotline::create with the order's number given apart from the intake (the store
/// numbers orders itself; this spares it a copy of the intake).
applied create_numbered(const work_order& intake, std::string number, const actor& by, bool draft,
                        const deadline_policy& deadlines);
/// The order create_numbered makes, without the list of its changes (the store encodes
/// them straight from the order: for_each_created_change).
work_order created_order(const work_order& intake, std::string number, const actor& by, bool draft,
                         const deadline_policy& deadlines);

/// Change names of the clocks, "<clock>_clock", by clock_kind.
inline constexpr std::string_view clock_change_names[clock_count] = {
    "transfer_clock", "sign_for_clock", "reply_clock", "completion_clock", "call_back_clock"};

/// A clock's change as values (see apply_in_place): the change at `index` of the
/// changes names the clock and leaves its texts empty.
struct clock_change {
  std::size_t index;
  clock_kind kind;
  order_clock before, after;
};

/// hotline::apply on the order itself, the changes appended to `changes`; returns the
/// state before.  On an exception the order is left as it was (what was changed is set
/// back from the changes' old values).  The store applies commands to its cached orders
/// this way: apply() copies the whole order for each command.  With `clocks`, the
/// clocks' changes go there as values instead of as texts (the store encodes them
/// without writing and parsing the texts: about ten per order).
order_state apply_in_place(work_order& order, const command& c, const deadline_policy& deadlines,
                           std::vector<field_change>& changes, std::vector<clock_change>* clocks = nullptr);

/// ISO-8601 in Beijing time, fast (no stream), e.g. 2025-01-24T15:00:00+08:00.
std::string format_instant_fast(instant t);

// ---- text forms of the field types ----------------------------------------
// text_view writes numbers into `buf` (text_buf_size bytes) and returns a view of the
// text (of `v` itself for strings): the store's encoder takes the texts without making
// strings.  to_text is the same text as a string.
inline constexpr std::size_t text_buf_size = 24;
inline std::string_view text_view(const std::string& v, char*) { return v; }
inline std::string_view text_view(bool v, char*) { return v ? "1" : "0"; }
inline std::string_view text_view(std::int64_t v, char* buf) {
  return {buf, static_cast<std::size_t>(std::to_chars(buf, buf + text_buf_size, v).ptr - buf)};
}
inline std::string_view text_view(int v, char* buf) { return text_view(std::int64_t{v}, buf); }
// Instants are stored in events as decimal seconds since the epoch (compact);
// store::events() shows them as ISO-8601 (format_instant_fast).
inline std::string_view text_view(instant v, char* buf) { return text_view(std::int64_t{v.time_since_epoch().count()}, buf); }
inline std::string_view text_view(const std::optional<instant>& v, char* buf) {
  return v ? text_view(*v, buf) : std::string_view();
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
std::string_view text_view(E v, char*) {
  return to_string(v);
}
template <class T>
std::string to_text(const T& v) {
  char buf[text_buf_size];
  return std::string(text_view(v, buf));
}

/// Parse helpers; throw invalid_argument_error naming the field.
void from_text(std::string_view field, std::string_view text, std::string& out);
void from_text(std::string_view field, std::string_view text, bool& out);
void from_text(std::string_view field, std::string_view text, int& out);
void from_text(std::string_view field, std::string_view text, instant& out);
void from_text(std::string_view field, std::string_view text, std::optional<instant>& out);
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void from_text(std::string_view, std::string_view text, E& out) {
  out = hotline::parse_enum<E>(text);
}

/// A whole clock as one change value: "outcome start due warn stopped", each
/// instant in decimal seconds or "-" when empty.  Change name: "<clock>_clock".
std::string clock_text(const order_clock& c);
void clock_from_text(std::string_view field, std::string_view text, order_clock& c);
/// The same with instants as ISO-8601 (for display).
std::string clock_display(std::string_view text);
/// Whether `field` is an instant-typed field (decimal seconds in events).
bool is_instant_field(std::string_view field);

/// Masks the personal data of `o` in place (work_order::masked without the copy).
void mask_in_place(work_order& o);

/// Whether a field holds its default (create lists only the others).
template <class T>
bool is_default(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) return v.empty();
  else if constexpr (std::is_same_v<T, instant>) return false;
  else if constexpr (std::is_same_v<T, std::optional<instant>>) return !v.has_value();
  else return v == T{};
}

/// The changes a create records, in order: the number, every plain field that is not
/// at its default (old value ""), then every clock not at its default (old value the
/// default clock).  `f(name, value)` gets the field's value, an order_clock for clocks.
template <class F>
void for_each_created_change(const work_order& o, F&& f) {
  f(std::string_view("number"), o.number);
  for_each_plain_field(o, [&](const char* n, const auto& v, personal) {
    if (!is_default(v)) f(std::string_view(n), v);
  });
  for (std::size_t k = 0; k < clock_count; ++k)
    if (o.clocks[k] != order_clock{}) f(clock_change_names[k], o.clocks[k]);
}

}  // namespace hotline::detail
