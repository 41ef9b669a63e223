// copy_store (hotline/store_copy.hpp): a store's tables from one back end to another,
// row for row.
//
// Why rows and not a replay through the API: a replay would hash every event again
// with new ids and times of recording, which is a new chain, not the centre's; and
// the report counts, liaison history and call log are not events at all.  The two
// back ends hold the same tables at the same schema version (store_pg_schema.cpp says
// so), so a table is copied by naming its columns and each column's kind.
//
// The source is read in chunks (a cursor on PostgreSQL, a stepping statement on
// SQLite) inside one read snapshot, and each chunk is written at once (COPY on
// PostgreSQL, a prepared INSERT on SQLite) inside the target's one write transaction:
// memory stays at one chunk whatever the store's size.
#include "hotline/store_copy.hpp"

#include "hotline/error.hpp"
#include "hotline/store.hpp"

#include "pg_connection.hpp"
#include "store_access.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

namespace {

using detail::pg_connection;
using detail::store_access;

enum class kind { integer, text, bytes };

struct column {
  const char* name;
  kind k;
};

struct table {
  const char* name;
  std::vector<column> columns;
  const char* order_by;  ///< the copy's order: keys ascending, as the source wrote them
};

constexpr kind I = kind::integer, T = kind::text, B = kind::bytes;

// In the order they are written: a row's references exist before it (units before
// their coverage, liaisons and orders; orders before their event blocks).
const std::vector<table>& tables() {
  static const std::vector<table> t = {
      {"units", {{"code", T}, {"name", T}, {"kind", T}, {"parent", T}, {"active", I}}, "code"},
      {"unit_coverage", {{"unit", T}, {"district", T}, {"sub_district", T}}, "unit, district, sub_district"},
      {"unit_topics", {{"unit", T}, {"topic", T}}, "unit, topic"},
      {"liaisons",
       {{"id", I}, {"unit", T}, {"slot", T}, {"name", T}, {"title", T}, {"department", T}, {"office_phone", T},
        {"mobile", T}, {"email", T}, {"valid_from", I}, {"valid_to", I}, {"reported_by", T}},
       "id"},
      {"orders",
       {{"id", I},
        {"number", T},
        {"version", I},
        {"state", T},
        {"open", I},
        {"next_due", I},
        {"next_warn", I},
        {"received_at", I},
        {"caller_phone", T},
        {"district", T},
        {"unit", T},
        {"request_type", T},
        {"topic", T},
        {"sub_topic", T},
        {"complaint_subject", T},
        {"dispatched_at", I},
        {"call_back", T},
        {"reopen_count", I},
        {"supervision", T},
        {"extension_days", I},
        {"transfer_outcome", T},
        {"transfer_due", I},
        {"transfer_warn", I},
        {"sign_for_outcome", T},
        {"sign_for_due", I},
        {"sign_for_warn", I},
        {"reply_outcome", T},
        {"reply_due", I},
        {"reply_warn", I},
        {"completion_outcome", T},
        {"completion_due", I},
        {"completion_warn", I},
        {"call_back_outcome", T},
        {"call_back_due", I},
        {"call_back_warn", I},
        {"actions", T},
        {"rest", B}},
       "id"},
      {"event_blocks",
       {{"first_id", I}, {"order_id", I}, {"first_seq", I}, {"n", I}, {"body", B}, {"hashes", B}},
       "first_id"},
      {"calls",
       {{"id", I}, {"call_id", T}, {"started_at", I}, {"answered", I}, {"wait_seconds", I}, {"agent", T},
        {"ivr_key", I}, {"line", T}, {"unit", T}, {"work_order", T}},
       "id"},
      {"order_counts",
       {{"day", I}, {"district", T}, {"unit", T}, {"request_type", T}, {"state", T}, {"transferred", I},
        {"complaint_subject", T}, {"topic", T}, {"sub_topic", T}, {"n", I}},
       "day, district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic"},
      {"signed_heads",
       {{"event_count", I}, {"head_hash", B}, {"signed_at", I}, {"key_id", T}, {"signature", B}},
       "event_count"},
  };
  return t;
}

struct cell {
  bool null = false;
  std::int64_t i = 0;
  std::string s;  ///< text, or bytes
};
using row = std::vector<cell>;
using sink = std::function<void(const std::vector<row>&)>;

constexpr std::size_t chunk_rows = 20000;

std::string column_list(const table& t) {
  std::string s;
  for (const auto& c : t.columns) {
    if (!s.empty()) s += ", ";
    s += c.name;
  }
  return s;
}

std::string select_sql(const table& t) {
  return "SELECT " + column_list(t) + " FROM " + t.name + " ORDER BY " + t.order_by;
}

// ---- reading ---------------------------------------------------------------------

void read_sqlite(SQLite::Database& db, const table& t, const sink& out) {
  SQLite::Statement q(db, select_sql(t));
  std::vector<row> chunk;
  while (q.executeStep()) {
    row r(t.columns.size());
    for (std::size_t c = 0; c < r.size(); ++c) {
      const auto col = q.getColumn(static_cast<int>(c));
      if (col.isNull()) r[c].null = true;
      else if (t.columns[c].k == kind::integer) r[c].i = col.getInt64();
      else r[c].s = col.getString();  // text or blob: the bytes as stored
    }
    chunk.push_back(std::move(r));
    if (chunk.size() == chunk_rows) {
      out(chunk);
      chunk.clear();
    }
  }
  if (!chunk.empty()) out(chunk);
}

void read_pg(pg_connection& c, const table& t, const sink& out) {
  const std::string what = std::string("reading table ") + t.name + " to copy it";
  c.exec("DECLARE hotline_copy NO SCROLL CURSOR FOR " + select_sql(t), what);
  for (;;) {
    const auto r = c.exec("FETCH FORWARD " + std::to_string(chunk_rows) + " FROM hotline_copy", what);
    if (r.rows() == 0) break;
    std::vector<row> chunk(static_cast<std::size_t>(r.rows()), row(t.columns.size()));
    for (int i = 0; i < r.rows(); ++i)
      for (std::size_t k = 0; k < t.columns.size(); ++k) {
        auto& cl = chunk[static_cast<std::size_t>(i)][k];
        const int col = static_cast<int>(k);
        if (r.null(i, col)) cl.null = true;
        else if (t.columns[k].k == kind::integer) cl.i = r.int64(i, col);
        else if (t.columns[k].k == kind::bytes) r.bytes(i, col, cl.s);
        else cl.s = std::string(r.text(i, col));
      }
    out(chunk);
  }
  c.exec("CLOSE hotline_copy", what);
}

// ---- writing ---------------------------------------------------------------------

void write_pg(pg_connection& c, const table& t, const std::vector<row>& rows) {
  std::string data;
  for (const auto& r : rows) {
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (k) data += '\t';
      if (r[k].null) data += "\\N";
      else if (t.columns[k].k == kind::integer) data += std::to_string(r[k].i);
      else if (t.columns[k].k == kind::bytes) detail::copy_bytes(data, r[k].s);
      else detail::copy_text(data, r[k].s);
    }
    data += '\n';
  }
  c.copy_in("COPY " + std::string(t.name) + "(" + column_list(t) + ") FROM STDIN", data,
            std::string("copying table ") + t.name);
}

void write_sqlite(SQLite::Database& db, const table& t, const std::vector<row>& rows) {
  std::string sql = "INSERT INTO " + std::string(t.name) + "(" + column_list(t) + ") VALUES(";
  for (std::size_t k = 0; k < t.columns.size(); ++k) sql += k ? ",?" : "?";
  sql += ")";
  SQLite::Statement ins(db, sql);
  for (const auto& r : rows) {
    for (std::size_t k = 0; k < r.size(); ++k) {
      const int at = static_cast<int>(k) + 1;
      if (r[k].null) ins.bind(at);
      else if (t.columns[k].k == kind::integer) ins.bind(at, static_cast<std::int64_t>(r[k].i));
      else if (t.columns[k].k == kind::bytes) ins.bindNoCopy(at, r[k].s.data(), static_cast<int>(r[k].s.size()));
      else ins.bindNoCopy(at, r[k].s);
    }
    ins.exec();
    ins.reset();
  }
}

// Units refer to their parent: written parents first whatever order the source keeps
// (a unit replaced by put_unit may come after its children in the file).
std::vector<row> parents_first(std::vector<row> units) {
  std::vector<row> out;
  std::set<std::string> written;
  while (!units.empty()) {
    const auto before = units.size();
    for (auto it = units.begin(); it != units.end();) {
      const auto& parent = (*it)[3];
      if (parent.null || written.count(parent.s)) {
        written.insert((*it)[0].s);
        out.push_back(std::move(*it));
        it = units.erase(it);
      } else {
        ++it;
      }
    }
    if (units.size() == before)
      throw storage_error("unit " + units.front()[0].s + " names a parent that is not in the store (" +
                          units.front()[3].s + "): nothing was copied");
  }
  return out;
}

// ---- the two stores ----------------------------------------------------------------

std::string shown(const std::filesystem::path& location) {
  const std::string s = location.string();
  return detail::is_pg_location(s) ? detail::pg_redacted(s) : s;
}

std::int64_t count_rows(const store& s, const std::string& table_name) {
  std::int64_t n = 0;
  const std::string sql = "SELECT count(*) FROM " + table_name;
  if (!store_access::pg_read(s, "counting rows", [&](pg_connection& c) { n = c.exec(sql, "counting rows").int64(0, 0); }))
    store_access::read(s, "counting rows", [&](SQLite::Database& db) { n = db.execAndGet(sql).getInt64(); });
  return n;
}

// Reads every table of `from` in one snapshot, passing each table's chunks to `to_table`.
void read_all(const store& from, const std::function<void(const table&, const std::vector<row>&)>& to_table) {
  const bool on_pg = store_access::pg_read(from, "reading the store to copy it", [&](pg_connection& c) {
    detail::pg_snapshot(c, "reading the store to copy it", [&] {
      for (const auto& t : tables()) read_pg(c, t, [&](const std::vector<row>& rows) { to_table(t, rows); });
    });
  });
  if (on_pg) return;
  store_access::read(from, "reading the store to copy it", [&](SQLite::Database& db) {
    SQLite::Transaction snapshot(db);  // deferred: a read snapshot from the first SELECT on
    for (const auto& t : tables()) read_sqlite(db, t, [&](const std::vector<row>& rows) { to_table(t, rows); });
  });
}

}  // namespace

copy_report copy_store(const std::filesystem::path& from, const std::filesystem::path& to) {
  const std::string src_name = shown(from), dst_name = shown(to);
  if (from.string() == to.string())
    throw invalid_argument_error("copying a store: the source and the target are the same (" + src_name + ")");
  if (!detail::is_pg_location(from.string())) {
    std::error_code ec;
    if (!std::filesystem::exists(from, ec)) throw not_found_error(src_name + ": no such store to copy");
  }

  copy_report rep;
  {
    store src(from);
    store dst(to);

    // Block storage only: a file of before schema 4 keeps older events one per row.
    if (!store_access::on_pg(src)) {
      const auto legacy = count_rows(src, "events");
      if (legacy > 0)
        throw invalid_argument_error(src_name + ": holds " + std::to_string(legacy) +
                                     " events in the table of before schema 4 (one row per event); "
                                     "PostgreSQL keeps event blocks only, so this file cannot be copied yet");
    }
    for (const auto& t : tables())
      if (const auto n = count_rows(dst, t.name); n > 0)
        throw invalid_argument_error("copying " + src_name + " to " + dst_name + ": the target is not empty (table " +
                                     t.name + " holds " + std::to_string(n) + " rows); copy into a new store");

    const auto checked = src.verify();
    if (!checked.ok)
      throw storage_error(src_name + ": the event chain is broken at event " +
                          std::to_string(checked.first_broken.value_or(0)) + " (" + checked.reason +
                          "): a broken chain is not copied");

    const std::string what = "copying " + src_name + " to " + dst_name;
    std::map<std::string, std::int64_t> written;  // rows per table
    auto count = [&](const table& t, std::size_t n) { written[t.name] += static_cast<std::int64_t>(n); };
    // Units come whole (a few thousand at most) so that parents go first.
    std::vector<row> units;
    auto copy_into = [&](auto&& write_rows) {
      read_all(src, [&](const table& t, const std::vector<row>& rows) {
        if (std::string_view(t.name) == "units") {
          units.insert(units.end(), rows.begin(), rows.end());
          return;
        }
        if (!units.empty()) {  // the first table after units: write them now
          const auto& ut = tables().front();
          const auto ordered = parents_first(std::move(units));
          units.clear();
          write_rows(ut, ordered);
          count(ut, ordered.size());
        }
        write_rows(t, rows);
        count(t, rows.size());
      });
      if (!units.empty()) {  // a store of units only
        const auto ordered = parents_first(std::move(units));
        units.clear();
        write_rows(tables().front(), ordered);
        count(tables().front(), ordered.size());
      }
    };
    const bool dst_pg = store_access::pg_write(dst, what, [&](pg_connection& c) {
      copy_into([&](const table& t, const std::vector<row>& rows) { write_pg(c, t, rows); });
      // The copied ids were given explicitly: the serial columns' sequences go on after them.
      for (const char* t : {"liaisons", "calls"})
        c.exec(std::string("SELECT setval(pg_get_serial_sequence('") + t + "', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " +
                   t,
               what);
    });
    if (!dst_pg)
      store_access::write(dst, what, [&](SQLite::Database& db) {
        copy_into([&](const table& t, const std::vector<row>& rows) { write_sqlite(db, t, rows); });
      });
    rep.units = written["units"];
    rep.liaisons = written["liaisons"];
    rep.orders = written["orders"];
    rep.event_blocks = written["event_blocks"];
    rep.calls = written["calls"];
    rep.signed_heads = written["signed_heads"];
  }

  // The proof: the target re-hashed from its first event, and the source's log begins
  // with exactly the target's (its head as a receipt).
  const store dst(to);
  const auto target = dst.verify();
  if (!target.ok)
    throw storage_error(dst_name + ": the copy does not verify at event " +
                        std::to_string(target.first_broken.value_or(0)) + " (" + target.reason + ")");
  rep.head = dst.head();
  rep.events = rep.head.event_count;
  const store src(from);
  const auto against = src.verify(rep.head);
  if (!against.ok)
    throw storage_error(dst_name + ": the copy's head is not the source's (" + against.reason + ")");
  for (const auto& [name, n] : {std::pair<const char*, std::int64_t>{"orders", rep.orders}, {"calls", rep.calls},
                                {"liaisons", rep.liaisons}, {"event_blocks", rep.event_blocks}})
    if (count_rows(dst, name) != n)
      throw storage_error(dst_name + ": the copy holds " + std::to_string(count_rows(dst, name)) + " rows of " + name +
                          ", " + std::to_string(n) + " were written");
  return rep;
}

}  // namespace hotline
