// Units and their liaisons in the work-order store: stored, read back (masked unless
// revealed), and the look-ups dispatch needs (the directory, an active unit, a unit's
// liaison rows).  SQLite-specific statements; the masking is store_masking's.
#include "store_impl.hpp"

#include "store_masking.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <sqlite3.h>

namespace hotline {

using detail::at_secs;
using detail::check_text;
using detail::raw_text;
using detail::reset_on_exit;
using detail::secs;
using detail::text_of;

// ---- what the commands read (store_commands.cpp) ----------------------------------

bool store::impl::unit_active(const std::string& code) {
  if (pg) return pg_unit_active(code);
  SQLite::Statement st(rdb(), "SELECT 1 FROM units WHERE code = ? AND active = 1");
  st.bind(1, code);
  return st.executeStep();
}

std::vector<store::impl::liaison_row> store::impl::select_liaison_rows(const std::string& unit) {
  if (pg) return pg_select_liaison_rows(unit);
  auto& sel = imp ? imp->select_liaisons : st_select_liaisons;
  sqlite3* h = rdb().getHandle();
  if (!sel) sel.emplace(h, "SELECT slot, valid_from, valid_to, name FROM liaisons WHERE unit = ? ORDER BY slot, valid_from");
  sqlite3_stmt* st = sel->st;
  sqlite3_bind_text(st, 1, unit.data(), static_cast<int>(unit.size()), SQLITE_STATIC);
  std::vector<liaison_row> rows;
  const reset_on_exit done(*sel);
  while (sel->step(h))
    rows.push_back({std::string(raw_text(st, 0)), sqlite3_column_int64(st, 1),
                    sqlite3_column_type(st, 2) == SQLITE_NULL ? std::optional<std::int64_t>()
                                                              : std::optional<std::int64_t>(sqlite3_column_int64(st, 2)),
                    std::string(raw_text(st, 3))});
  return rows;
}

unit_directory store::impl::load_directory() {
  if (pg) return pg_load_directory();
  std::vector<unit> units;
  std::unordered_map<std::string, std::size_t> index;
  {
    SQLite::Statement st(rdb(), "SELECT code, name, kind, parent, active FROM units ORDER BY code");
    while (st.executeStep()) {
      unit u;
      u.code = text_of(st.getColumn(0));
      u.name = text_of(st.getColumn(1));
      u.kind = parse_unit_kind(st.getColumn(2).getText());
      u.parent = text_of(st.getColumn(3));
      u.active = st.getColumn(4).getInt() != 0;
      index.emplace(u.code, units.size());
      units.push_back(std::move(u));
    }
  }
  {
    SQLite::Statement st(rdb(), "SELECT unit, district, sub_district FROM unit_coverage ORDER BY unit, district, sub_district");
    while (st.executeStep())
      units[index.at(text_of(st.getColumn(0)))].covers.push_back({text_of(st.getColumn(1)), text_of(st.getColumn(2))});
  }
  {
    SQLite::Statement st(rdb(), "SELECT unit, topic FROM unit_topics ORDER BY unit, topic");
    while (st.executeStep()) units[index.at(text_of(st.getColumn(0)))].topics.push_back(text_of(st.getColumn(1)));
  }
  return unit_directory(std::move(units));
}

// ---- units ---------------------------------------------------------------------

void store::put_unit(const unit& u) {
  const auto guard = p_->guard();
  if (u.code.empty()) throw invalid_argument_error("a unit needs a code");
  check_text("unit code", u.code);
  check_text("unit name", u.name);
  check_text("unit parent", u.parent);
  for (const auto& c : u.covers) {
    check_text("district", c.district);
    check_text("sub_district", c.sub_district);
  }
  for (const auto& t : u.topics) check_text("topic", t);
  if (p_->batch_open) throw invalid_argument_error("put_unit cannot run inside a batch");
  p_->write("storing a unit", [&] {
    if (p_->pg) {
      p_->pg_put_unit(u);
      p_->known_units.clear();
      return 0;
    }
    if (!u.parent.empty()) {
      SQLite::Statement st(p_->db, "SELECT 1 FROM units WHERE code = ?");
      st.bind(1, u.parent);
      if (!st.executeStep()) throw not_found_error("unknown parent unit '" + u.parent + "'");
    }
    SQLite::Statement up(p_->db,
                         "INSERT INTO units(code, name, kind, parent, active) VALUES(?,?,?,?,?) "
                         "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                         "parent = excluded.parent, active = excluded.active");
    up.bind(1, u.code);
    up.bind(2, u.name);
    up.bind(3, std::string(to_string(u.kind)));
    if (u.parent.empty()) up.bind(4);
    else up.bind(4, u.parent);
    up.bind(5, u.active ? 1 : 0);
    up.exec();
    SQLite::Statement d1(p_->db, "DELETE FROM unit_coverage WHERE unit = ?");
    d1.bind(1, u.code);
    d1.exec();
    SQLite::Statement d2(p_->db, "DELETE FROM unit_topics WHERE unit = ?");
    d2.bind(1, u.code);
    d2.exec();
    SQLite::Statement ic(p_->db, "INSERT OR IGNORE INTO unit_coverage(unit, district, sub_district) VALUES(?,?,?)");
    for (const auto& c : u.covers) {
      ic.bind(1, u.code);
      ic.bind(2, c.district);
      ic.bind(3, c.sub_district);
      ic.exec();
      ic.reset();
    }
    SQLite::Statement it(p_->db, "INSERT OR IGNORE INTO unit_topics(unit, topic) VALUES(?,?)");
    for (const auto& t : u.topics) {
      it.bind(1, u.code);
      it.bind(2, t);
      it.exec();
      it.reset();
    }
    p_->known_units.clear();
    return 0;
  });
}

std::optional<unit> store::find_unit(std::string_view code) const {
  const auto guard = p_->guard();
  const auto dir = p_->read("reading units", [&] { return p_->load_directory(); });
  const auto* u = dir.find(code);
  return u ? std::optional<unit>(*u) : std::nullopt;
}

unit_directory store::directory() const {
  const auto guard = p_->guard();
  return p_->read("reading units", [&] { return p_->load_directory(); });
}

// ---- liaisons ------------------------------------------------------------------

void store::set_liaison(const liaison& l) {
  const auto guard = p_->guard();
  check_text("unit", l.unit);
  check_text("slot", l.slot);
  check_text("liaison name", l.name);
  check_text("title", l.title);
  check_text("department", l.department);
  check_text("office_phone", l.office_phone);
  check_text("mobile", l.mobile);
  check_text("email", l.email);
  check_text("reported_by", l.reported_by);
  if (l.name.empty()) throw invalid_argument_error("a liaison needs a name");
  if (p_->batch_open) throw invalid_argument_error("set_liaison cannot run inside a batch");
  p_->write("recording a liaison", [&] {
    p_->require_unit(l.unit);
    if (p_->pg) {
      p_->pg_set_liaison(l);
      return 0;
    }
    const auto from = static_cast<std::int64_t>(secs(l.valid_from));
    {
      SQLite::Statement st(p_->db, "SELECT valid_from FROM liaisons WHERE unit = ? AND slot = ? AND valid_to IS NULL");
      st.bind(1, l.unit);
      st.bind(2, l.slot);
      while (st.executeStep())
        if (st.getColumn(0).getInt64() >= from)
          throw invalid_argument_error("a liaison change for unit '" + l.unit + "' slot " + l.slot +
                                       " must start after the current liaison's start");
    }
    SQLite::Statement close(p_->db, "UPDATE liaisons SET valid_to = ? WHERE unit = ? AND slot = ? AND valid_to IS NULL");
    close.bind(1, from);
    close.bind(2, l.unit);
    close.bind(3, l.slot);
    close.exec();
    SQLite::Statement ins(p_->db,
                          "INSERT INTO liaisons(unit, slot, name, title, department, office_phone, mobile, email, "
                          "valid_from, valid_to, reported_by) VALUES(?,?,?,?,?,?,?,?,?,NULL,?)");
    ins.bind(1, l.unit);
    ins.bind(2, l.slot);
    ins.bind(3, l.name);
    ins.bind(4, l.title);
    ins.bind(5, l.department);
    ins.bind(6, l.office_phone);
    ins.bind(7, l.mobile);
    ins.bind(8, l.email);
    ins.bind(9, from);
    ins.bind(10, l.reported_by);
    ins.exec();
    return 0;
  });
}

namespace {
std::vector<liaison> read_liaisons(SQLite::Statement& st, bool reveal) {
  std::vector<liaison> out;
  while (st.executeStep()) {
    liaison l;
    l.unit = text_of(st.getColumn(0));
    l.slot = text_of(st.getColumn(1));
    l.name = text_of(st.getColumn(2));
    l.title = text_of(st.getColumn(3));
    l.department = text_of(st.getColumn(4));
    l.office_phone = text_of(st.getColumn(5));
    l.mobile = text_of(st.getColumn(6));
    l.email = text_of(st.getColumn(7));
    l.valid_from = at_secs(st.getColumn(8).getInt64());
    if (!st.getColumn(9).isNull()) l.valid_to = at_secs(st.getColumn(9).getInt64());
    l.reported_by = text_of(st.getColumn(10));
    out.push_back(reveal ? std::move(l) : detail::masked(std::move(l)));
  }
  return out;
}
constexpr const char* liaison_select =
    "SELECT unit, slot, name, title, department, office_phone, mobile, email, valid_from, valid_to, reported_by "
    "FROM liaisons ";
}  // namespace

std::vector<liaison> store::liaisons(std::string_view unit_code, std::optional<instant> as_of, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading liaisons", [&] {
    if (p_->pg) return p_->pg_liaisons(unit_code, as_of, reveal, false);
    const std::string u(unit_code);
    if (as_of) {
      SQLite::Statement st(p_->db, std::string(liaison_select) +
                                       "WHERE unit = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
                                       "ORDER BY slot");
      st.bind(1, u);
      st.bind(2, static_cast<std::int64_t>(secs(*as_of)));
      st.bind(3, static_cast<std::int64_t>(secs(*as_of)));
      return read_liaisons(st, reveal);
    }
    SQLite::Statement st(p_->db, std::string(liaison_select) + "WHERE unit = ? AND valid_to IS NULL ORDER BY slot");
    st.bind(1, u);
    return read_liaisons(st, reveal);
  });
}

std::vector<liaison> store::liaison_history(std::string_view unit_code, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading liaisons", [&] {
    if (p_->pg) return p_->pg_liaisons(unit_code, std::nullopt, reveal, true);
    SQLite::Statement st(p_->db, std::string(liaison_select) + "WHERE unit = ? ORDER BY valid_from, slot, id");
    st.bind(1, std::string(unit_code));
    return read_liaisons(st, reveal);
  });
}

}  // namespace hotline
