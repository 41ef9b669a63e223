// The store's byte formats: changes (schema 2 and 4), event blocks (schema 4) and the
// projection's remainder column (schema 4).  See store_codec.hpp and docs/store.md.
#include "store_codec.hpp"

#include "work_order_fields.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <unordered_map>

namespace hotline::detail {

// ---- primitives ------------------------------------------------------------------

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_text(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void byte_reader::bad() { throw storage_error("an event's or an order's stored bytes are malformed"); }

std::uint64_t byte_reader::varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const unsigned char b = byte();
    v |= std::uint64_t(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
  bad();
}

std::string_view byte_reader::text() {
  const auto n = varint();
  if (n > s.size() - i) bad();
  const auto t = s.substr(i, n);
  i += n;
  return t;
}

bool canonical_int(std::string_view s, std::int64_t& v) {
  if (s.empty() || s.size() > 18) return false;
  const std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  if (s[i] == '0' && (s.size() > i + 1 || i == 1)) return false;
  for (std::size_t j = i; j < s.size(); ++j)
    if (s[j] < '0' || s[j] > '9') return false;
  return std::from_chars(s.data(), s.data() + s.size(), v).ec == std::errc();
}

namespace {

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// ---- frozen vocabularies: stored bytes refer to these positions; append only ---------

// Change and field names: "number", the fields as for_each_field listed them when
// schema 2 was released, then the clocks (also the codes of the schema-2 changes).
constexpr std::string_view k_fields[] = {
    "number", "call_ref", "line", "channel", "ivr_key", "received_at", "agent", "caller_name", "caller_sex",
    "anonymous", "confidential", "caller_phone", "callback_phone", "caller_id_number", "district", "sub_district",
    "address", "request_type", "topic", "sub_topic", "complaint_subject", "content", "urgency", "complex",
    "respondent", "kb_entries", "answer", "feedback_route", "review_opinion", "unit", "co_units", "liaison",
    "dispatch_means", "dispatched_at", "signed_at", "finding", "resolved", "reply_text", "replied_at", "reply_means",
    "called_back_at", "call_back_means", "call_back", "reopen_count", "merged_into", "split_from", "related",
    "supervision", "warning", "overdue", "extension_pending", "extension_days", "return_reason",
    "transfer_outcome", "transfer_start", "transfer_due", "transfer_warn", "transfer_stopped",
    "sign_for_outcome", "sign_for_start", "sign_for_due", "sign_for_warn", "sign_for_stopped",
    "reply_outcome", "reply_start", "reply_due", "reply_warn", "reply_stopped",
    "completion_outcome", "completion_start", "completion_due", "completion_warn", "completion_stopped",
    "call_back_outcome", "call_back_start", "call_back_due", "call_back_warn", "call_back_stopped",
    "transfer_clock", "sign_for_clock", "reply_clock", "completion_clock", "call_back_clock"};
constexpr std::string_view k_actions[] = {
    "create", "answer", "submit", "dispatch", "sign_for", "request_return", "approve_return", "reject_return",
    "request_extension", "approve_extension", "reject_extension", "suspend", "resume", "reply", "accept_reply",
    "reject_reply", "call_back", "close", "reopen", "supervise", "mark_urgent", "flag", "amend", "relate", "merge",
    "split", "void"};
constexpr std::string_view k_roles[] = {"agent",    "dispatcher", "liaison", "reviewer", "call_back_agent",
                                        "supervisor", "system"};
constexpr std::string_view k_states[] = {
    "draft", "answered_on_spot", "waiting_for_dispatch", "dispatched", "in_progress", "return_requested",
    "suspended", "replied", "waiting_for_call_back", "closed", "void", "merged"};
// Field values: the names of the enum values, and the usual lines.
constexpr std::string_view k_values[] = {
    "not_started", "running", "paused", "met", "missed", "voided",                                  // clock outcomes
    "consultation", "complaint", "report", "help_request", "praise", "suggestion", "other",         // request types
    "phone", "wechat", "online", "voice",                                                           // channels
    "unit_replies", "authority_replies", "centre_replies",                                          // feedback routes
    "none", "system", "fax", "letter", "email",                                                     // means
    "normal", "urgent",                                                                             // urgency
    "true", "false", "partly_true", "not_applicable",                                               // findings
    "satisfied", "basically_satisfied", "dissatisfied", "unreachable",                              // call-back
    "reminder", "supervision", "yellow", "red",                                                     // supervision
    "unknown", "male", "female",                                                                    // sex
    "12320", "family_doctor"};

/// A frozen table and its lookup: open addressing on the length and three bytes (the
/// names are short and few; this is on the write path of every change).
struct table {
  const std::string_view* names;
  std::size_t size;
  std::size_t max_len = 0;
  std::array<std::uint8_t, 1024> slots{};  ///< 0: empty, else 1 + position
  static std::size_t hash(std::string_view s) noexcept {
    const auto b = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(s[i])); };
    return (s.size() * 0x9E37u + b(0) * 31u + b(s.size() - 1) * 131u + b(s.size() / 2) * 7u) & 1023u;
  }
  template <std::size_t N>
  explicit table(const std::string_view (&n)[N]) : names(n), size(N) {
    static_assert(N < 255);
    for (std::size_t i = 0; i < N; ++i) {
      if (n[i].empty() || code(n[i]) != 0) continue;  // first spelling wins
      max_len = std::max(max_len, n[i].size());
      std::size_t h = hash(n[i]);
      while (slots[h]) h = (h + 1) & 1023u;
      slots[h] = static_cast<std::uint8_t>(i + 1);
    }
  }
  unsigned code(std::string_view s) const noexcept {
    if (s.empty() || s.size() > max_len) return 0;
    for (std::size_t h = hash(s); slots[h]; h = (h + 1) & 1023u)
      if (names[slots[h] - 1] == s) return slots[h];
    return 0;
  }
};

const table t_fields(k_fields), t_actions(k_actions), t_roles(k_roles), t_states(k_states), t_values(k_values);

const table& table_of(vocab v) noexcept {
  switch (v) {
    case vocab::field: return t_fields;
    case vocab::action: return t_actions;
    case vocab::role: return t_roles;
    case vocab::state: return t_states;
    case vocab::value: break;
  }
  return t_values;
}

}  // namespace

void put_word(std::string& out, vocab v, std::string_view name) {
  const unsigned c = table_of(v).code(name);
  out.push_back(static_cast<char>(c));
  if (c == 0) put_text(out, name);
}

namespace {
template <class E, std::size_t N>
std::array<std::uint8_t, N> codes_of(vocab v) {
  std::array<std::uint8_t, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = static_cast<std::uint8_t>(table_of(v).code(to_string(static_cast<E>(i))));
  return a;
}
const auto action_codes = codes_of<action, action_count>(vocab::action);
const auto role_codes = codes_of<role, role_count>(vocab::role);
const auto state_codes = codes_of<order_state, order_state_count>(vocab::state);
}  // namespace

std::uint8_t word_code(action a) noexcept { return action_codes[static_cast<std::size_t>(a)]; }
std::uint8_t word_code(role r) noexcept { return role_codes[static_cast<std::size_t>(r)]; }
std::uint8_t word_code(order_state s) noexcept { return state_codes[static_cast<std::size_t>(s)]; }

std::string_view read_word(byte_reader& r, vocab v) {
  const unsigned c = r.byte();
  if (c == 0) return r.text();
  const auto& t = table_of(v);
  if (c > t.size) byte_reader::bad();
  return t.names[c - 1];
}

// ---- schema-2 changes (tag 0x01) -----------------------------------------------------
namespace {

/// A value of the form "outcome start due warn stopped" with canonical integers or "-".
struct clock_parts {
  std::string_view outcome;
  bool has[4] = {};
  std::int64_t v[4] = {};
};

bool parse_clock(std::string_view s, clock_parts& c) {
  std::string_view parts[5];
  std::size_t np = 0, i = 0;
  for (;;) {
    if (np == 5) return false;  // more than five parts
    const auto j = s.find(' ', i);
    if (j == std::string_view::npos) {
      parts[np++] = s.substr(i);
      break;
    }
    parts[np++] = s.substr(i, j - i);
    i = j + 1;
  }
  if (np != 5 || parts[0].empty()) return false;
  c.outcome = parts[0];
  for (int k = 0; k < 4; ++k) {
    c.has[k] = false;
    if (parts[k + 1] == "-") continue;
    if (!canonical_int(parts[k + 1], c.v[k])) return false;
    c.has[k] = true;
  }
  return true;
}

std::string clock_string(const clock_parts& c) {
  std::string r(c.outcome);
  for (int k = 0; k < 4; ++k) {
    r.push_back(' ');
    if (c.has[k]) append_int(r, c.v[k]);
    else r.push_back('-');
  }
  return r;
}

void put_value_v1(std::string& out, std::string_view s) {
  if (s.empty()) {
    out.push_back('\0');
    return;
  }
  std::int64_t n;
  if (canonical_int(s, n)) {
    out.push_back('\2');
    put_varint(out, zigzag(n));
    return;
  }
  clock_parts c;
  if (!parse_clock(s, c)) {
    out.push_back('\1');
    put_text(out, s);
    return;
  }
  out.push_back('\3');
  put_text(out, c.outcome);
  const std::int64_t base = c.has[0] ? c.v[0] : 0;
  for (int k = 0; k < 4; ++k) put_varint(out, c.has[k] ? zigzag(k == 0 ? c.v[k] : c.v[k] - base) + 1 : 0);
}

std::string read_value_v1(byte_reader& r) {
  switch (r.byte()) {
    case 0: return {};
    case 1: return std::string(r.text());
    case 2: return std::to_string(r.svarint());
    case 3: {
      clock_parts c;
      c.outcome = r.text();
      std::int64_t base = 0;
      for (int k = 0; k < 4; ++k) {
        const auto x = r.varint();
        if (x == 0) continue;
        c.has[k] = true;
        c.v[k] = unzigzag(x - 1) + (k == 0 ? 0 : base);
        if (k == 0) base = c.v[k];
      }
      return clock_string(c);
    }
    default: byte_reader::bad();
  }
}

}  // namespace

void encode_changes_v1(std::string& out, const std::vector<field_change>& ch) {
  out.clear();
  out.push_back(compact_changes_tag);
  for (const auto& c : ch) {
    put_word(out, vocab::field, c.field);
    put_value_v1(out, c.before);
    put_value_v1(out, c.after);
  }
}

std::vector<field_change> parse_changes(std::string_view stored) {
  std::vector<field_change> out;
  if (stored.empty()) return out;
  if (stored[0] == compact_changes_tag) {
    byte_reader r{stored, 1};
    while (!r.done()) {
      field_change c;
      c.field = std::string(read_word(r, vocab::field));
      c.before = read_value_v1(r);
      c.after = read_value_v1(r);
      out.push_back(std::move(c));
    }
    return out;
  }
  // The oldest files keep a change list as JSON [[field, before, after], ...].  A damaged
  // one is the file's fault, reported like any other malformed stored bytes, not as a
  // JSON library exception (which no caller of the store expects).
  try {
    const auto j = nlohmann::json::parse(stored.begin(), stored.end());
    if (!j.is_array()) throw storage_error("an event's stored change list is not a list");
    for (const auto& e : j)
      out.push_back({e.at(0).get<std::string>(), e.at(1).get<std::string>(), e.at(2).get<std::string>()});
  } catch (const nlohmann::json::exception&) {
    throw storage_error("an event's stored change list is malformed");
  }
  return out;
}

// ---- schema-4 changes --------------------------------------------------------------------
// Value tags: 0 empty; 1 text; 2 integer (zigzag); 3 integer as an offset from the
// event's instant; 4 a word of the value table; 5 a clock (outcome word, then per
// instant 0 for "-" or 1 + zigzag of its offset from the reference: the event's
// instant for start, start (or the event's instant) for the others); 6 a clock given
// relative to the change's old clock (per instant 0: the old one's, 1: "-", else 2 +
// zigzag offset as in 5).
namespace {

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

std::int64_t clock_ref(const clock_parts& c, int k, std::int64_t at) { return k == 0 || !c.has[0] ? at : c.v[0]; }

bool put_clock_v2(std::string& out, const clock_parts& c, std::int64_t at, const clock_parts* old);

void put_value_v2(std::string& out, std::string_view s, std::int64_t at, const clock_parts* old, clock_parts* parsed,
                  bool& is_clock) {
  is_clock = false;
  if (s.empty()) {
    out.push_back('\0');
    return;
  }
  std::int64_t n;
  if (canonical_int(s, n)) {
    const auto abs = zigzag(n), rel = zigzag(n - at);
    if (n - at > -(std::int64_t{1} << 40) && n - at < (std::int64_t{1} << 40) && varint_size(rel) < varint_size(abs)) {
      out.push_back('\3');
      put_varint(out, rel);
    } else {
      out.push_back('\2');
      put_varint(out, abs);
    }
    return;
  }
  if (const unsigned w = table_of(vocab::value).code(s); w != 0) {
    out.push_back('\4');
    out.push_back(static_cast<char>(w));
    return;
  }
  clock_parts& c = *parsed;
  if (!parse_clock(s, c) || !put_clock_v2(out, c, at, old)) {
    out.push_back('\1');
    put_text(out, s);
    return;
  }
  is_clock = true;
}

/// A clock value in its compact form; false (nothing written) when an offset does not
/// fit, and the value goes as text instead.
bool put_clock_v2(std::string& out, const clock_parts& c, std::int64_t at, const clock_parts* old) {
  constexpr std::int64_t limit = std::int64_t{1} << 40;
  if (c.has[0] && (c.v[0] - at <= -limit || c.v[0] - at >= limit)) return false;
  for (int k = 1; k < 4; ++k)  // offsets must not overflow
    if (c.has[k] && (c.v[k] - clock_ref(c, k, at) <= -limit || c.v[k] - clock_ref(c, k, at) >= limit)) return false;
  out.push_back(old ? '\6' : '\5');
  put_word(out, vocab::value, c.outcome);
  for (int k = 0; k < 4; ++k) {
    if (old) {
      if (old->has[k] == c.has[k] && (!c.has[k] || old->v[k] == c.v[k])) {
        out.push_back('\0');
        continue;
      }
      if (!c.has[k]) {
        out.push_back('\1');
        continue;
      }
      put_varint(out, 2 + zigzag(c.v[k] - clock_ref(c, k, at)));
    } else {
      put_varint(out, c.has[k] ? 1 + zigzag(c.v[k] - clock_ref(c, k, at)) : 0);
    }
  }
  return true;
}

clock_parts parts_of(const order_clock& c) {
  clock_parts p;
  p.outcome = to_string(c.outcome);
  const std::optional<instant>* v[] = {&c.start, &c.due, &c.warn, &c.stopped};
  for (int k = 0; k < 4; ++k) {
    p.has[k] = v[k]->has_value();
    if (p.has[k]) p.v[k] = (*v[k])->time_since_epoch().count();
  }
  return p;
}

/// A clock's change from its values: the bytes put_value_v2 writes for its texts.
void put_clock_change_v2(std::string& out, const order_clock& old_clock, const order_clock& new_clock, std::int64_t at) {
  const clock_parts before = parts_of(old_clock), after = parts_of(new_clock);
  const bool before_clock = put_clock_v2(out, before, at, nullptr);
  if (!before_clock) {
    out.push_back('\1');
    put_text(out, clock_string(before));
  }
  if (!put_clock_v2(out, after, at, before_clock ? &before : nullptr)) {
    out.push_back('\1');
    put_text(out, clock_string(after));
  }
}

std::string read_value_v2(byte_reader& r, std::int64_t at, const clock_parts* old, clock_parts& parsed, bool& is_clock) {
  is_clock = false;
  const unsigned tag = r.byte();
  switch (tag) {
    case 0: return {};
    case 1: return std::string(r.text());
    case 2: return std::to_string(r.svarint());
    case 3: return std::to_string(r.svarint() + at);
    case 4: {
      const unsigned w = r.byte();
      const auto& t = table_of(vocab::value);
      if (w == 0 || w > t.size) byte_reader::bad();
      return std::string(t.names[w - 1]);
    }
    case 5:
    case 6: {
      if (tag == 6 && !old) byte_reader::bad();
      clock_parts& c = parsed;
      c.outcome = read_word(r, vocab::value);
      for (int k = 0; k < 4; ++k) {
        const auto x = r.varint();
        if (tag == 6) {
          if (x == 0) {
            c.has[k] = old->has[k];
            c.v[k] = old->v[k];
            continue;
          }
          if (x == 1) {
            c.has[k] = false;
            continue;
          }
          c.has[k] = true;
          c.v[k] = unzigzag(x - 2) + clock_ref(c, k, at);
        } else {
          c.has[k] = x != 0;
          if (x) c.v[k] = unzigzag(x - 1) + clock_ref(c, k, at);
        }
      }
      is_clock = true;
      return clock_string(c);
    }
    default: byte_reader::bad();
  }
}

}  // namespace

void encode_changes_v2(std::string& out, const std::vector<field_change>& ch, std::int64_t at,
                       const std::vector<clock_change>* clocks) {
  clock_parts before, after;
  std::size_t next_clock = 0;
  for (std::size_t i = 0; i < ch.size(); ++i) {
    const auto& c = ch[i];
    put_word(out, vocab::field, c.field);
    if (clocks && next_clock < clocks->size() && (*clocks)[next_clock].index == i) {
      const auto& t = (*clocks)[next_clock++];
      put_clock_change_v2(out, t.before, t.after, at);
      continue;
    }
    bool before_clock = false, after_clock = false;
    put_value_v2(out, c.before, at, nullptr, &before, before_clock);
    put_value_v2(out, c.after, at, before_clock ? &before : nullptr, &after, after_clock);
  }
}

void encode_created_v2(std::string& out, const work_order& o, std::int64_t at) {
  for_each_created_change(o, [&](std::string_view name, const auto& v) {
    put_word(out, vocab::field, name);
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, order_clock>) {
      put_clock_change_v2(out, order_clock{}, v, at);
    } else {
      out.push_back('\0');  // the old value: ""
      char buf[text_buf_size];
      clock_parts parsed;
      bool is_clock = false;
      put_value_v2(out, text_view(v, buf), at, nullptr, &parsed, is_clock);
    }
  });
}

void decode_changes_v2(std::string_view bytes, std::int64_t at, std::vector<field_change>& out) {
  byte_reader r{bytes, 0};
  clock_parts before, after;
  while (!r.done()) {
    field_change c;
    c.field = std::string(read_word(r, vocab::field));
    bool before_clock = false, after_clock = false;
    c.before = read_value_v2(r, at, nullptr, before, before_clock);
    c.after = read_value_v2(r, at, before_clock ? &before : nullptr, after, after_clock);
    out.push_back(std::move(c));
  }
}

// ---- event blocks ---------------------------------------------------------------------------

void append_block_event(std::string& body, const block_event& e, std::int64_t prev_at, std::int64_t prev_recorded) {
  const auto word = [&](vocab v, std::uint8_t code, std::string_view name) {
    if (code) body.push_back(static_cast<char>(code));
    else put_word(body, v, name);
  };
  if (body.empty()) body.push_back(block_format);
  word(vocab::action, e.action_code, e.action);
  put_varint(body, zigzag(e.at - prev_at));
  put_varint(body, zigzag(e.recorded_at - prev_recorded));
  put_text(body, e.actor);
  word(vocab::role, e.role_code, e.role);
  put_text(body, e.unit);
  if (e.state_before) {
    body.push_back('\1');
    word(vocab::state, e.before_code, *e.state_before);
  } else {
    body.push_back('\0');
  }
  word(vocab::state, e.after_code, e.state_after);
  if (e.changes) {
    put_varint(body, e.changes->size() + 1);
    body.append(*e.changes);
  } else {
    body.push_back('\0');
  }
  put_text(body, e.comment);
}

void parse_block(std::string_view body, std::vector<block_event>& events, std::vector<std::string_view>& slices) {
  events.clear();
  slices.clear();
  if (body.empty() || body[0] != block_format) byte_reader::bad();
  byte_reader r{body, 1};
  std::int64_t at = 0, recorded = 0;
  while (!r.done()) {
    const std::size_t start = r.i;
    block_event e;
    e.action = read_word(r, vocab::action);
    at += r.svarint();
    recorded += r.svarint();
    e.at = at;
    e.recorded_at = recorded;
    e.actor = r.text();
    e.role = read_word(r, vocab::role);
    e.unit = r.text();
    switch (r.byte()) {
      case 0: break;
      case 1: e.state_before = read_word(r, vocab::state); break;
      default: byte_reader::bad();
    }
    e.state_after = read_word(r, vocab::state);
    if (const auto n = r.varint(); n != 0) {
      if (n - 1 > r.s.size() - r.i) byte_reader::bad();
      e.changes = r.s.substr(r.i, n - 1);
      r.i += n - 1;
    }
    e.comment = r.text();
    events.push_back(e);
    slices.push_back(body.substr(start, r.i - start));
  }
}

namespace {
/// block_canonical's bytes before the event's: "<id>;<order_id>;<seq>;<length>:".
struct canonical_head {
  char buf[4 * 21];  // four numbers of up to 20 characters, each with its separator
  std::size_t size = 0;
  canonical_head(std::int64_t id, std::int64_t order_id, std::int64_t seq, std::size_t length) {
    put(id, ';');
    put(order_id, ';');
    put(seq, ';');
    put(static_cast<std::int64_t>(length), ':');
  }
  void put(std::int64_t v, char sep) {
    char* end = std::to_chars(buf + size, buf + sizeof buf - 1, v).ptr;  // room kept for `sep`
    *end++ = sep;
    size = static_cast<std::size_t>(end - buf);
  }
  std::string_view view() const { return {buf, size}; }
};
}  // namespace

void block_canonical(std::int64_t id, std::int64_t order_id, std::int64_t seq, std::string_view event_bytes,
                     std::string& out) {
  const canonical_head head(id, order_id, seq, event_bytes.size());
  out.assign(head.view());
  out.append(event_bytes);
  out.push_back(';');
}

sha256_digest block_event_hash(std::string_view prev, std::int64_t id, std::int64_t order_id, std::int64_t seq,
                               std::string_view event_bytes) noexcept {
  const canonical_head head(id, order_id, seq, event_bytes.size());
  return sha256({prev, head.view(), event_bytes, ";"});
}

void row_canonical(const event_row& e, std::string& out) {
  out.clear();
  auto num = [&](std::int64_t v) {
    append_int(out, v);
    out.push_back(';');
  };
  auto text = [&](std::string_view v) {
    append_int(out, static_cast<std::int64_t>(v.size()));
    out.push_back(':');
    out.append(v);
    out.push_back(';');
  };
  num(e.id);
  num(e.order_id);
  num(e.seq);
  text(e.action);
  num(e.at);
  num(e.recorded_at);
  text(e.actor);
  text(e.role);
  text(e.unit);
  if (e.state_before) text(*e.state_before);
  else out.append("-;");
  text(e.state_after);
  if (e.changes) text(*e.changes);
  else out.append("-;");
  text(e.comment);
}

// ---- the projection's remainder -------------------------------------------------------------
namespace {

constexpr std::string_view k_column_fields[] = {
    "received_at", "caller_phone", "district", "unit", "request_type", "topic", "sub_topic", "complaint_subject",
    "dispatched_at", "call_back", "reopen_count", "supervision", "extension_days"};

bool column_field(std::string_view n) {
  for (auto c : k_column_fields)
    if (c == n) return true;
  for (const auto& names : clock_field_names)
    if (n == names[0] || n == names[2] || n == names[3]) return true;
  return false;
}

// Typed writers and readers of one member.
void put_typed(std::string& out, const std::string& v) { put_text(out, v); }
void put_typed(std::string& out, bool v) { out.push_back(v ? '\1' : '\0'); }
void put_typed(std::string& out, int v) { put_varint(out, zigzag(v)); }
void put_typed(std::string& out, instant v) { put_varint(out, zigzag(v.time_since_epoch().count())); }
void put_typed(std::string& out, const std::optional<instant>& v) {
  if (v) put_varint(out, 1 + zigzag(v->time_since_epoch().count()));
  else out.push_back('\0');
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void put_typed(std::string& out, E v) {
  put_word(out, vocab::value, to_string(v));
}

void get_typed(byte_reader& r, std::string& v) { v.assign(r.text()); }
void get_typed(byte_reader& r, bool& v) { v = r.byte() != 0; }
void get_typed(byte_reader& r, int& v) { v = static_cast<int>(r.svarint()); }
void get_typed(byte_reader& r, instant& v) { v = instant{seconds{r.svarint()}}; }
void get_typed(byte_reader& r, std::optional<instant>& v) {
  const auto x = r.varint();
  if (x == 0) v.reset();
  else v = instant{seconds{unzigzag(x - 1)}};
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void get_typed(byte_reader& r, E& v) {
  v = parse_enum<E>(read_word(r, vocab::value));
}

struct slot {
  std::ptrdiff_t offset = 0;
  unsigned code = 0;  ///< 1 + position in k_fields; 0: not in the frozen table
  bool column = false;
  const char* name = "";
  bool (*is_default)(const void*, const void*) = nullptr;  ///< equal to the member of work_order{}
  void (*put)(std::string&, const void*) = nullptr;
  void (*get)(byte_reader&, void*) = nullptr;
};

struct layout {
  std::vector<slot> slots;                    ///< by position in for_each_field
  std::array<int, 256> by_code{};             ///< code -> position, -1 when none
  layout() {
    by_code.fill(-1);
    work_order o;
    const auto* base = reinterpret_cast<const char*>(&o);
    for_each_field(o, [&](const char* n, auto& member, personal) {
      using T = std::decay_t<decltype(member)>;
      slot s;
      s.offset = reinterpret_cast<const char*>(&member) - base;
      s.name = n;
      s.code = table_of(vocab::field).code(n);
      s.column = column_field(n);
      s.is_default = [](const void* p, const void* d) { return *static_cast<const T*>(p) == *static_cast<const T*>(d); };
      s.put = [](std::string& out, const void* p) { put_typed(out, *static_cast<const T*>(p)); };
      s.get = [](byte_reader& r, void* p) { get_typed(r, *static_cast<T*>(p)); };
      if (s.code) by_code[s.code] = static_cast<int>(slots.size());
      slots.push_back(s);
    });
  }
};

const layout& the_layout() {
  static const layout l;
  return l;
}

}  // namespace

bool is_projection_column(std::size_t field_position) { return the_layout().slots.at(field_position).column; }

void encode_rest(const work_order& o, std::string& out) {
  out.clear();
  static const work_order blank{};
  const auto* base = reinterpret_cast<const char*>(&o);
  const auto* blank_base = reinterpret_cast<const char*>(&blank);
  for (const auto& s : the_layout().slots) {
    if (s.column) continue;
    const void* p = base + s.offset;
    if (s.is_default(p, blank_base + s.offset)) continue;
    if (s.code) {
      out.push_back(static_cast<char>(s.code));
      s.put(out, p);
    } else {  // a field newer than the frozen table: name and text
      out.push_back('\0');
      put_text(out, s.name);
      put_text(out, *get_field(o, s.name));
    }
  }
}

void decode_rest(std::string_view rest, work_order& o) {
  const auto& l = the_layout();
  auto* base = reinterpret_cast<char*>(&o);
  byte_reader r{rest, 0};
  while (!r.done()) {
    const unsigned code = r.byte();
    if (code == 0) {
      const auto name = r.text();
      const auto text = r.text();
      set_field(o, name, text);  // unknown to this build: ignored (the projection can be rebuilt)
      continue;
    }
    const int pos = l.by_code[code];
    if (pos < 0) byte_reader::bad();
    const auto& s = l.slots[static_cast<std::size_t>(pos)];
    s.get(r, base + s.offset);
  }
}

}  // namespace hotline::detail
