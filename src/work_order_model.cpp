// The work-order vocabularies, field text forms, masking of an order.
#include "hotline/masking.hpp"
#include "hotline/work_order.hpp"
#include "hotline/detail/utf8.hpp"
#include "work_order_fields.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <array>
#include <unordered_map>

namespace hotline {

namespace {
template <class E, std::size_t N>
struct names {
  std::array<std::string_view, N> v;
  std::string_view vocabulary;
};

constexpr names<request_type, 7> request_type_names{
    {"consultation", "complaint", "report", "help_request", "praise", "suggestion", "other"}, "request_type"};
constexpr names<channel, 4> channel_names{{"phone", "wechat", "online", "voice"}, "channel"};
constexpr names<feedback_route, 3> feedback_route_names{{"unit_replies", "authority_replies", "centre_replies"},
                                                        "feedback_route"};
constexpr names<transfer_means, 6> transfer_means_names{{"none", "system", "phone", "fax", "letter", "email"},
                                                        "transfer_means"};
constexpr names<urgency, 2> urgency_names{{"normal", "urgent"}, "urgency"};
constexpr names<finding, 5> finding_names{{"none", "true", "false", "partly_true", "not_applicable"}, "finding"};
constexpr names<call_back_result, 5> call_back_names{
    {"none", "satisfied", "basically_satisfied", "dissatisfied", "unreachable"}, "call_back_result"};
constexpr names<supervision_level, 5> supervision_names{{"none", "reminder", "supervision", "yellow", "red"},
                                                        "supervision_level"};
constexpr names<sex, 3> sex_names{{"unknown", "male", "female"}, "sex"};
constexpr names<order_state, order_state_count> state_names{
    {"draft", "answered_on_spot", "waiting_for_dispatch", "dispatched", "in_progress", "return_requested", "suspended",
     "replied", "waiting_for_call_back", "closed", "void", "merged"},
    "order_state"};
constexpr names<role, role_count> role_names{
    {"agent", "dispatcher", "liaison", "reviewer", "call_back_agent", "supervisor", "system"}, "role"};
constexpr names<action, action_count> action_names{
    {"create", "answer", "submit", "dispatch", "sign_for", "request_return", "approve_return", "reject_return",
     "request_extension", "approve_extension", "reject_extension", "suspend", "resume", "reply", "accept_reply",
     "reject_reply", "call_back", "close", "reopen", "supervise", "mark_urgent", "flag", "amend", "relate", "merge",
     "split", "void"},
    "action"};
constexpr names<clock_kind, clock_count> clock_names{{"transfer", "sign_for", "reply", "completion", "call_back"},
                                                     "clock_kind"};
constexpr names<clock_outcome, 6> outcome_names{{"not_started", "running", "paused", "met", "missed", "voided"},
                                                "clock_outcome"};

template <class E, std::size_t N>
std::string_view name_of(const names<E, N>& n, E v) noexcept {
  const auto i = static_cast<std::size_t>(v);
  return i < N ? n.v[i] : std::string_view("?");
}
template <class E, std::size_t N>
E parse_of(const names<E, N>& n, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (n.v[i] == text) return static_cast<E>(i);
  std::string msg = "unknown ";
  msg.append(n.vocabulary).append(" '");
  // The text may be anything (a caller's input, a phone number in the wrong column):
  // show at most 40 bytes of it, digit runs of 7 or more masked (masking.hpp).
  msg.append(mask_text(text).substr(0, 40)).append("'; expected one of:");
  for (auto s : n.v) msg.append(" ").append(s);
  throw invalid_argument_error(msg);
}
}  // namespace

std::string_view to_string(request_type v) noexcept { return name_of(request_type_names, v); }
std::string_view to_string(channel v) noexcept { return name_of(channel_names, v); }
std::string_view to_string(feedback_route v) noexcept { return name_of(feedback_route_names, v); }
std::string_view to_string(transfer_means v) noexcept { return name_of(transfer_means_names, v); }
std::string_view to_string(urgency v) noexcept { return name_of(urgency_names, v); }
std::string_view to_string(finding v) noexcept { return name_of(finding_names, v); }
std::string_view to_string(call_back_result v) noexcept { return name_of(call_back_names, v); }
std::string_view to_string(supervision_level v) noexcept { return name_of(supervision_names, v); }
std::string_view to_string(sex v) noexcept { return name_of(sex_names, v); }
std::string_view to_string(order_state v) noexcept { return name_of(state_names, v); }
std::string_view to_string(role v) noexcept { return name_of(role_names, v); }
std::string_view to_string(action v) noexcept { return name_of(action_names, v); }
std::string_view to_string(clock_kind v) noexcept { return name_of(clock_names, v); }
std::string_view to_string(clock_outcome v) noexcept { return name_of(outcome_names, v); }

template <> request_type parse_enum<request_type>(std::string_view t) { return parse_of(request_type_names, t); }
template <> channel parse_enum<channel>(std::string_view t) { return parse_of(channel_names, t); }
template <> feedback_route parse_enum<feedback_route>(std::string_view t) { return parse_of(feedback_route_names, t); }
template <> transfer_means parse_enum<transfer_means>(std::string_view t) { return parse_of(transfer_means_names, t); }
template <> urgency parse_enum<urgency>(std::string_view t) { return parse_of(urgency_names, t); }
template <> finding parse_enum<finding>(std::string_view t) { return parse_of(finding_names, t); }
template <> call_back_result parse_enum<call_back_result>(std::string_view t) { return parse_of(call_back_names, t); }
template <> supervision_level parse_enum<supervision_level>(std::string_view t) { return parse_of(supervision_names, t); }
template <> sex parse_enum<sex>(std::string_view t) { return parse_of(sex_names, t); }
template <> order_state parse_enum<order_state>(std::string_view t) { return parse_of(state_names, t); }
template <> role parse_enum<role>(std::string_view t) { return parse_of(role_names, t); }
template <> action parse_enum<action>(std::string_view t) { return parse_of(action_names, t); }
template <> clock_kind parse_enum<clock_kind>(std::string_view t) { return parse_of(clock_names, t); }
template <> clock_outcome parse_enum<clock_outcome>(std::string_view t) { return parse_of(outcome_names, t); }

void check_transition(action a, order_state s, role r) {
  if (a != action::create && !allowed_from(a, s)) {
    std::string msg = "illegal transition: cannot ";
    msg.append(to_string(a)).append(" an order in state ").append(to_string(s));
    throw illegal_transition_error(msg);
  }
  if (!role_may(a, r)) {
    std::string msg = "permission denied: role ";
    msg.append(to_string(r)).append(" may not ").append(to_string(a)).append("; allowed:");
    const auto roles = transition_of(a).roles;
    for (std::size_t i = 0; i < role_count; ++i)
      if (roles & (1u << i)) msg.append(" ").append(to_string(static_cast<role>(i)));
    throw permission_denied_error(msg);
  }
}

std::optional<instant> work_order::next_due() const {
  std::optional<instant> best;
  for (const auto& c : clocks)
    if (c.outcome == clock_outcome::running && c.due && (!best || *c.due < *best)) best = c.due;
  return best;
}
std::optional<instant> work_order::next_warn() const {
  std::optional<instant> best;
  for (const auto& c : clocks)
    if (c.outcome == clock_outcome::running && c.warn && (!best || *c.warn < *best)) best = c.warn;
  return best;
}
bool work_order::overdue_as_of(instant t) const {
  if (!is_open(state)) return false;
  const auto d = next_due();
  return d && *d < t;
}

work_order work_order::masked() const {
  work_order m = *this;
  detail::mask_in_place(m);
  return m;
}

void detail::mask_in_place(work_order& m) {
  detail::for_each_field(m, [](const char*, auto& v, detail::personal p) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
      switch (p) {
        case detail::personal::none: break;
        case detail::personal::name: v = mask_name(v); break;
        case detail::personal::phone: v = mask_phone(v); break;
        case detail::personal::id_number: v = mask_id_number(v); break;
        case detail::personal::free_text: v = mask_text(v); break;
      }
    }
  });
}

// ---- text forms ---------------------------------------------------------------

namespace detail {

std::string format_instant_fast(instant t) {
  const auto local = to_local(t);
  const auto dp = date::floor<date::days>(local);
  const date::year_month_day ymd{dp};
  const auto sod = (local - dp).count();
  const auto off = (local.time_since_epoch() - t.time_since_epoch()).count();
  char buf[96];
  const int y = int(ymd.year());
  const unsigned mo = unsigned(ymd.month()), d = unsigned(ymd.day());
  const long long h = sod / 3600, mi = sod / 60 % 60, s = sod % 60;
  const long long oh = (off < 0 ? -off : off) / 3600, om = (off < 0 ? -off : off) / 60 % 60;
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld%c%02lld:%02lld", y, mo, d, h, mi, s,
                off < 0 ? '-' : '+', oh, om);
  return buf;
}

void from_text(std::string_view, std::string_view text, std::string& out) { out.assign(text); }
void from_text(std::string_view field, std::string_view text, bool& out) {
  if (text == "1" || text == "true") out = true;
  else if (text == "0" || text == "false" || text.empty()) out = false;
  else throw invalid_argument_error("field " + std::string(field) + ": expected 0 or 1");
}
void from_text(std::string_view field, std::string_view text, int& out) {
  if (text.empty()) {
    out = 0;
    return;
  }
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size())
    throw invalid_argument_error("field " + std::string(field) + ": expected an integer");
}
void from_text(std::string_view field, std::string_view text, instant& out) {
  // Decimal seconds (as events store them) or ISO-8601 with an offset.
  if (!text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-') &&
      text.find(':') == std::string_view::npos) {
    long long v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc{} || r.ptr != text.data() + text.size())
      throw invalid_argument_error("field " + std::string(field) + ": expected an instant");
    out = instant{seconds{v}};
    return;
  }
  try {
    out = parse_instant(text);
  } catch (const error&) {
    throw invalid_argument_error("field " + std::string(field) + ": expected an ISO-8601 instant with offset");
  }
}
void from_text(std::string_view field, std::string_view text, std::optional<instant>& out) {
  if (text.empty()) {
    out.reset();
    return;
  }
  instant t;
  from_text(field, text, t);
  out = t;
}

std::string clock_text(const order_clock& c) {
  // One allocation: the outcome name and four instants of at most 20 digits each.
  char buf[128];
  const auto name = to_string(c.outcome);
  std::size_t n = std::min(name.size(), std::size_t{40});
  std::memcpy(buf, name.data(), n);
  for (const auto* v : {&c.start, &c.due, &c.warn, &c.stopped}) {
    buf[n++] = ' ';
    if (*v) n = static_cast<std::size_t>(std::to_chars(buf + n, buf + sizeof buf, v->value().time_since_epoch().count()).ptr - buf);
    else buf[n++] = '-';
  }
  return std::string(buf, n);
}

namespace {
std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= text.size()) {
    const auto j = std::min(text.find(' ', i), text.size());
    parts.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}
}  // namespace

void clock_from_text(std::string_view field, std::string_view text, order_clock& c) {
  const auto parts = split_spaces(text);
  if (parts.size() != 5) throw invalid_argument_error("field " + std::string(field) + ": expected 5 clock parts");
  c.outcome = hotline::parse_enum<clock_outcome>(parts[0]);
  std::optional<instant>* slots[] = {&c.start, &c.due, &c.warn, &c.stopped};
  for (std::size_t i = 0; i < 4; ++i) {
    if (parts[i + 1] == "-") slots[i]->reset();
    else from_text(field, parts[i + 1], *slots[i]);
  }
}

std::string clock_display(std::string_view text) {
  if (text.empty()) return {};
  const auto parts = split_spaces(text);
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back(' ');
    std::optional<instant> t;
    if (i > 0 && parts[i] != "-") {
      try {
        from_text("clock", parts[i], t);
      } catch (const error&) {
      }
    }
    out.append(t ? format_instant_fast(*t) : std::string(parts[i]));
  }
  return out;
}

bool is_instant_field(std::string_view field) {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    work_order o;
    for_each_field(o, [&](const char* n, auto& x, personal) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, instant> || std::is_same_v<T, std::optional<instant>>) v.emplace_back(n);
    });
    return v;
  }();
  return std::find(names.begin(), names.end(), field) != names.end();
}

}  // namespace detail

const std::vector<std::string>& work_order_field_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v{"number"};
    work_order o;
    detail::for_each_field(o, [&](const char* n, auto&, detail::personal) { v.emplace_back(n); });
    return v;
  }();
  return names;
}

bool set_field(work_order& order, std::string_view field, std::string_view text) {
  if (field == "number") {
    order.number.assign(text);
    return true;
  }
  if (field.size() > 6 && field.substr(field.size() - 6) == "_clock") {
    const auto kind = field.substr(0, field.size() - 6);
    for (std::size_t k = 0; k < clock_count; ++k)
      if (to_string(static_cast<clock_kind>(k)) == kind) {
        detail::clock_from_text(field, text, order.clocks[k]);
        return true;
      }
  }
  bool found = false;
  detail::for_each_field(order, [&](const char* n, auto& v, detail::personal) {
    if (!found && field == n) {
      detail::from_text(field, text, v);
      found = true;
    }
  });
  return found;
}

std::optional<std::string> get_field(const work_order& order, std::string_view field) {
  if (field == "number") return order.number;
  std::optional<std::string> out;
  detail::for_each_field(order, [&](const char* n, const auto& v, detail::personal) {
    if (!out && field == n) out = detail::to_text(v);
  });
  return out;
}

}  // namespace hotline
