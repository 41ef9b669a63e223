// The store's report path: the narrow order facts and the action counts that
// report.hpp aggregates (see store.hpp).  Reads only the columns reports need,
// straight through the C API, so that a month of millions of orders streams
// without building work_order values.
#include "hotline/store.hpp"

#include "hotline/error.hpp"
#include "store_access.hpp"
#include "store_counts.hpp"
#include "store_pg.hpp"
#include "store_sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace hotline {
namespace {

using detail::raw_stmt;
using detail::raw_text;

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
void bind_query(raw_stmt& st, const facts_query& q) {
  sqlite3_bind_int64(st.st, 1, q.from.time_since_epoch().count());
  sqlite3_bind_int64(st.st, 2, q.to.time_since_epoch().count());
  const auto bind_text = [&](int i, const std::string& v) {
    sqlite3_bind_text(st.st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  int i = 3;
  if (q.district) bind_text(i++, *q.district);
  if (q.unit) bind_text(i, *q.unit);
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

/// The parameters of where_of(q) for PostgreSQL.
std::vector<detail::pg_param> pg_params_of(const facts_query& q) {
  std::vector<detail::pg_param> p{static_cast<std::int64_t>(q.from.time_since_epoch().count()),
                                  static_cast<std::int64_t>(q.to.time_since_epoch().count())};
  if (q.district) p.emplace_back(*q.district);
  if (q.unit) p.emplace_back(*q.unit);
  return p;
}

std::optional<instant> pg_instant(const detail::pg_result& r, int row, int col) {
  if (r.null(row, col)) return std::nullopt;
  return instant{seconds{r.int64(row, col)}};
}

/// scan_facts on PostgreSQL: `columns` read in pages of 50,000 orders by id (the whole
/// result of a month would otherwise sit in libpq's memory), in one snapshot.
void pg_scan(detail::pg_connection& c, const facts_query& q, const std::string& columns,
             const std::function<void(const order_facts&)>& f) {
  enum_reader<hotline::request_type> types;
  enum_reader<order_state> states;
  enum_reader<call_back_result> call_backs;
  enum_reader<supervision_level> supervisions;
  enum_reader<clock_outcome> outcomes;
  const std::string sql = detail::pg_sql(columns + ", o.id FROM orders o" + where_of(q) + " AND o.id > $" +
                                         std::to_string(pg_params_of(q).size() + 1) + " ORDER BY o.id LIMIT 50000");
  detail::pg_snapshot(c, "scanning orders for a report", [&] {
    std::int64_t after = 0;
    order_facts o;
    for (bool more = true; more;) {
      auto params = pg_params_of(q);
      params.emplace_back(after);
      const auto r = c.exec(sql, params, "scanning orders for a report");
      more = r.rows() == 50000;
      const int id_col = PQnfields(r.get()) - 1;
      for (int i = 0; i < r.rows(); ++i) {
        after = r.int64(i, id_col);
        o.number = r.text(i, 0);
        o.received_at = instant{seconds{r.int64(i, 1)}};
        o.request_type = types(r.text(i, 2));
        o.state = states(r.text(i, 3));
        o.dispatched_at = pg_instant(r, i, 4);
        o.transferred = o.dispatched_at.has_value();
        o.complaint_subject = r.text(i, 5);
        o.topic = r.text(i, 6);
        o.sub_topic = r.text(i, 7);
        o.district = r.text(i, 8);
        o.unit = r.text(i, 9);
        if (q.with_clocks) {
          o.call_back = call_backs(r.text(i, 10));
          o.reopen_count = static_cast<int>(r.int64(i, 11));
          o.supervision = supervisions(r.text(i, 12));
          o.extension_days = static_cast<int>(r.int64(i, 13));
          for (std::size_t k = 0; k < clock_count; ++k) {
            const int col = 14 + static_cast<int>(3 * k);
            o.clocks[k] = outcomes(r.text(i, col));
            o.due[k] = pg_instant(r, i, col + 1);
            o.warn[k] = pg_instant(r, i, col + 2);
          }
        } else {  // as the SQLite path: the facts a type does not count are left empty
          if (o.request_type != hotline::request_type::complaint) o.complaint_subject = {};
          if (o.request_type != hotline::request_type::consultation) o.topic = o.sub_topic = {};
          o.number = {};
          o.received_at = {};
          o.dispatched_at.reset();
        }
        f(o);
      }
    }
  });
}

}  // namespace

void store::scan_facts(const facts_query& q, const std::function<void(const order_facts&)>& f) const {
  std::string sql =
      "SELECT o.number, o.received_at, o.request_type, o.state, o.dispatched_at, o.complaint_subject, "
      "o.topic, o.sub_topic, o.district, COALESCE(o.unit, '')";
  if (q.with_clocks) {
    sql += ", o.call_back, o.reopen_count, o.supervision, o.extension_days";
    for (const char* c : k_clock_prefix)
      sql.append(", o.").append(c).append("_outcome, o.").append(c).append("_due, o.").append(c).append("_warn");
  }
  if (detail::store_access::pg_read(*this, "scanning orders for a report",
                                    [&](detail::pg_connection& c) { pg_scan(c, q, sql, f); }))
    return;
  detail::store_access::read(*this, "scanning orders for a report", [&](SQLite::Database& db) {
    // A period that covers most of the file is read as a table scan in file order;
    // through the received_at index each row would be a separate B-tree lookup
    // (about 10x slower per row).  A narrow period uses the index.
    bool scan = false;
    {
      raw_stmt span(db.getHandle(), "SELECT min(received_at), max(received_at) FROM orders");
      if (span.step(db.getHandle()) && sqlite3_column_type(span.st, 0) != SQLITE_NULL) {
        const std::int64_t lo = sqlite3_column_int64(span.st, 0), hi = sqlite3_column_int64(span.st, 1);
        const std::int64_t from = std::max(lo, q.from.time_since_epoch().count());
        const std::int64_t to = std::min(hi + 1, q.to.time_since_epoch().count());
        scan = to > from && 2 * (to - from) >= hi + 1 - lo;
      }
    }
    sql += std::string(" FROM orders o") + (scan ? " NOT INDEXED" : "") + where_of(q);
    raw_stmt st(db.getHandle(), sql);
    bind_query(st, q);
    enum_reader<hotline::request_type> types;
    enum_reader<order_state> states;
    enum_reader<call_back_result> call_backs;
    enum_reader<supervision_level> supervisions;
    enum_reader<clock_outcome> outcomes;
    order_facts o;
    sqlite3_stmt* s = st.st;
    if (!q.with_clocks) {
      // The annex tables' loop: only the columns they count, each read only when
      // the type needs it (SQLite decodes a column when asked for it), and
      // strlen instead of a second locked call for the length.
      const auto text = [s](int i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string_view(p) : std::string_view();
      };
      while (st.step(db.getHandle())) {
        o.request_type = types(text(2));
        o.state = states(text(3));
        o.transferred = sqlite3_column_type(s, 4) != SQLITE_NULL;
        o.complaint_subject = o.request_type == hotline::request_type::complaint ? text(5) : std::string_view();
        const bool consultation = o.request_type == hotline::request_type::consultation;
        o.topic = consultation ? text(6) : std::string_view();
        o.sub_topic = consultation ? text(7) : std::string_view();
        o.district = text(8);
        o.unit = text(9);
        f(o);
      }
      return;
    }
    while (st.step(db.getHandle())) {
      o.number = raw_text(s, 0);
      o.received_at = instant{seconds{sqlite3_column_int64(s, 1)}};
      o.request_type = types(raw_text(s, 2));
      o.state = states(raw_text(s, 3));
      o.dispatched_at = instant_at(s, 4);
      o.transferred = o.dispatched_at.has_value();
      o.complaint_subject = raw_text(s, 5);
      o.topic = raw_text(s, 6);
      o.sub_topic = raw_text(s, 7);
      o.district = raw_text(s, 8);
      o.unit = raw_text(s, 9);
      if (q.with_clocks) {
        o.call_back = call_backs(raw_text(s, 10));
        o.reopen_count = sqlite3_column_int(s, 11);
        o.supervision = supervisions(raw_text(s, 12));
        o.extension_days = sqlite3_column_int(s, 13);
        for (std::size_t k = 0; k < clock_count; ++k) {
          const int c = 14 + static_cast<int>(3 * k);
          o.clocks[k] = outcomes(raw_text(s, c));
          o.due[k] = instant_at(s, c + 1);
          o.warn[k] = instant_at(s, c + 2);
        }
      }
      f(o);
    }
  });
}

void store::count_facts(const facts_query& q, const std::function<void(const order_facts&, std::int64_t)>& f) const {
  if (q.with_clocks) throw invalid_argument_error("count_facts groups the narrow facts only: set with_clocks = false");
  // The whole local days inside [from, to) come from order_counts; the pieces
  // before the first and after the last whole day, from the orders themselves.
  // A unit of "" matches no order in scan_facts (unit IS NULL there) but the
  // unassigned group in order_counts: scan so that both paths agree.
  const auto start_of = [](std::int64_t d) { return from_local(day{date::days{d}}, seconds{0}); };
  std::int64_t first = local_day(q.from).time_since_epoch().count();
  if (start_of(first) < q.from) ++first;
  const std::int64_t last = local_day(q.to).time_since_epoch().count();  // whole days end before its start
  const auto one = [&](const order_facts& o) { f(o, 1); };
  if (first >= last || q.to <= q.from || (q.unit && q.unit->empty())) {
    scan_facts(q, one);
    return;
  }
  const auto edges = [&] {
    facts_query edge = q;
    if (q.from < start_of(first)) {
      edge.to = start_of(first);
      scan_facts(edge, one);
    }
    if (start_of(last) < q.to) {
      edge.from = start_of(last);
      edge.to = q.to;
      scan_facts(edge, one);
    }
  };
  const bool on_pg =
      detail::store_access::pg_read(*this, "reading the order counts for a report", [&](detail::pg_connection& c) {
        detail::pg_snapshot(c, "reading the order counts for a report", [&] {
          edges();
          std::string sql =
              "SELECT district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic, sum(n) "
              "FROM order_counts WHERE day >= $1 AND day < $2";
          std::vector<detail::pg_param> params{static_cast<std::int64_t>(first), static_cast<std::int64_t>(last)};
          if (q.district) {
            params.emplace_back(*q.district);
            sql += " AND district = $" + std::to_string(params.size());
          }
          if (q.unit) {
            params.emplace_back(*q.unit);
            sql += " AND unit = $" + std::to_string(params.size());
          }
          sql += " GROUP BY district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic"
                 " HAVING sum(n) <> 0";
          const auto r = c.exec(sql, params, "reading the order counts for a report");
          order_facts o;
          for (int i = 0; i < r.rows(); ++i) {
            o.district = r.text(i, 0);
            o.unit = r.text(i, 1);
            o.request_type = parse_enum<hotline::request_type>(r.text(i, 2));
            o.state = parse_enum<order_state>(r.text(i, 3));
            o.transferred = r.int64(i, 4) != 0;
            o.complaint_subject = r.text(i, 5);
            o.topic = r.text(i, 6);
            o.sub_topic = r.text(i, 7);
            f(o, r.int64(i, 8));
          }
        });
      });
  if (on_pg) return;
  detail::store_access::read(*this, "reading the order counts for a report", [&](SQLite::Database& db) {
    // One snapshot for the three reads (a writer may commit between them
    // otherwise); a savepoint works inside an open batch too.
    db.exec("SAVEPOINT count_facts");
    try {
      edges();
      detail::scan_counts(db.getHandle(), static_cast<std::int32_t>(first), static_cast<std::int32_t>(last), q, f);
    } catch (...) {
      db.exec("ROLLBACK TO count_facts");
      db.exec("RELEASE count_facts");
      throw;
    }
    db.exec("RELEASE count_facts");
  });
}

std::vector<action_tally> store::action_counts(const facts_query& q) const {
  std::vector<action_tally> out;
  const bool on_pg =
      detail::store_access::pg_read(*this, "counting actions for a report", [&](detail::pg_connection& c) {
        const auto r = c.exec(
            detail::pg_sql("SELECT a.key, sum(a.value::bigint), count(*) FROM orders o, "
                           "json_each_text(o.actions::json) a" +
                           where_of(q) +
                           " AND o.actions IS NOT NULL"
                           " AND a.key IN ('request_return', 'approve_return', 'reject_return', 'request_extension', "
                           "'approve_extension', 'reject_extension', 'suspend', 'reject_reply', 'supervise', 'reopen', "
                           "'mark_urgent') GROUP BY a.key"),
            pg_params_of(q), "counting actions for a report");
        for (int i = 0; i < r.rows(); ++i)
          out.push_back({parse_enum<hotline::action>(r.text(i, 0)), r.int64(i, 1), r.int64(i, 2)});
      });
  if (!on_pg) detail::store_access::read(*this, "counting actions for a report", [&](SQLite::Database& db) {
    // Each order counts its less usual actions in `actions` ({"reopen":1,...}, NULL when none).
    raw_stmt st(db.getHandle(),
                 "SELECT a.key, sum(a.value), count(*) FROM orders o, json_each(o.actions) a" + where_of(q) +
                     " AND o.actions IS NOT NULL"
                     " AND a.key IN ('request_return', 'approve_return', 'reject_return', 'request_extension', "
                     "'approve_extension', 'reject_extension', 'suspend', 'reject_reply', 'supervise', 'reopen', "
                     "'mark_urgent') GROUP BY a.key");
    bind_query(st, q);
    while (st.step(db.getHandle())) {
      action_tally c;
      c.action = parse_enum<hotline::action>(raw_text(st.st, 0));
      c.events = sqlite3_column_int64(st.st, 1);
      c.orders = sqlite3_column_int64(st.st, 2);
      out.push_back(c);
    }
  });
  std::sort(out.begin(), out.end(), [](const action_tally& a, const action_tally& b) { return a.action < b.action; });
  return out;
}

}  // namespace hotline
