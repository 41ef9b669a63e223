// The call log in the store (see store.hpp): imported in one transaction,
// append-only, read back by period for the assessment and the reports.
#include "hotline/store.hpp"

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
  detail::store_access::write(*this, "importing calls", [&](SQLite::Database& db) {
    SQLite::Statement find(db, fmt::format("SELECT {} FROM calls WHERE call_id = ?", k_call_columns));
    SQLite::Statement ins(db, fmt::format("INSERT INTO calls({}) VALUES(?,?,?,?,?,?,?,?,?)", k_call_columns));
    for (const auto& c : log.calls) {
      find.bind(1, c.call_id);
      if (find.executeStep()) {
        auto stored = read_call(find);
        stored.source_line = c.source_line;
        find.reset();
        if (stored == c) {
          ++out.already_stored;
          continue;
        }
        throw conflict_error(fmt::format("call {} is already stored with different content{}", c.call_id,
                                         c.source_line ? fmt::format(" (line {} of the import)", c.source_line) : ""));
      }
      find.reset();
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
  detail::store_access::read(*this, "reading calls", [&](SQLite::Database& db) {
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
