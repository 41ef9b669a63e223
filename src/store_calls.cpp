// The call log in the store (see store.hpp): imported in one transaction,
// append-only, read back by period for the assessment and the reports.
#include "hotline/store.hpp"

#include "pg_connection.hpp"
#include "store_access.hpp"
#include "work_order_fields.hpp"

#include <fmt/format.h>

namespace hotline {
namespace {

call_record read_call(SQLite::Statement& st) {
  call_record c;
  c.call_id = st.getColumn(0).getString();
  c.started_at = instant{seconds{st.getColumn(1).getInt64()}};
  c.answered = st.getColumn(2).getInt() != 0;
  c.wait = seconds{st.getColumn(3).getInt64()};
  c.agent = st.getColumn(4).getString();
  c.ivr_key = st.getColumn(5).getInt();
  c.line = st.getColumn(6).getString();
  c.unit = st.getColumn(7).getString();
  c.work_order = st.getColumn(8).getString();
  return c;
}

call_record read_call_pg(const detail::pg_result& r, int i) {
  call_record c;
  c.call_id = r.text(i, 0);
  c.started_at = instant{seconds{r.int64(i, 1)}};
  c.answered = r.int64(i, 2) != 0;
  c.wait = seconds{r.int64(i, 3)};
  c.agent = r.text(i, 4);
  c.ivr_key = static_cast<int>(r.int64(i, 5));
  c.line = r.text(i, 6);
  c.unit = r.text(i, 7);
  c.work_order = r.text(i, 8);
  return c;
}

constexpr const char* k_call_columns = "call_id, started_at, answered, wait_seconds, agent, ivr_key, line, unit, work_order";

}  // namespace

call_import store::import_calls(const call_log& log) {
  // Check every text before the transaction: nothing is stored when one is bad.
  for (const auto& c : log.calls) {
    const std::string where = fmt::format("call {}", c.call_id);
    detail::check_text(where + " call_id", c.call_id);
    detail::check_text(where + " agent", c.agent);
    detail::check_text(where + " line", c.line);
    detail::check_text(where + " unit", c.unit);
    detail::check_text(where + " work_order", c.work_order);
  }
  call_import out;
  out.warnings = log.warnings;
  // Whether `c` is new; a conflict_error when its id is stored with other content.
  const auto is_new = [&](const call_record& c, std::optional<call_record> stored) {
    if (!stored) return true;
    stored->source_line = c.source_line;
    if (*stored == c) {
      ++out.already_stored;
      return false;
    }
    throw conflict_error(fmt::format("call {} is already stored with different content{}", c.call_id,
                                     c.source_line ? fmt::format(" (line {} of the import)", c.source_line) : ""));
  };
  const bool on_pg = detail::store_access::pg_write(*this, "importing calls", [&](detail::pg_connection& pc) {
    for (const auto& c : log.calls) {
      auto r = pc.exec(fmt::format("SELECT {} FROM calls WHERE call_id = $1", k_call_columns), {c.call_id},
                       "importing calls");
      if (!is_new(c, r.rows() ? std::optional<call_record>(read_call_pg(r, 0)) : std::nullopt)) continue;
      pc.exec(fmt::format("INSERT INTO calls({}) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9)", k_call_columns),
              {c.call_id, static_cast<std::int64_t>(c.started_at.time_since_epoch().count()), c.answered ? 1 : 0,
               static_cast<std::int64_t>(c.wait.count()), c.agent, c.ivr_key, c.line, c.unit, c.work_order},
              "importing calls");
      ++out.added;
    }
  });
  if (!on_pg) detail::store_access::write(*this, "importing calls", [&](SQLite::Database& db) {
    SQLite::Statement find(db, fmt::format("SELECT {} FROM calls WHERE call_id = ?", k_call_columns));
    SQLite::Statement ins(db, fmt::format("INSERT INTO calls({}) VALUES(?,?,?,?,?,?,?,?,?)", k_call_columns));
    for (const auto& c : log.calls) {
      find.bind(1, c.call_id);
      auto stored = find.executeStep() ? std::optional<call_record>(read_call(find)) : std::nullopt;
      find.reset();
      if (!is_new(c, std::move(stored))) continue;
      ins.bind(1, c.call_id);
      ins.bind(2, static_cast<std::int64_t>(c.started_at.time_since_epoch().count()));
      ins.bind(3, c.answered ? 1 : 0);
      ins.bind(4, static_cast<std::int64_t>(c.wait.count()));
      ins.bind(5, c.agent);
      ins.bind(6, c.ivr_key);
      ins.bind(7, c.line);
      ins.bind(8, c.unit);
      ins.bind(9, c.work_order);
      ins.exec();
      ins.reset();
      ++out.added;
    }
  });
  if (out.already_stored)
    out.warnings.push_back(fmt::format("{} call(s) were already stored: skipped", out.already_stored));
  return out;
}

std::vector<call_record> store::calls(instant from, instant to) const {
  std::vector<call_record> out;
  const bool on_pg = detail::store_access::pg_read(*this, "reading calls", [&](detail::pg_connection& pc) {
    auto r = pc.exec(fmt::format("SELECT {} FROM calls WHERE started_at >= $1 AND started_at < $2 "
                                 "ORDER BY started_at, call_id",
                                 k_call_columns),
                     {static_cast<std::int64_t>(from.time_since_epoch().count()),
                      static_cast<std::int64_t>(to.time_since_epoch().count())},
                     "reading calls");
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_call_pg(r, i));
  });
  if (!on_pg) detail::store_access::read(*this, "reading calls", [&](SQLite::Database& db) {
    SQLite::Statement st(db, fmt::format("SELECT {} FROM calls WHERE started_at >= ? AND started_at < ? "
                                         "ORDER BY started_at, call_id",
                                         k_call_columns));
    st.bind(1, static_cast<std::int64_t>(from.time_since_epoch().count()));
    st.bind(2, static_cast<std::int64_t>(to.time_since_epoch().count()));
    while (st.executeStep()) out.push_back(read_call(st));
  });
  return out;
}

}  // namespace hotline
