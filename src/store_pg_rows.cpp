// A work order to and from a projection row on PostgreSQL (store_pg.hpp): the same
// columns as SQLite's (store_rows.hpp: which fields are columns is the codec's), in
// libpq's text format.
#include "store_codec.hpp"
#include "store_pg.hpp"
#include "store_rows.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <charconv>
#include <optional>
#include <type_traits>

namespace hotline::detail {

namespace {

/// A field as the text of its column; nullopt for NULL.
std::optional<std::string> column_text(const std::string& v) { return v; }
std::optional<std::string> column_text(bool v) { return std::string(v ? "1" : "0"); }
std::optional<std::string> column_text(int v) { return std::to_string(v); }
std::optional<std::string> column_text(instant v) { return std::to_string(secs(v)); }
std::optional<std::string> column_text(const std::optional<instant>& v) {
  if (!v) return std::nullopt;
  return std::to_string(secs(*v));
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
std::optional<std::string> column_text(E v) {
  return std::string(to_string(v));
}

/// Calls f(text or nullopt) for every column of order_columns() but `rest`, in order.
template <class F>
void for_each_column(const work_order& o, std::int64_t id, const std::string& actions, F&& f) {
  f(std::optional<std::string>(std::to_string(id)));
  f(std::optional<std::string>(o.number));
  f(std::optional<std::string>(std::to_string(o.version)));
  f(column_text(o.state));
  f(std::optional<std::string>(is_open(o.state) ? "1" : "0"));
  f(column_text(o.next_due()));
  f(column_text(o.next_warn()));
  std::size_t pos = 0;
  for_each_field(o, [&](const char* n, const auto& v, personal) {
    if (!is_projection_column(pos++)) return;
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
      if (v.empty() && std::string_view(n) == "unit") {  // NULL: no unit (foreign key)
        f(std::optional<std::string>());
        return;
      }
    }
    f(column_text(v));
  });
  f(actions.empty() ? std::optional<std::string>() : std::optional<std::string>(actions));
}

std::int64_t int_of(std::string_view t) {
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

void read_column(const pg_result& r, int row, int i, std::string& v) { v.assign(r.text(row, i)); }
void read_column(const pg_result& r, int row, int i, bool& v) { v = int_of(r.text(row, i)) != 0; }
void read_column(const pg_result& r, int row, int i, int& v) { v = static_cast<int>(int_of(r.text(row, i))); }
void read_column(const pg_result& r, int row, int i, instant& v) { v = at_secs(int_of(r.text(row, i))); }
void read_column(const pg_result& r, int row, int i, std::optional<instant>& v) {
  if (r.null(row, i)) v.reset();
  else v = at_secs(int_of(r.text(row, i)));
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void read_column(const pg_result& r, int row, int i, E& v) {
  v = hotline::parse_enum<E>(r.text(row, i));
}

}  // namespace

void append_order_copy_row(std::string& out, const work_order& o, std::int64_t id, const std::string& actions,
                           const std::string& rest) {
  for_each_column(o, id, actions, [&](const std::optional<std::string>& v) {
    if (v) copy_text(out, *v);
    else out += "\\N";
    out += '\t';
  });
  copy_bytes(out, rest);
  out += '\n';
}

std::vector<pg_param> order_params(const work_order& o, std::int64_t id, const std::string& actions,
                                   const std::string& rest) {
  std::vector<pg_param> p;
  p.reserve(static_cast<std::size_t>(rest_column()) + 2);
  for_each_column(o, id, actions, [&](std::optional<std::string> v) {
    if (v) p.emplace_back(std::move(*v));
    else p.emplace_back();
  });
  p.push_back(pg_param::bytes(rest));
  return p;
}

std::int64_t read_order_pg(const pg_result& r, int row, work_order& o, std::string* actions) {
  o.number.assign(r.text(row, 1));
  o.version = r.int64(row, 2);
  o.state = hotline::parse_enum<order_state>(r.text(row, 3));
  int i = fixed_columns;
  std::size_t pos = 0;
  for_each_field(o, [&](const char*, auto& v, personal) {
    if (is_projection_column(pos++)) read_column(r, row, i++, v);
  });
  if (actions) actions->assign(r.text(row, actions_column()));
  std::string rest;
  r.bytes(row, rest_column(), rest);
  decode_rest(rest, o);
  return r.int64(row, 0);
}

std::string pg_sql(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  int next = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '?') {
      out += s[i];
      continue;
    }
    out += '$';
    if (i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') continue;  // ?N: keep N
    out += std::to_string(next++);
  }
  return out;
}

}  // namespace hotline::detail
