// The order_counts table: see store_counts.hpp for why it exists.
#include "store_counts.hpp"

#include "hotline/time.hpp"
#include "store_sqlite.hpp"

#include <string_view>

namespace hotline::detail {
namespace {

count_key make_key(instant received, request_type type, order_state state, bool transferred, std::string_view district,
                   std::string_view unit, std::string_view subject, std::string_view topic, std::string_view sub_topic) {
  count_key k;
  k.day = static_cast<std::int32_t>(local_day(received).time_since_epoch().count());
  k.type = type;
  k.state = state;
  k.transferred = transferred;
  k.district = district;
  k.unit = unit;
  if (type == request_type::complaint) k.subject = subject;
  if (type == request_type::consultation) {
    k.topic = topic;
    k.sub_topic = sub_topic;
  }
  return k;
}

void bind_text(sqlite3_stmt* st, int i, std::string_view v) {
  sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

}  // namespace

count_key count_key_of(const work_order& o) {
  return make_key(o.received_at, o.request_type, o.state, o.dispatched_at.has_value(), o.district, o.unit,
                  o.complaint_subject, o.topic, o.sub_topic);
}

std::size_t count_key_hash::operator()(const count_key& k) const noexcept {
  std::size_t h = std::hash<std::int64_t>{}((std::int64_t{k.day} << 16) ^ (static_cast<std::int64_t>(k.type) << 9) ^
                                            (static_cast<std::int64_t>(k.state) << 1) ^ (k.transferred ? 1 : 0));
  for (const std::string* s : {&k.district, &k.unit, &k.subject, &k.topic, &k.sub_topic})
    h = h * 1099511628211ULL ^ std::hash<std::string_view>{}(*s);
  return h;
}

void count_deltas::write(sqlite3* db) {
  if (d_.empty()) return;
  if (!upsert_)
    upsert_.emplace(db,
                    "INSERT INTO order_counts(day, district, unit, request_type, state, transferred, complaint_subject, "
                    "topic, sub_topic, n) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET n = n + excluded.n");
  raw_stmt& st = *upsert_;
  for (const auto& [k, n] : d_) {
    if (n == 0) continue;
    sqlite3_bind_int(st.st, 1, k.day);
    bind_text(st.st, 2, k.district);
    bind_text(st.st, 3, k.unit);
    bind_text(st.st, 4, to_string(k.type));
    bind_text(st.st, 5, to_string(k.state));
    sqlite3_bind_int(st.st, 6, k.transferred ? 1 : 0);
    bind_text(st.st, 7, k.subject);
    bind_text(st.st, 8, k.topic);
    bind_text(st.st, 9, k.sub_topic);
    sqlite3_bind_int64(st.st, 10, n);
    st.exec(db);
  }
  d_.clear();
}

void rebuild_counts(sqlite3* db) {
  raw_stmt(db, "DELETE FROM order_counts").exec(db);
  count_deltas all;
  raw_stmt st(db,
              "SELECT received_at, request_type, state, dispatched_at IS NOT NULL, complaint_subject, topic, sub_topic, "
              "district, COALESCE(unit, '') FROM orders");
  while (st.step(db)) {
    const instant at{seconds{sqlite3_column_int64(st.st, 0)}};
    all.add(make_key(at, parse_enum<request_type>(raw_text(st.st, 1)), parse_enum<order_state>(raw_text(st.st, 2)),
                     sqlite3_column_int(st.st, 3) != 0, raw_text(st.st, 7), raw_text(st.st, 8), raw_text(st.st, 4),
                     raw_text(st.st, 5), raw_text(st.st, 6)),
            1);
  }
  all.write(db);
}

void scan_counts(sqlite3* db, std::int32_t from_day, std::int32_t to_day, const facts_query& q,
                 const std::function<void(const order_facts&, std::int64_t)>& f) {
  std::string sql =
      "SELECT district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic, sum(n) "
      "FROM order_counts WHERE day >= ?1 AND day < ?2";
  if (q.district) sql += " AND district = ?3";
  if (q.unit) sql += q.district ? " AND unit = ?4" : " AND unit = ?3";
  sql +=
      " GROUP BY district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic"
      " HAVING sum(n) <> 0";
  raw_stmt st(db, sql);
  sqlite3_bind_int(st.st, 1, from_day);
  sqlite3_bind_int(st.st, 2, to_day);
  int i = 3;
  if (q.district) bind_text(st.st, i++, *q.district);
  if (q.unit) bind_text(st.st, i, *q.unit);
  order_facts o;
  while (st.step(db)) {
    o.district = raw_text(st.st, 0);
    o.unit = raw_text(st.st, 1);
    o.request_type = parse_enum<request_type>(raw_text(st.st, 2));
    o.state = parse_enum<order_state>(raw_text(st.st, 3));
    o.transferred = sqlite3_column_int(st.st, 4) != 0;
    o.complaint_subject = raw_text(st.st, 5);
    o.topic = raw_text(st.st, 6);
    o.sub_topic = raw_text(st.st, 7);
    f(o, sqlite3_column_int64(st.st, 8));
  }
}

}  // namespace hotline::detail
