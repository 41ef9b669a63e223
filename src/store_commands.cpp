// The work-order store's commands: create and apply run through the state machine
// (work_order_fields.hpp) on the cached order, numbers generated, events appended to the
// order's block of the transaction.  Back-end-neutral: nothing here calls SQLite; what the
// commands read of the file goes through impl's lookups (select_order, number_in_file,
// read_hand_numbers, unit_active, select_liaison_rows, load_directory: store_queries.cpp,
// store_units.cpp), and what they leave is written at flush (store_write.cpp).
#include "store_impl.hpp"

#include "store_codec.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace hotline {

using detail::check_text;
using detail::secs;

// ---- orders -------------------------------------------------------------------

store::impl::cached* store::impl::load(std::string_view number) {
  if (auto* c = cache.find(number)) {
    if (cache.handoff_of(*c) == 0) return c;
    // Handed to the writer (an import): that entry stays as it is.  A new one stands
    // for the file as it will be once the transaction commits.
    cached next(c->id, c->order);
    next.actions = c->actions;
    next.file = {c->file.version, detail::count_key_of(c->order)};
    cache.detach(*c);
    return cache.emplace(number, std::move(next)).first;
  }
  cached c;
  if (!select_order(number, c)) return nullptr;
  c.file = {c.order.version, detail::count_key_of(c.order)};
  return cache.emplace(number, std::move(c)).first;  // fresh: not in the cache (above)
}

store::impl::cached& store::impl::must_load(std::string_view number) {
  check_text("order number", number);
  auto* c = load(number);
  if (!c) throw not_found_error("no work order numbered '" + std::string(number) + "'");
  return *c;
}

void store::impl::require_unit(const std::string& code) {
  if (known_units.count(code)) return;
  if (!unit_active(code)) throw not_found_error("unknown or inactive unit '" + code + "'");
  known_units.insert(code);
}

std::string store::impl::liaison_of(const std::string& unit, instant at) {
  const std::int64_t t = secs(at);
  auto it = current_liaison.find(unit);
  if (it == current_liaison.end()) {
    auto rows = select_liaison_rows(unit);
    if (!batch_open && !imp && !pg_imp) return liaison_at(rows, t);
    it = current_liaison.emplace(unit, std::move(rows)).first;
  }
  return liaison_at(it->second, t);
}

std::string store::impl::liaison_at(const std::vector<liaison_row>& rows, std::int64_t t) {
  for (const auto& r : rows)  // ordered by slot
    if (r.valid_from <= t && (!r.valid_to || *r.valid_to > t)) return r.name;
  return {};
}

// ---- events -------------------------------------------------------------------

void store::impl::append_event(cached& c, std::int64_t seq, action a, const actor& by, std::int64_t t,
                               std::optional<order_state> before, order_state after, std::string_view changes,
                               const std::string& comment) {
  const std::int64_t recorded =
      std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const detail::block_event e{to_string(a),
                              t,
                              recorded,
                              by.id,
                              to_string(by.role),
                              by.unit,
                              before ? std::optional<std::string_view>(to_string(*before)) : std::nullopt,
                              to_string(after),
                              changes.empty() ? std::nullopt : std::optional<std::string_view>(changes),
                              comment,
                              detail::word_code(a),
                              detail::word_code(by.role),
                              before ? detail::word_code(*before) : std::uint8_t{0},
                              detail::word_code(after)};
  const bool first = c.ends.empty();
  if (first) {
    c.first_seq = seq;
    c.body.reserve(512);
  }
  detail::append_block_event(c.body, e, first ? 0 : c.last_at, first ? 0 : c.last_recorded);
  c.ends.push_back(static_cast<std::uint32_t>(c.body.size()));
  c.last_at = t;
  c.last_recorded = recorded;
  if (detail::counted_action(a)) detail::count_action(c.actions, to_string(a));
  if (!c.touched) {
    c.touched = true;
    touched.push_back(&c);
  }
}

// ---- numbers ------------------------------------------------------------------

std::optional<std::int64_t> store::impl::generated_id(std::string_view number) {
  if (number.size() < 17 || number[8] != '-') return std::nullopt;
  for (std::size_t i = 0; i < number.size(); ++i)
    if (i != 8 && (number[i] < '0' || number[i] > '9')) return std::nullopt;
  const auto digits = number.substr(9);
  if (digits.size() > 8 && digits[0] == '0') return std::nullopt;  // %08lld pads to 8 only
  std::int64_t id = 0;
  if (std::from_chars(digits.data(), digits.data() + digits.size(), id).ec != std::errc()) return std::nullopt;
  return id;
}

bool store::impl::number_taken(std::string_view number) {
  if (imp) {
    read_hand_numbers(number.substr(0, 8));
    return !imp->hand_numbers.empty() && imp->hand_numbers.count(std::string(number)) > 0;
  }
  if (cache.find(number)) return true;
  return number_in_file(number);
}

std::string store::impl::generate_number(instant received) {
  const date::year_month_day ymd{local_day(received)};
  char buf[40];
  for (;; ++next_order_id) {
    std::snprintf(buf, sizeof buf, "%04d%02u%02u-%08lld", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
                  static_cast<long long>(next_order_id));
    if (!number_taken(buf)) return buf;
  }
}

// ---- the commands -------------------------------------------------------------

store::impl::cached& store::impl::do_create(const work_order& in, const actor& by, bool draft) {
  std::string number;
  if (in.number.empty()) {
    number = generate_number(in.received_at);
  } else {
    check_text("number", in.number);
    if (load(in.number)) throw conflict_error("a work order numbered '" + in.number + "' already exists");
    number = in.number;
    // A number a later generated one could be (number_taken): the import's and the
    // PostgreSQL transaction's sets of them learn it now (its row is written at flush).
    if (imp || pg)
      if (const auto id = generated_id(number); id && *id >= next_order_id)
        (imp ? imp->hand_numbers : pg->hand_numbers).insert(number);
  }
  cached made(next_order_id, detail::created_order(in, std::move(number), by, draft, *deadlines));
  if (!made.order.split_from.empty() && !load(made.order.split_from))
    throw not_found_error("split_from names no work order: '" + made.order.split_from + "'");
  // Fresh: the number is in neither the cache nor the file (checked above).
  cached* slot = cache.emplace(made.order.number, std::move(made)).first;
  ++next_order_id;
  cached& c = *slot;
  // The create's changes straight from the order (the same bytes as its list of changes).
  const std::int64_t t = secs(c.order.received_at);
  changes_buf.clear();
  detail::encode_created_v2(changes_buf, c.order, t);
  append_event(c, c.order.version, action::create, by, t, std::nullopt, c.order.state, changes_buf, std::string());
  if (c.order.urgent()) urgent_pending.push_back(c.order);
  return c;
}

store::impl::cached& store::impl::do_apply(std::string_view number, const command& in) {
  auto& c = must_load(number);
  const command* cmd = &in;
  command routed;
  if (in.action == action::dispatch) {
    routed = in;
    if (routed.unit.empty()) {
      check_text("unit", routed.unit);
      const auto dir = load_directory();
      const auto r = dir.route({c.order.district, c.order.sub_district, {}}, c.order.topic);
      if (!r) throw not_found_error("no unit given and none covers the order's place and topic; choose a unit");
      routed.unit = r->unit;
    }
    check_text("unit", routed.unit);
    require_unit(routed.unit);
    for (const auto& u : detail::comma_split(routed.co_units)) {
      check_text("co_units", u);
      require_unit(u);
    }
    if (routed.liaison.empty()) routed.liaison = liaison_of(routed.unit, routed.at);
    cmd = &routed;
  }
  if ((in.action == action::merge || in.action == action::relate) && !in.target.empty()) {
    check_text("target", in.target);
    if (in.target != c.order.number && !load(in.target))
      throw not_found_error("no work order numbered '" + in.target + "' to " + std::string(to_string(in.action)));
  }
  // On the cached order itself (apply() would copy it): left as it was if the command fails.
  const bool was_urgent = c.order.urgent();
  apply_changes.clear();
  apply_clocks.clear();
  const order_state before = detail::apply_in_place(c.order, *cmd, *deadlines, apply_changes, &apply_clocks);
  const std::int64_t t = secs(in.at);
  changes_buf.clear();
  detail::encode_changes_v2(changes_buf, apply_changes, t, &apply_clocks);
  append_event(c, c.order.version, in.action, in.by, t, before, c.order.state, changes_buf, in.comment);
  if (c.order.urgent() && !was_urgent) urgent_pending.push_back(c.order);
  return c;
}

}  // namespace hotline
