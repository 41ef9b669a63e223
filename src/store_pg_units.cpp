// Units and their liaisons in the work-order store on PostgreSQL (store_pg.hpp): the
// same rules as store_units.cpp (history kept, a change starts after the current one).
#include "store_impl.hpp"

#include "store_masking.hpp"
#include "store_values.hpp"

namespace hotline {

using detail::pg_param;

bool store::impl::pg_unit_active(const std::string& code) {
  return pg->conn
             .exec_prepared("hl_unit_active", "SELECT 1 FROM units WHERE code = $1 AND active = 1", {pg_param(code)},
                            "reading a unit")
             .rows() > 0;
}

std::vector<store::impl::liaison_row> store::impl::pg_select_liaison_rows(const std::string& unit) {
  auto r = pg->conn.exec_prepared(
      "hl_liaison_rows", "SELECT slot, valid_from, valid_to, name FROM liaisons WHERE unit = $1 ORDER BY slot, valid_from",
      {pg_param(unit)}, "reading a unit's liaisons");
  std::vector<liaison_row> rows;
  for (int i = 0; i < r.rows(); ++i)
    rows.push_back({std::string(r.text(i, 0)), r.int64(i, 1), r.opt_int64(i, 2), std::string(r.text(i, 3))});
  return rows;
}

unit_directory store::impl::pg_load_directory() {
  auto& c = pg->conn;
  std::vector<unit> units;
  std::unordered_map<std::string, std::size_t> index;
  auto r = c.exec("SELECT code, name, kind, COALESCE(parent, ''), active FROM units ORDER BY code", "reading units");
  for (int i = 0; i < r.rows(); ++i) {
    unit u;
    u.code = r.text(i, 0);
    u.name = r.text(i, 1);
    u.kind = parse_unit_kind(std::string(r.text(i, 2)));
    u.parent = r.text(i, 3);
    u.active = r.int64(i, 4) != 0;
    index.emplace(u.code, units.size());
    units.push_back(std::move(u));
  }
  auto cov = c.exec("SELECT unit, district, sub_district FROM unit_coverage ORDER BY unit, district, sub_district",
                    "reading units");
  for (int i = 0; i < cov.rows(); ++i)
    units[index.at(std::string(cov.text(i, 0)))].covers.push_back({std::string(cov.text(i, 1)), std::string(cov.text(i, 2))});
  auto top = c.exec("SELECT unit, topic FROM unit_topics ORDER BY unit, topic", "reading units");
  for (int i = 0; i < top.rows(); ++i)
    units[index.at(std::string(top.text(i, 0)))].topics.emplace_back(top.text(i, 1));
  return unit_directory(std::move(units));
}

void store::impl::pg_put_unit(const unit& u) {
  auto& c = pg->conn;
  if (!u.parent.empty() &&
      c.exec("SELECT 1 FROM units WHERE code = $1", {pg_param(u.parent)}, "storing a unit").rows() == 0)
    throw not_found_error("unknown parent unit '" + u.parent + "'");
  c.exec("INSERT INTO units(code, name, kind, parent, active) VALUES($1,$2,$3,$4,$5) "
         "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
         "parent = excluded.parent, active = excluded.active",
         {pg_param(u.code), pg_param(u.name), pg_param(std::string(to_string(u.kind))),
          u.parent.empty() ? pg_param() : pg_param(u.parent), pg_param(u.active ? 1 : 0)},
         "storing a unit");
  c.exec("DELETE FROM unit_coverage WHERE unit = $1", {pg_param(u.code)}, "storing a unit");
  c.exec("DELETE FROM unit_topics WHERE unit = $1", {pg_param(u.code)}, "storing a unit");
  for (const auto& cv : u.covers)
    c.exec("INSERT INTO unit_coverage(unit, district, sub_district) VALUES($1,$2,$3) ON CONFLICT DO NOTHING",
           {pg_param(u.code), pg_param(cv.district), pg_param(cv.sub_district)}, "storing a unit");
  for (const auto& t : u.topics)
    c.exec("INSERT INTO unit_topics(unit, topic) VALUES($1,$2) ON CONFLICT DO NOTHING", {pg_param(u.code), pg_param(t)},
           "storing a unit");
}

void store::impl::pg_set_liaison(const liaison& l) {
  auto& c = pg->conn;
  const auto from = static_cast<std::int64_t>(detail::secs(l.valid_from));
  auto cur = c.exec("SELECT valid_from FROM liaisons WHERE unit = $1 AND slot = $2 AND valid_to IS NULL",
                    {pg_param(l.unit), pg_param(l.slot)}, "recording a liaison");
  for (int i = 0; i < cur.rows(); ++i)
    if (cur.int64(i, 0) >= from)
      throw invalid_argument_error("a liaison change for unit '" + l.unit + "' slot " + l.slot +
                                   " must start after the current liaison's start");
  c.exec("UPDATE liaisons SET valid_to = $1 WHERE unit = $2 AND slot = $3 AND valid_to IS NULL",
         {pg_param(from), pg_param(l.unit), pg_param(l.slot)}, "recording a liaison");
  c.exec("INSERT INTO liaisons(unit, slot, name, title, department, office_phone, mobile, email, valid_from, valid_to, "
         "reported_by) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,NULL,$10)",
         {pg_param(l.unit), pg_param(l.slot), pg_param(l.name), pg_param(l.title), pg_param(l.department),
          pg_param(l.office_phone), pg_param(l.mobile), pg_param(l.email), pg_param(from), pg_param(l.reported_by)},
         "recording a liaison");
}

std::vector<liaison> store::impl::pg_liaisons(std::string_view unit_code, std::optional<instant> as_of, bool reveal,
                                              bool history) {
  std::string sql =
      "SELECT unit, slot, name, title, department, office_phone, mobile, email, valid_from, valid_to, reported_by "
      "FROM liaisons WHERE unit = $1";
  std::vector<pg_param> params{pg_param(unit_code)};
  if (history) {
    sql += " ORDER BY valid_from, slot, id";
  } else if (as_of) {
    sql += " AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) ORDER BY slot";
    params.emplace_back(static_cast<std::int64_t>(detail::secs(*as_of)));
  } else {
    sql += " AND valid_to IS NULL ORDER BY slot";
  }
  auto r = pg->conn.exec(sql, params, "reading liaisons");
  std::vector<liaison> out;
  for (int i = 0; i < r.rows(); ++i) {
    liaison l;
    l.unit = r.text(i, 0);
    l.slot = r.text(i, 1);
    l.name = r.text(i, 2);
    l.title = r.text(i, 3);
    l.department = r.text(i, 4);
    l.office_phone = r.text(i, 5);
    l.mobile = r.text(i, 6);
    l.email = r.text(i, 7);
    l.valid_from = detail::at_secs(r.int64(i, 8));
    if (const auto to = r.opt_int64(i, 9)) l.valid_to = detail::at_secs(*to);
    l.reported_by = r.text(i, 10);
    out.push_back(reveal ? std::move(l) : detail::masked(std::move(l)));
  }
  return out;
}

}  // namespace hotline
