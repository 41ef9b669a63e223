// hotline/work_order.hpp: the work order (工单), its states, roles and transitions.
//
// Every call that needs follow-up becomes a work order that travels from the
// receiving agent to a handling unit and back (001 §3.3-3.4, annex 9; 000 art.
// 10-12).  This header holds the value type and the rules; store.hpp keeps
// orders and their event history in SQLite.
//
//   hotline::work_order wo;                       // a value, cheap to copy
//   hotline::check_transition(hotline::action::sign_for, wo.state, hotline::role::liaison);
//   // throws illegal_transition_error / permission_denied_error naming both sides
//
// The state machine (who may do what is in `transitions` below):
//
//   create ─► draft ─submit─► waiting_for_dispatch ─dispatch─► dispatched ─sign_for─► in_progress
//     │         └──answer──► answered_on_spot (terminal)           │   ▲  │                │ ▲
//     └────────────(create without draft)─┘              request_return  │  suspend/resume   │ │
//   return_requested ─approve_return─► waiting_for_dispatch (the unit's clocks are voided)  │ │
//                    └reject_return──► in_progress                      reply ─► replied ───┘ │
//   replied ─accept_reply─► waiting_for_call_back ─close─► closed     (reject_reply = 重办) ─┘
//   waiting_for_call_back / closed ─reopen─► in_progress (a new clock cycle, reopen_count + 1)
//   merge ─► merged, void ─► void (terminal)
//
// Rules spelled out:
//  * Complaints, reports, help requests and praise always become work orders
//    (000 art. 11): `answer` (answered on the spot from the knowledge base) is
//    refused for them with illegal_transition_error.
//  * The receiving agent is the first-question owner (首问负责制, 001 §4.2) and
//    stays the owner: no action changes `agent`.
//  * A `return` approved voids the unit's sign-for and reply clocks (their
//    outcome becomes `voided`) and restarts the transfer clock at the approval.
//  * `reject_reply` (重办) sends the order back to the same unit; the reply clock
//    runs on with its original due instant: rework earns no new time.
//  * `suspend` pauses the reply and completion clocks; `resume` moves their due
//    instants by the working time the order spent suspended (deadline_policy).
//  * `reopen` starts a new cycle: the reply and completion clocks restart at the
//    reopen instant; the call-back clock waits for the next accepted reply.
#pragma once

#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

// ---- vocabularies ----------------------------------------------------------

/// 000 art. 4, 9; 001 annex 8.
enum class request_type : std::uint8_t { consultation, complaint, report, help_request, praise, suggestion, other };
/// How the call came in (000 art. 2; 001 §1.3 IVR keys).
enum class channel : std::uint8_t { phone, wechat, online, voice };
/// Required feedback route (001 annex 9 要求反馈方式).
enum class feedback_route : std::uint8_t { unit_replies, authority_replies, centre_replies };
/// Transfer means (001 annex 9 转办方式) and reply means.
enum class transfer_means : std::uint8_t { none, system, phone, fax, letter, email };
enum class urgency : std::uint8_t { normal, urgent };
enum class finding : std::uint8_t { none, true_finding, false_finding, partly_true, not_applicable };
enum class call_back_result : std::uint8_t { none, satisfied, basically_satisfied, dissatisfied, unreachable };
enum class supervision_level : std::uint8_t { none, reminder, supervision, yellow, red };  ///< 催办, 督办, 黄牌, 红牌
enum class sex : std::uint8_t { unknown, male, female };

enum class order_state : std::uint8_t {
  draft,
  answered_on_spot,  ///< terminal
  waiting_for_dispatch,
  dispatched,  ///< waiting for sign-for
  in_progress,
  return_requested,
  suspended,  ///< clocks paused
  replied,    ///< waiting for review
  waiting_for_call_back,
  closed,
  voided,  ///< "void"
  merged,  ///< terminal: merged into another order
};
inline constexpr std::size_t order_state_count = 12;

enum class role : std::uint8_t { agent, dispatcher, liaison, reviewer, call_back_agent, supervisor, system };
inline constexpr std::size_t role_count = 7;

enum class action : std::uint8_t {
  create, answer, submit, dispatch, sign_for,
  request_return, approve_return, reject_return,
  request_extension, approve_extension, reject_extension,
  suspend, resume, reply, accept_reply, reject_reply,
  call_back, close, reopen, supervise, mark_urgent, flag, amend, relate, merge, split, void_,
};
inline constexpr std::size_t action_count = 27;

/// The clocks of an order (DOMAIN §4).  transfer: receipt to dispatch; sign_for:
/// dispatch to sign-for; reply: dispatch to the unit's reply; completion:
/// receipt to close; call_back: accepted reply to call-back.
enum class clock_kind : std::uint8_t { transfer, sign_for, reply, completion, call_back };
inline constexpr std::size_t clock_count = 5;
enum class clock_outcome : std::uint8_t { not_started, running, paused, met, missed, voided };

std::string_view to_string(request_type v) noexcept;
std::string_view to_string(channel v) noexcept;
std::string_view to_string(feedback_route v) noexcept;
std::string_view to_string(transfer_means v) noexcept;
std::string_view to_string(urgency v) noexcept;
std::string_view to_string(finding v) noexcept;
std::string_view to_string(call_back_result v) noexcept;
std::string_view to_string(supervision_level v) noexcept;
std::string_view to_string(sex v) noexcept;
std::string_view to_string(order_state v) noexcept;
std::string_view to_string(role v) noexcept;
std::string_view to_string(action v) noexcept;
std::string_view to_string(clock_kind v) noexcept;
std::string_view to_string(clock_outcome v) noexcept;

/// Parsers of the names above (to_string's spelling); throw invalid_argument_error
/// naming the text and the vocabulary when the name is unknown.
template <class Enum>
Enum parse_enum(std::string_view text);
template <> request_type parse_enum<request_type>(std::string_view);
template <> channel parse_enum<channel>(std::string_view);
template <> feedback_route parse_enum<feedback_route>(std::string_view);
template <> transfer_means parse_enum<transfer_means>(std::string_view);
template <> urgency parse_enum<urgency>(std::string_view);
template <> finding parse_enum<finding>(std::string_view);
template <> call_back_result parse_enum<call_back_result>(std::string_view);
template <> supervision_level parse_enum<supervision_level>(std::string_view);
template <> sex parse_enum<sex>(std::string_view);
template <> order_state parse_enum<order_state>(std::string_view);
template <> role parse_enum<role>(std::string_view);
template <> action parse_enum<action>(std::string_view);
template <> clock_kind parse_enum<clock_kind>(std::string_view);
template <> clock_outcome parse_enum<clock_outcome>(std::string_view);

constexpr bool is_terminal(order_state s) noexcept {
  return s == order_state::answered_on_spot || s == order_state::closed || s == order_state::voided ||
         s == order_state::merged;
}
/// Open: with a unit or on the way to one (not draft, not terminal).
constexpr bool is_open(order_state s) noexcept { return s != order_state::draft && !is_terminal(s); }
/// Whether a request type must always become a work order (000 art. 11).
constexpr bool always_work_order(request_type t) noexcept {
  return t == request_type::complaint || t == request_type::report || t == request_type::help_request ||
         t == request_type::praise;
}

// ---- the transition table --------------------------------------------------

namespace detail {
constexpr std::uint32_t bit(order_state s) noexcept { return 1u << static_cast<unsigned>(s); }
constexpr std::uint32_t bit(role r) noexcept { return 1u << static_cast<unsigned>(r); }
template <class... T>
constexpr std::uint32_t bits(T... v) noexcept { return (0u | ... | bit(v)); }
}  // namespace detail

/// One row of the state machine: from which states an action may be taken,
/// where it leads (`same`: the state does not change), and which roles may take it.
struct transition {
  action act;
  std::uint32_t from;  ///< bit set of order_state
  bool same;           ///< the state stays as it is
  order_state to;
  std::uint32_t roles;  ///< bit set of role
};

namespace detail {
using S = order_state;
using R = role;
inline constexpr std::uint32_t open_states =
    bits(S::waiting_for_dispatch, S::dispatched, S::in_progress, S::return_requested, S::suspended, S::replied,
         S::waiting_for_call_back);
inline constexpr std::uint32_t editable_states =
    bits(S::draft, S::waiting_for_dispatch, S::dispatched, S::in_progress, S::return_requested, S::suspended);
inline constexpr std::uint32_t all_states = (1u << order_state_count) - 1u;
}  // namespace detail

/// The table: the one place the rules of who-may-do-what live.
inline constexpr std::array<transition, action_count> transitions{{
    // create's `from` is empty: it makes the order (draft or waiting_for_dispatch).
    {action::create, 0, false, order_state::waiting_for_dispatch, detail::bits(detail::R::agent, detail::R::system)},
    {action::answer, detail::bits(detail::S::draft, detail::S::waiting_for_dispatch), false, order_state::answered_on_spot,
     detail::bits(detail::R::agent)},
    {action::submit, detail::bits(detail::S::draft), false, order_state::waiting_for_dispatch, detail::bits(detail::R::agent)},
    // 001 §3.3: the agent transfers (转办) to the unit's liaison; a dispatcher or the system may too.
    {action::dispatch, detail::bits(detail::S::waiting_for_dispatch), false, order_state::dispatched,
     detail::bits(detail::R::agent, detail::R::dispatcher, detail::R::system)},
    {action::sign_for, detail::bits(detail::S::dispatched), false, order_state::in_progress, detail::bits(detail::R::liaison)},
    {action::request_return, detail::bits(detail::S::dispatched, detail::S::in_progress), false, order_state::return_requested,
     detail::bits(detail::R::liaison)},
    {action::approve_return, detail::bits(detail::S::return_requested), false, order_state::waiting_for_dispatch,
     detail::bits(detail::R::dispatcher, detail::R::supervisor)},
    {action::reject_return, detail::bits(detail::S::return_requested), false, order_state::in_progress,
     detail::bits(detail::R::dispatcher, detail::R::supervisor)},
    {action::request_extension, detail::bits(detail::S::in_progress), true, order_state::in_progress,
     detail::bits(detail::R::liaison)},
    {action::approve_extension, detail::bits(detail::S::in_progress, detail::S::suspended), true, order_state::in_progress,
     detail::bits(detail::R::dispatcher, detail::R::supervisor)},
    {action::reject_extension, detail::bits(detail::S::in_progress, detail::S::suspended), true, order_state::in_progress,
     detail::bits(detail::R::dispatcher, detail::R::supervisor)},
    {action::suspend, detail::bits(detail::S::in_progress), false, order_state::suspended,
     detail::bits(detail::R::dispatcher, detail::R::supervisor)},
    {action::resume, detail::bits(detail::S::suspended), false, order_state::in_progress,
     detail::bits(detail::R::dispatcher, detail::R::supervisor, detail::R::system)},
    {action::reply, detail::bits(detail::S::in_progress), false, order_state::replied, detail::bits(detail::R::liaison)},
    {action::accept_reply, detail::bits(detail::S::replied), false, order_state::waiting_for_call_back,
     detail::bits(detail::R::reviewer, detail::R::dispatcher)},
    {action::reject_reply, detail::bits(detail::S::replied), false, order_state::in_progress,
     detail::bits(detail::R::reviewer, detail::R::dispatcher)},
    {action::call_back, detail::bits(detail::S::waiting_for_call_back), true, order_state::waiting_for_call_back,
     detail::bits(detail::R::call_back_agent, detail::R::agent)},
    {action::close, detail::bits(detail::S::waiting_for_call_back), false, order_state::closed,
     detail::bits(detail::R::call_back_agent, detail::R::reviewer, detail::R::supervisor, detail::R::system)},
    {action::reopen, detail::bits(detail::S::waiting_for_call_back, detail::S::closed), false, order_state::in_progress,
     detail::bits(detail::R::reviewer, detail::R::call_back_agent, detail::R::supervisor)},
    {action::supervise, detail::open_states, true, order_state::in_progress, detail::bits(detail::R::supervisor)},
    {action::mark_urgent, detail::open_states | detail::bits(detail::S::draft), true, order_state::in_progress,
     detail::bits(detail::R::agent, detail::R::dispatcher, detail::R::supervisor)},
    {action::flag, detail::open_states, true, order_state::in_progress, detail::bits(detail::R::system, detail::R::supervisor)},
    {action::amend, detail::editable_states, true, order_state::in_progress,
     detail::bits(detail::R::agent, detail::R::dispatcher, detail::R::supervisor)},
    {action::relate, detail::all_states, true, order_state::in_progress,
     detail::bits(detail::R::agent, detail::R::dispatcher, detail::R::supervisor)},
    {action::merge, detail::bits(detail::S::draft, detail::S::waiting_for_dispatch, detail::S::dispatched), false,
     order_state::merged, detail::bits(detail::R::agent, detail::R::dispatcher, detail::R::supervisor)},
    {action::split, detail::bits(detail::S::draft, detail::S::waiting_for_dispatch), true, order_state::draft,
     detail::bits(detail::R::agent, detail::R::dispatcher)},
    {action::void_, detail::bits(detail::S::draft, detail::S::waiting_for_dispatch, detail::S::dispatched), false,
     order_state::voided, detail::bits(detail::R::agent, detail::R::dispatcher, detail::R::supervisor)},
}};

constexpr const transition& transition_of(action a) noexcept { return transitions[static_cast<std::size_t>(a)]; }
static_assert([] {
  for (std::size_t i = 0; i < transitions.size(); ++i)
    if (static_cast<std::size_t>(transitions[i].act) != i) return false;
  return true;
}());

/// Whether `r` may take `a` at all, whatever the state.
constexpr bool role_may(action a, role r) noexcept { return (transition_of(a).roles & detail::bit(r)) != 0; }
/// Whether `a` is allowed from state `s`.
constexpr bool allowed_from(action a, order_state s) noexcept { return (transition_of(a).from & detail::bit(s)) != 0; }
/// The state after `a` from `s` (assumes allowed_from).
constexpr order_state next_state(action a, order_state s) noexcept {
  const auto& t = transition_of(a);
  return t.same ? s : t.to;
}

/// Throws illegal_transition_error ("cannot sign_for an order in state closed")
/// or permission_denied_error ("role agent may not sign_for; allowed: liaison"),
/// naming the action and the state or role.  The state is checked first.
void check_transition(action a, order_state s, role r);

// ---- clocks and the order --------------------------------------------------

/// One SLA clock of an order.  `due`/`warn` are meaningful once started.
struct order_clock {
  clock_outcome outcome = clock_outcome::not_started;
  std::optional<instant> start;
  std::optional<instant> due;
  std::optional<instant> warn;     ///< when the order counts as warned (预警)
  std::optional<instant> stopped;  ///< when it was met, missed, paused or voided
  friend bool operator==(const order_clock&, const order_clock&) = default;
};

/// The work order.  Field names follow the transfer form (001 annex 9).
/// Personal data: caller_name, caller_phone, callback_phone, caller_id_number,
/// address (see masking.hpp; work_order::masked()).
struct work_order {
  std::string number;            ///< e.g. 12320-20250124-000001; given by the store unless set
  std::int64_t version = 0;      ///< 1 after create, +1 per event (optimistic concurrency)
  order_state state = order_state::draft;

  std::string call_ref;   ///< call / recording reference (000 art. 11: the recording is kept)
  std::string line = "12320";  ///< service line: "12320", "family_doctor", ...
  hotline::channel channel = hotline::channel::phone;
  int ivr_key = 0;        ///< 001 §1.3: 1 consultation, 2 report, 3 appointment; 0 none
  instant received_at{};  ///< 受理时间
  std::string agent;      ///< receiving agent, the first-question owner (stays the owner)

  std::string caller_name;
  hotline::sex caller_sex = hotline::sex::unknown;
  bool anonymous = false;
  bool confidential = false;  ///< the caller asked that their identity be kept from the unit
  std::string caller_phone;
  std::string callback_phone;
  std::string caller_id_number;
  std::string district, sub_district, address;

  hotline::request_type request_type = hotline::request_type::consultation;
  std::string topic, sub_topic;  ///< 001 §6, annex 8 table 4
  std::string complaint_subject; ///< annex 8 table 3
  std::string content;
  hotline::urgency urgency = hotline::urgency::normal;
  bool complex = false;          ///< 001 §3.4: complex (30 working days) vs simple (7)
  std::string respondent;        ///< the person or institution complained about
  std::string kb_entries;        ///< knowledge-base entries cited, comma-separated
  std::string answer;            ///< the answer given on the spot
  hotline::feedback_route feedback_route = hotline::feedback_route::unit_replies;
  std::string review_opinion;    ///< 管理部门审定意见

  std::string unit;              ///< handling unit code
  std::string co_units;          ///< co-handling unit codes, comma-separated
  std::string liaison;           ///< the unit's liaison at dispatch
  transfer_means dispatch_means = transfer_means::none;
  std::optional<instant> dispatched_at, signed_at;

  hotline::finding finding = hotline::finding::none;
  bool resolved = false;
  std::string reply_text;
  std::optional<instant> replied_at;
  transfer_means reply_means = transfer_means::none;

  std::optional<instant> called_back_at;
  transfer_means call_back_means = transfer_means::none;
  call_back_result call_back = call_back_result::none;

  int reopen_count = 0;
  std::string merged_into, split_from, related;  ///< links; related is comma-separated
  supervision_level supervision = supervision_level::none;
  bool warning = false, overdue = false, extension_pending = false;
  int extension_days = 0;        ///< working days granted by approved extensions
  std::string return_reason;

  std::array<order_clock, clock_count> clocks{};

  [[nodiscard]] const order_clock& clock(clock_kind k) const { return clocks[static_cast<std::size_t>(k)]; }
  [[nodiscard]] order_clock& clock(clock_kind k) { return clocks[static_cast<std::size_t>(k)]; }
  [[nodiscard]] bool urgent() const noexcept { return urgency == hotline::urgency::urgent; }
  /// The earliest due instant of the running clocks (paused ones do not count).
  [[nodiscard]] std::optional<instant> next_due() const;
  [[nodiscard]] std::optional<instant> next_warn() const;
  /// Overdue as of t: open and a running clock's due instant is before t.
  [[nodiscard]] bool overdue_as_of(instant t) const;
  /// A copy with personal data masked (names, phone and ID numbers, and digit
  /// runs in free text: content, address, reply, answer).
  [[nodiscard]] work_order masked() const;

  friend bool operator==(const work_order&, const work_order&) = default;
};

// ---- the deadline seam -------------------------------------------------------

/// Due and warning instants of one clock.
struct due_times {
  instant due;
  instant warn;
  friend bool operator==(const due_times&, const due_times&) = default;
};

/// What the order needs of an SLA policy: when each clock is due.  The store
/// calls it inside the write transaction and records the answers in the event,
/// so that a rebuild replays the same instants whatever the policy says later.
class deadline_policy {
 public:
  virtual ~deadline_policy() = default;
  /// The clock `k` of `order` starting at `start`.
  [[nodiscard]] virtual due_times due(clock_kind k, const work_order& order, instant start) const = 0;
  /// After a pause from `paused_at` to `resumed_at`: the clock's new times.
  [[nodiscard]] virtual due_times resumed(clock_kind k, const work_order& order, due_times before, instant paused_at,
                                          instant resumed_at) const = 0;
  /// After an approved extension of `working_days`.
  [[nodiscard]] virtual due_times extended(clock_kind k, const work_order& order, due_times before,
                                           int working_days) const = 0;
};

// ---- commands: what an actor asks of an order ---------------------------------

/// Who acts: an identifier (agent or staff number), the role they act in, and
/// their unit (required for a liaison: a liaison acts only for the order's unit
/// or one of its co-handling units).
struct actor {
  std::string id;
  hotline::role role = hotline::role::agent;
  std::string unit;
};

/// One field changed by an event, old -> new, as text (instants in ISO-8601).
struct field_change {
  std::string field;
  std::string before;
  std::string after;
  friend bool operator==(const field_change&, const field_change&) = default;
};

/// An action with its payload.  Only the members the action uses are read:
///   dispatch: unit (empty: routed by place and topic), co_units, liaison, means
///   answer: answer, kb_entries;  request_return: reason;  approve_extension: extension_days
///   reply: finding, resolved, reply_text, means;  call_back: call_back, means
///   accept_reply / reject_reply: reason (the review opinion)
///   supervise: level;  flag: warning, overdue;  merge / relate: target (another order number)
///   amend: amendments (field name -> new text; not state, number, agent, clocks or links)
struct command {
  hotline::action action = hotline::action::amend;
  hotline::actor by;
  instant at{};
  std::optional<std::int64_t> expected_version;  ///< conflict_error when the order has moved on
  std::string comment;

  std::string unit;
  std::string co_units;
  std::string liaison;
  transfer_means means = transfer_means::system;
  std::string answer;
  std::string kb_entries;
  std::string reason;
  int extension_days = 0;
  hotline::finding finding = hotline::finding::none;
  bool resolved = false;
  std::string reply_text;
  call_back_result call_back = call_back_result::none;
  supervision_level level = supervision_level::none;
  bool warning = false;
  bool overdue = false;
  std::string target;
  std::vector<std::pair<std::string, std::string>> amendments;
};

/// The result of applying a command to an order: the new order and the changes.
struct applied {
  work_order order;
  order_state before;
  std::vector<field_change> changes;
};

/// The state machine as a pure function: checks the transition and the role
/// (check_transition), applies the command to a copy of `order`, starts, stops
/// and moves clocks with `deadlines`, and lists every field changed.  Unit
/// existence is the store's business; everything else is checked here.
/// Throws illegal_transition_error, permission_denied_error or invalid_argument_error.
[[nodiscard]] applied apply(const work_order& order, const command& c, const deadline_policy& deadlines);

/// A new order from the fields in `order` (state, version, clocks are set here):
/// waiting_for_dispatch, or draft when `draft`.  The transfer and completion
/// clocks start at received_at.  Every non-default field is listed as a change.
[[nodiscard]] applied create(const work_order& order, const actor& by, bool draft, const deadline_policy& deadlines);

/// The names of the fields as events and the store's columns spell them, in order.
const std::vector<std::string>& work_order_field_names();
/// Sets a field from its text (as recorded in a field_change); false for an unknown name.
bool set_field(work_order& order, std::string_view field, std::string_view text);
/// A field as text; std::nullopt for an unknown name.
std::optional<std::string> get_field(const work_order& order, std::string_view field);

}  // namespace hotline
