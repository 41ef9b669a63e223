// The store's report path: the narrow order facts and the action counts that
// report.hpp aggregates (see store.hpp).  Reads only the columns reports need,
// straight through the C API, so that a month of millions of orders streams
// without building work_order values.
#include "hotline/store.hpp"

#include "store_access.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace hotline {
namespace {

// One prepared statement for the length of a scan.
class statement {
 public:
  statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st_, nullptr) != SQLITE_OK)
      throw SQLite::Exception(db, sqlite3_errcode(db));
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() { sqlite3_finalize(st_); }
  sqlite3_stmt* get() const noexcept { return st_; }
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

std::string_view text_at(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i))) : std::string_view();
}
std::optional<instant> instant_at(sqlite3_stmt* st, int i) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
  return instant{seconds{sqlite3_column_int64(st, i)}};
}

// The WHERE clause of a facts_query over `orders` aliased `o`; binds from ?1.
std::string where_of(const facts_query& q) {
  std::string w = " WHERE o.received_at >= ?1 AND o.received_at < ?2";
  if (q.district) w += " AND o.district = ?3";
  if (q.unit) w += q.district ? " AND o.unit = ?4" : " AND o.unit = ?3";
  return w;
}
void bind_query(statement& st, const facts_query& q) {
  st.bind(1, q.from.time_since_epoch().count());
  st.bind(2, q.to.time_since_epoch().count());
  int i = 3;
  if (q.district) st.bind(i++, *q.district);
  if (q.unit) st.bind(i, *q.unit);
}

// Enum columns hold the names of to_string(); parse each distinct text once per
// scan (a handful of values over millions of rows).
template <class E>
class enum_reader {
 public:
  E operator()(std::string_view text) {
    for (const auto& [t, v] : seen_)
      if (t == text) return v;
    const E v = parse_enum<E>(text);
    seen_.emplace_back(std::string(text), v);
    return v;
  }

 private:
  std::vector<std::pair<std::string, E>> seen_;
};

constexpr const char* k_clock_prefix[clock_count] = {"transfer", "sign_for", "reply", "completion", "call_back"};

}  // namespace

void store::scan_facts(const facts_query& q, const std::function<void(const order_facts&)>& f) const {
  detail::store_access::read(*this, "scanning orders for a report", [&](SQLite::Database& db) {
    std::string sql =
        "SELECT o.number, o.received_at, o.request_type, o.state, o.dispatched_at, o.complaint_subject, "
        "o.topic, o.sub_topic, o.district, COALESCE(o.unit, '')";
    if (q.with_clocks) {
      sql += ", o.call_back, o.reopen_count, o.supervision, o.extension_days";
      for (const char* c : k_clock_prefix)
        sql.append(", o.").append(c).append("_outcome, o.").append(c).append("_due, o.").append(c).append("_warn");
    }
    // A period that covers most of the file is read as a table scan in file order;
    // through the received_at index each row would be a separate B-tree lookup
    // (about 10x slower per row).  A narrow period uses the index.
    bool scan = false;
    {
      statement span(db.getHandle(), "SELECT min(received_at), max(received_at) FROM orders");
      if (span.step() && sqlite3_column_type(span.get(), 0) != SQLITE_NULL) {
        const std::int64_t lo = sqlite3_column_int64(span.get(), 0), hi = sqlite3_column_int64(span.get(), 1);
        const std::int64_t from = std::max(lo, q.from.time_since_epoch().count());
        const std::int64_t to = std::min(hi + 1, q.to.time_since_epoch().count());
        scan = to > from && 2 * (to - from) >= hi + 1 - lo;
      }
    }
    sql += std::string(" FROM orders o") + (scan ? " NOT INDEXED" : "") + where_of(q);
    statement st(db.getHandle(), sql);
    bind_query(st, q);
    enum_reader<hotline::request_type> types;
    enum_reader<order_state> states;
    enum_reader<call_back_result> call_backs;
    enum_reader<supervision_level> supervisions;
    enum_reader<clock_outcome> outcomes;
    order_facts o;
    sqlite3_stmt* s = st.get();
    if (!q.with_clocks) {
      // The annex tables' loop: only the columns they count, each read only when
      // the type needs it (SQLite decodes a column when asked for it), and
      // strlen instead of a second locked call for the length.
      const auto text = [s](int i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string_view(p) : std::string_view();
      };
      while (st.step()) {
        o.request_type = types(text(2));
        o.state = states(text(3));
        o.transferred = sqlite3_column_type(s, 4) != SQLITE_NULL;
        o.complaint_subject = o.request_type == hotline::request_type::complaint ? text(5) : std::string_view();
        const bool consultation = o.request_type == hotline::request_type::consultation;
        o.topic = consultation ? text(6) : std::string_view();
        o.sub_topic = consultation ? text(7) : std::string_view();
        o.district = text(8);
        f(o);
      }
      return;
    }
    while (st.step()) {
      o.number = text_at(s, 0);
      o.received_at = instant{seconds{sqlite3_column_int64(s, 1)}};
      o.request_type = types(text_at(s, 2));
      o.state = states(text_at(s, 3));
      o.dispatched_at = instant_at(s, 4);
      o.transferred = o.dispatched_at.has_value();
      o.complaint_subject = text_at(s, 5);
      o.topic = text_at(s, 6);
      o.sub_topic = text_at(s, 7);
      o.district = text_at(s, 8);
      o.unit = text_at(s, 9);
      if (q.with_clocks) {
        o.call_back = call_backs(text_at(s, 10));
        o.reopen_count = sqlite3_column_int(s, 11);
        o.supervision = supervisions(text_at(s, 12));
        o.extension_days = sqlite3_column_int(s, 13);
        for (std::size_t k = 0; k < clock_count; ++k) {
          const int c = 14 + static_cast<int>(3 * k);
          o.clocks[k] = outcomes(text_at(s, c));
          o.due[k] = instant_at(s, c + 1);
          o.warn[k] = instant_at(s, c + 2);
        }
      }
      f(o);
    }
  });
}

std::vector<action_tally> store::action_counts(const facts_query& q) const {
  std::vector<action_tally> out;
  detail::store_access::read(*this, "counting actions for a report", [&](SQLite::Database& db) {
    // Each order counts its less usual actions in `actions` ({"reopen":1,...}, NULL when none).
    statement st(db.getHandle(),
                 "SELECT a.key, sum(a.value), count(*) FROM orders o, json_each(o.actions) a" + where_of(q) +
                     " AND o.actions IS NOT NULL"
                     " AND a.key IN ('request_return', 'approve_return', 'reject_return', 'request_extension', "
                     "'approve_extension', 'reject_extension', 'suspend', 'reject_reply', 'supervise', 'reopen', "
                     "'mark_urgent') GROUP BY a.key");
    bind_query(st, q);
    while (st.step()) {
      action_tally c;
      c.action = parse_enum<hotline::action>(text_at(st.get(), 0));
      c.events = sqlite3_column_int64(st.get(), 1);
      c.orders = sqlite3_column_int64(st.get(), 2);
      out.push_back(c);
    }
  });
  std::sort(out.begin(), out.end(), [](const action_tally& a, const action_tally& b) { return a.action < b.action; });
  return out;
}

}  // namespace hotline
