// The state machine as a pure function: hotline::create and hotline::apply.
#include "hotline/detail/utf8.hpp"
#include "hotline/masking.hpp"
#include "hotline/work_order.hpp"
#include "work_order_fields.hpp"

#include <algorithm>

namespace hotline {

namespace {

using detail::check_text;

std::size_t limit_of(detail::personal p, std::string_view name) {
  if (p == detail::personal::free_text || name == "kb_entries" || name == "co_units" || name == "related")
    return detail::long_text_limit;
  return detail::short_text_limit;
}

void check_order_texts(const work_order& o) {
  check_text("number", o.number, detail::short_text_limit);
  detail::for_each_field(o, [](const char* n, const auto& v, detail::personal p) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) check_text(n, v, limit_of(p, n));
  });
}

void check_command_texts(const command& c) {
  check_text("actor", c.by.id, detail::short_text_limit);
  check_text("actor unit", c.by.unit, detail::short_text_limit);
  check_text("comment", c.comment, detail::long_text_limit);
  check_text("unit", c.unit, detail::short_text_limit);
  check_text("co_units", c.co_units, detail::long_text_limit);
  check_text("liaison", c.liaison, detail::short_text_limit);
  check_text("answer", c.answer, detail::long_text_limit);
  check_text("kb_entries", c.kb_entries, detail::long_text_limit);
  check_text("reason", c.reason, detail::long_text_limit);
  check_text("reply_text", c.reply_text, detail::long_text_limit);
  check_text("target", c.target, detail::long_text_limit);
  for (const auto& [k, v] : c.amendments) {
    check_text("amended field name", k, detail::short_text_limit);
    check_text(k, v, detail::long_text_limit);
  }
}

bool in_list(std::string_view list, std::string_view item) {
  std::size_t i = 0;
  while (i <= list.size()) {
    const auto j = std::min(list.find(',', i), list.size());
    if (list.substr(i, j - i) == item) return true;
    i = j + 1;
  }
  return false;
}

/// Sets fields and records each change old -> new (clocks as values when `clocks`).
class recorder {
 public:
  recorder(work_order& o, std::vector<field_change>& ch, std::vector<detail::clock_change>* clocks)
      : o_(o), ch_(ch), clocks_(clocks) {}
  template <class T, class U>
  void set(const char* name, T& member, U&& value) {
    T v(std::forward<U>(value));
    if (member == v) return;
    ch_.push_back({name, detail::to_text(member), detail::to_text(v)});
    member = std::move(v);
  }
  /// A clock changes as one field, "<clock>_clock" (see detail::clock_text).
  void set_clock(clock_kind k, const order_clock& c) {
    auto& cur = o_.clocks[static_cast<std::size_t>(k)];
    if (cur == c) return;
    if (clocks_) {
      clocks_->push_back({ch_.size(), k, cur, c});
      ch_.push_back({std::string(detail::clock_change_names[static_cast<std::size_t>(k)]), {}, {}});
    } else {
      ch_.push_back({std::string(detail::clock_change_names[static_cast<std::size_t>(k)]), detail::clock_text(cur),
                     detail::clock_text(c)});
    }
    cur = c;
  }
  work_order& order() { return o_; }

 private:
  work_order& o_;
  std::vector<field_change>& ch_;
  std::vector<detail::clock_change>* clocks_;
};

struct clocks {
  recorder& rec;
  const deadline_policy& d;

  void start(clock_kind k, instant t) {
    const auto dt = d.due(k, rec.order(), t);
    rec.set_clock(k, {clock_outcome::running, t, dt.due, dt.warn, std::nullopt});
  }
  void stop(clock_kind k, instant t) {
    auto c = rec.order().clock(k);
    if (c.outcome != clock_outcome::running && c.outcome != clock_outcome::paused) return;
    const bool missed = c.due && t > *c.due;
    c.outcome = missed ? clock_outcome::missed : clock_outcome::met;
    c.stopped = t;
    rec.set_clock(k, c);
    if (missed) rec.set("overdue", rec.order().overdue, true);
  }
  void void_(clock_kind k, instant t) {
    auto c = rec.order().clock(k);
    if (c.outcome != clock_outcome::running && c.outcome != clock_outcome::paused) return;
    c.outcome = clock_outcome::voided;
    c.stopped = t;
    rec.set_clock(k, c);
  }
  void void_all(instant t) {
    for (std::size_t k = 0; k < clock_count; ++k) void_(static_cast<clock_kind>(k), t);
  }
  void pause(clock_kind k, instant t) {
    auto c = rec.order().clock(k);
    if (c.outcome != clock_outcome::running) return;
    c.outcome = clock_outcome::paused;
    c.stopped = t;
    rec.set_clock(k, c);
  }
  void resume(clock_kind k, instant t) {
    auto c = rec.order().clock(k);
    if (c.outcome != clock_outcome::paused || !c.due || !c.warn || !c.stopped) return;
    const auto dt = d.resumed(k, rec.order(), {*c.due, *c.warn}, *c.stopped, t);
    rec.set_clock(k, {clock_outcome::running, c.start, dt.due, dt.warn, std::nullopt});
  }
  void extend(clock_kind k, int days) {
    auto c = rec.order().clock(k);
    if ((c.outcome != clock_outcome::running && c.outcome != clock_outcome::paused) || !c.due || !c.warn) return;
    const auto dt = d.extended(k, rec.order(), {*c.due, *c.warn}, days);
    c.due = dt.due;
    c.warn = dt.warn;
    rec.set_clock(k, c);
  }
  /// 重办: the stopped reply clock runs again with its original due instant.
  void rerun(clock_kind k) {
    auto c = rec.order().clock(k);
    if (c.outcome != clock_outcome::met && c.outcome != clock_outcome::missed) return;
    c.outcome = clock_outcome::running;
    c.stopped.reset();
    rec.set_clock(k, c);
  }
};

/// Fields `amend` may change; everything else moves only through its own action.
constexpr std::string_view amendable[] = {
    "call_ref",  "line",       "channel",           "ivr_key", "caller_name",   "caller_sex",     "anonymous",
    "confidential", "caller_phone", "callback_phone", "caller_id_number", "district", "sub_district", "address",
    "request_type", "topic",    "sub_topic",         "complaint_subject", "content", "complex",     "respondent",
    "kb_entries",   "feedback_route", "review_opinion",
};

void require(bool ok, const std::string& what) {
  if (!ok) throw invalid_argument_error(what);
}

}  // namespace

applied detail::create_numbered(const work_order& order, std::string number, const actor& by, bool draft,
                                const deadline_policy& deadlines) {
  applied r{created_order(order, std::move(number), by, draft, deadlines), order_state::draft, {}};
  r.changes.reserve(24);
  for_each_created_change(r.order, [&](std::string_view name, const auto& v) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, order_clock>)
      r.changes.push_back({std::string(name), clock_text(order_clock{}), clock_text(v)});
    else
      r.changes.push_back({std::string(name), "", to_text(v)});
  });
  return r;
}

work_order detail::created_order(const work_order& order, std::string number, const actor& by, bool draft,
                                 const deadline_policy& deadlines) {
  check_transition(action::create, order_state::draft, by.role);
  check_text("actor", by.id, detail::short_text_limit);
  check_order_texts(order);
  require(!order.content.empty(), "field content is empty: a work order needs the caller's request");
  work_order o;
  // Only the intake fields are taken from `order`; what actions set starts empty.
  o.number = std::move(number);
  o.call_ref = order.call_ref;
  o.line = order.line;
  o.channel = order.channel;
  o.ivr_key = order.ivr_key;
  o.received_at = order.received_at;
  o.agent = order.agent.empty() ? by.id : order.agent;
  o.caller_name = order.caller_name;
  o.caller_sex = order.caller_sex;
  o.anonymous = order.anonymous;
  o.confidential = order.confidential;
  o.caller_phone = order.caller_phone;
  o.callback_phone = order.callback_phone;
  o.caller_id_number = order.caller_id_number;
  o.district = order.district;
  o.sub_district = order.sub_district;
  o.address = order.address;
  o.request_type = order.request_type;
  o.topic = order.topic;
  o.sub_topic = order.sub_topic;
  o.complaint_subject = order.complaint_subject;
  o.content = order.content;
  o.urgency = order.urgency;
  o.complex = order.complex;
  o.respondent = order.respondent;
  o.kb_entries = order.kb_entries;
  o.feedback_route = order.feedback_route;
  o.review_opinion = order.review_opinion;
  o.split_from = order.split_from;
  o.related = order.related;
  o.state = draft ? order_state::draft : order_state::waiting_for_dispatch;
  o.version = 1;
  for (auto k : {clock_kind::transfer, clock_kind::completion}) {
    const auto dt = deadlines.due(k, o, o.received_at);
    o.clock(k) = {clock_outcome::running, o.received_at, dt.due, dt.warn, std::nullopt};
  }
  return o;
}

applied create(const work_order& order, const actor& by, bool draft, const deadline_policy& deadlines) {
  return detail::create_numbered(order, order.number, by, draft, deadlines);
}

applied apply(const work_order& order, const command& c, const deadline_policy& deadlines) {
  applied r{order, order.state, {}};
  detail::apply_in_place(r.order, c, deadlines, r.changes);
  return r;
}

namespace {

/// The state machine's body: `apply` on `order` itself, appending to `changes`.
void apply_to(work_order& order, const command& c, const deadline_policy& deadlines, std::vector<field_change>& changes,
              std::vector<detail::clock_change>* clock_changes) {
  if (c.action == action::create) throw invalid_argument_error("use create() to make an order");
  check_transition(c.action, order.state, c.by.role);
  if (c.expected_version && *c.expected_version != order.version)
    throw conflict_error("conflict: order " + order.number + " is at version " + std::to_string(order.version) +
                         ", the command expected version " + std::to_string(*c.expected_version));
  check_command_texts(c);
  if (c.by.role == role::liaison && (c.by.unit.empty() || (c.by.unit != order.unit && !in_list(order.co_units, c.by.unit))))
    throw permission_denied_error("permission denied: a liaison of unit '" + c.by.unit + "' may not " +
                                  std::string(to_string(c.action)) + " an order handled by unit '" + order.unit + "'");

  changes.reserve(8);  // no action records more than a handful
  work_order& o = order;
  recorder rec(o, changes, clock_changes);
  clocks clk{rec, deadlines};
  const instant t = c.at;
  using K = clock_kind;

  switch (c.action) {
    case action::create: break;
    case action::answer:
      // 000 art. 11: complaints, reports, help requests and praise always become work orders.
      if (always_work_order(o.request_type))
        throw illegal_transition_error("illegal transition: cannot answer a " + std::string(to_string(o.request_type)) +
                                       " on the spot: it must become a work order (000 art. 11)");
      rec.set("answer", o.answer, c.answer);
      rec.set("kb_entries", o.kb_entries, c.kb_entries);
      clk.stop(K::transfer, t);
      clk.stop(K::completion, t);
      break;
    case action::submit: break;
    case action::dispatch:
      require(!c.unit.empty(), "dispatch needs a unit");
      require(!in_list(c.co_units, c.unit), "the handling unit cannot also be a co-handling unit");
      rec.set("unit", o.unit, c.unit);
      rec.set("co_units", o.co_units, c.co_units);
      rec.set("liaison", o.liaison, c.liaison);
      rec.set("dispatch_means", o.dispatch_means, c.means);
      rec.set("dispatched_at", o.dispatched_at, std::optional<instant>(t));
      clk.stop(K::transfer, t);
      clk.start(K::sign_for, t);
      clk.start(K::reply, t);
      break;
    case action::sign_for:
      rec.set("signed_at", o.signed_at, std::optional<instant>(t));
      clk.stop(K::sign_for, t);
      break;
    case action::request_return:
      require(!c.reason.empty(), "request_return needs a reason");
      rec.set("return_reason", o.return_reason, c.reason);
      break;
    case action::approve_return:
      clk.void_(K::sign_for, t);
      clk.void_(K::reply, t);
      rec.set("unit", o.unit, std::string());
      rec.set("co_units", o.co_units, std::string());
      rec.set("liaison", o.liaison, std::string());
      rec.set("dispatched_at", o.dispatched_at, std::optional<instant>());
      rec.set("signed_at", o.signed_at, std::optional<instant>());
      clk.start(K::transfer, t);
      break;
    case action::reject_return:
      if (!c.reason.empty()) rec.set("review_opinion", o.review_opinion, c.reason);
      if (!o.signed_at) rec.set("signed_at", o.signed_at, std::optional<instant>(t));
      clk.stop(K::sign_for, t);
      break;
    case action::request_extension:
      if (o.extension_pending) throw illegal_transition_error("illegal transition: an extension is already pending");
      rec.set("extension_pending", o.extension_pending, true);
      break;
    case action::approve_extension:
      if (!o.extension_pending)
        throw illegal_transition_error("illegal transition: cannot approve_extension: no extension is pending");
      require(c.extension_days > 0 && c.extension_days <= 366, "approve_extension needs 1..366 extension_days");
      clk.extend(K::reply, c.extension_days);
      clk.extend(K::completion, c.extension_days);
      rec.set("extension_days", o.extension_days, o.extension_days + c.extension_days);
      rec.set("extension_pending", o.extension_pending, false);
      break;
    case action::reject_extension:
      if (!o.extension_pending)
        throw illegal_transition_error("illegal transition: cannot reject_extension: no extension is pending");
      rec.set("extension_pending", o.extension_pending, false);
      break;
    case action::suspend:
      clk.pause(K::reply, t);
      clk.pause(K::completion, t);
      break;
    case action::resume:
      clk.resume(K::reply, t);
      clk.resume(K::completion, t);
      break;
    case action::reply:
      require(!c.reply_text.empty(), "reply needs reply_text");
      rec.set("finding", o.finding, c.finding);
      rec.set("resolved", o.resolved, c.resolved);
      rec.set("reply_text", o.reply_text, c.reply_text);
      rec.set("replied_at", o.replied_at, std::optional<instant>(t));
      rec.set("reply_means", o.reply_means, c.means);
      clk.stop(K::reply, t);
      break;
    case action::accept_reply:
      if (!c.reason.empty()) rec.set("review_opinion", o.review_opinion, c.reason);
      clk.start(K::call_back, t);
      break;
    case action::reject_reply:
      if (!c.reason.empty()) rec.set("review_opinion", o.review_opinion, c.reason);
      rec.set("replied_at", o.replied_at, std::optional<instant>());
      clk.rerun(K::reply);
      break;
    case action::call_back:
      require(c.call_back != call_back_result::none, "call_back needs a result");
      rec.set("call_back", o.call_back, c.call_back);
      rec.set("called_back_at", o.called_back_at, std::optional<instant>(t));
      rec.set("call_back_means", o.call_back_means, c.means);
      clk.stop(K::call_back, t);
      break;
    case action::close:
      clk.stop(K::call_back, t);
      clk.stop(K::completion, t);
      break;
    case action::reopen:
      rec.set("reopen_count", o.reopen_count, o.reopen_count + 1);
      rec.set("replied_at", o.replied_at, std::optional<instant>());
      rec.set("call_back", o.call_back, call_back_result::none);
      rec.set("called_back_at", o.called_back_at, std::optional<instant>());
      clk.void_(K::call_back, t);
      rec.set_clock(K::call_back, order_clock{});
      clk.start(K::reply, t);
      clk.start(K::completion, t);
      break;
    case action::supervise: rec.set("supervision", o.supervision, c.level); break;
    case action::mark_urgent: rec.set("urgency", o.urgency, urgency::urgent); break;
    case action::flag:
      rec.set("warning", o.warning, c.warning);
      rec.set("overdue", o.overdue, c.overdue);
      break;
    case action::amend:
      require(!c.amendments.empty(), "amend needs at least one field");
      for (const auto& [name, value] : c.amendments) {
        if (std::find(std::begin(amendable), std::end(amendable), name) == std::end(amendable))
          throw invalid_argument_error("field " + mask_text(name) +
                                       " cannot be amended (unknown, or changed only by its own action)");
        auto before = get_field(o, name).value_or("");
        set_field(o, name, value);
        auto after = get_field(o, name).value_or("");
        if (before != after) changes.push_back({name, std::move(before), std::move(after)});
      }
      check_order_texts(o);
      break;
    case action::relate:
    case action::split:
      require(!c.target.empty(), std::string(to_string(c.action)) + " needs a target order number");
      if (!in_list(o.related, c.target))
        rec.set("related", o.related, o.related.empty() ? c.target : o.related + "," + c.target);
      break;
    case action::merge:
      require(!c.target.empty() && c.target != o.number, "merge needs another order's number as target");
      rec.set("merged_into", o.merged_into, c.target);
      clk.void_all(t);
      break;
    case action::void_: clk.void_all(t); break;
  }
  o.state = next_state(c.action, o.state);
  ++o.version;
}

}  // namespace

order_state detail::apply_in_place(work_order& order, const command& c, const deadline_policy& deadlines,
                                   std::vector<field_change>& changes, std::vector<clock_change>* clocks) {
  const order_state before = order.state;
  const std::size_t first = changes.size(), first_clock = clocks ? clocks->size() : 0;
  try {
    apply_to(order, c, deadlines, changes, clocks);
  } catch (...) {
    // Undo, newest first: clocks from their old values, the other fields from their old
    // texts (the same round trip as a replay of the events), so the order is exactly as
    // it was.  State and version change last, after everything that can throw.
    std::size_t k = clocks ? clocks->size() : 0;
    for (std::size_t i = changes.size(); i-- > first;) {
      if (k > first_clock && (*clocks)[k - 1].index == i) {
        --k;
        order.clock((*clocks)[k].kind) = (*clocks)[k].before;
      } else {
        set_field(order, changes[i].field, changes[i].before);
      }
    }
    changes.resize(first);
    if (clocks) clocks->resize(first_clock);
    throw;
  }
  return before;
}

}  // namespace hotline
