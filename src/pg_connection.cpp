// libpq behind hotline's errors (pg_connection.hpp).
#include "pg_connection.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>


namespace hotline::detail {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string trimmed(const char* s) {
  std::string m = s ? s : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

std::int64_t pg_result::int64(int row, int col) const {
  const auto t = text(row, col);
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size())
    throw storage_error("the server returned '" + std::string(t) + "' where an integer was expected");
  return v;
}

void pg_result::bytes(int row, int col, std::string& out) const {
  const auto t = text(row, col);
  out.clear();
  if (t.size() < 2 || t[0] != '\\' || t[1] != 'x' || t.size() % 2 != 0)
    throw storage_error("the server returned a bytea value not in hex format (bytea_output must be 'hex')");
  out.resize((t.size() - 2) / 2);
  for (std::size_t i = 2, k = 0; i < t.size(); i += 2, ++k) {
    const int hi = hex_value(t[i]), lo = hex_value(t[i + 1]);
    if (hi < 0 || lo < 0) throw storage_error("the server returned a malformed bytea value");
    out[k] = static_cast<char>(hi * 16 + lo);
  }
}

std::int64_t pg_result::affected() const {
  const char* n = r_ ? PQcmdTuples(r_) : "";
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

pg_connection::pg_connection(const std::string& conninfo, std::string where) : where_(std::move(where)) {
  c_ = PQconnectdb(conninfo.c_str());
  if (!c_) throw storage_error(where_ + ": storage error while connecting: libpq could not allocate a connection");
  if (PQstatus(c_) != CONNECTION_OK) {
    const auto msg = trimmed(PQerrorMessage(c_));
    PQfinish(c_);
    c_ = nullptr;
    throw storage_error(where_ + ": storage error while connecting to the PostgreSQL server: " + msg);
  }
  configure();
}

void pg_connection::configure() {
  // bytea in hex (pg_result::bytes), text in UTF-8; messages in English whatever the
  // server's locale, as the store's own are (only a superuser may set lc_messages: for
  // other roles the server's setting stays).
  exec("SET bytea_output TO 'hex'; SET client_encoding TO 'UTF8'", "configuring the session");
  PQclear(PQexec(c_, "SET lc_messages TO 'C'"));
}

pg_connection::~pg_connection() {
  if (c_) PQfinish(c_);
}

pg_result pg_connection::check(PGresult* r, std::string_view what) {
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) return pg_result(r);
  pg_result owned(r);
  std::string msg = where_ + ": storage error while " + std::string(what) + ": ";
  if (!r || PQstatus(c_) != CONNECTION_OK) {
    lost_ = true;
    msg += trimmed(PQerrorMessage(c_));
    if (PQstatus(c_) != CONNECTION_OK)
      msg += " (the connection to the server was lost; nothing of the transaction was committed, and the next "
             "call reconnects)";
    throw storage_error(msg);
  }
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state ? state : "";
  // No SQLSTATE (libpq's own failure: the socket closed), a connection exception (08)
  // or the server shutting the session down (57P01-57P03): the connection is gone.
  if (sqlstate.empty() || sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P0", 0) == 0) {
    lost_ = true;
    const char* why = PQresultErrorMessage(r);
    msg += trimmed(why && *why ? why : PQerrorMessage(c_));
    msg += " (the connection to the server was lost; nothing of the transaction was committed, and the next call "
           "reconnects)";
    throw storage_error(msg);
  }
  msg += trimmed(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
  if (const char* d = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)) msg.append(" (").append(trimmed(d)).append(")");
  msg += " [SQLSTATE " + sqlstate + "]";
  if (sqlstate == "23505" || sqlstate == "40001" || sqlstate == "40P01") throw conflict_error(msg);
  if (sqlstate == "53100") msg += " (the server's disk is full)";
  if (sqlstate == "42501") msg += " (the database role lacks a privilege)";
  if (sqlstate == "25006") msg += " (the server takes no writes here: a replica in recovery; write to the primary)";
  throw storage_error(msg);
}

pg_result pg_connection::exec(std::string_view sql, std::string_view what) {
  return check(PQexec(c_, std::string(sql).c_str()), what);
}

namespace {
struct param_arrays {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  explicit param_arrays(const std::vector<pg_param>& params) {
    values.reserve(params.size());
    for (const auto& p : params) {
      values.push_back(p.value ? p.value->data() : nullptr);
      lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
      formats.push_back(p.binary ? 1 : 0);
    }
  }
};
}  // namespace

pg_result pg_connection::exec(const std::string& sql, const std::vector<pg_param>& params, std::string_view what) {
  const param_arrays a(params);
  return check(PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr, a.values.data(),
                            a.lengths.data(), a.formats.data(), 0),
               what);
}

pg_result pg_connection::exec_prepared(const char* name, const std::string& sql, const std::vector<pg_param>& params,
                                       std::string_view what) {
  if (std::find(prepared_.begin(), prepared_.end(), name) == prepared_.end()) {
    check(PQprepare(c_, name, sql.c_str(), static_cast<int>(params.size()), nullptr), what);
    prepared_.emplace_back(name);
  }
  const param_arrays a(params);
  return check(PQexecPrepared(c_, name, static_cast<int>(params.size()), a.values.data(), a.lengths.data(),
                              a.formats.data(), 0),
               what);
}

void pg_connection::copy_in(const std::string& copy_sql, std::string_view data, std::string_view what) {
  copy_begin(copy_sql, what);
  copy_put(data, what);
  copy_end(what);
  copy_finish(what);
}

void pg_connection::copy_begin(const std::string& copy_sql, std::string_view what) {
  check(PQexec(c_, copy_sql.c_str()), what);
}

void pg_connection::copy_put(std::string_view data, std::string_view what) {
  if (data.empty()) return;
  if (PQputCopyData(c_, data.data(), static_cast<int>(data.size())) != 1)
    throw storage_error(where_ + ": storage error while " + std::string(what) + ": " + trimmed(PQerrorMessage(c_)));
}

void pg_connection::copy_end(std::string_view what) {
  if (PQputCopyEnd(c_, nullptr) != 1)
    throw storage_error(where_ + ": storage error while " + std::string(what) + ": " + trimmed(PQerrorMessage(c_)));
}

void pg_connection::copy_finish(std::string_view what) {
  // The COPY's own result, then the end of the command.
  pg_result r = check(PQgetResult(c_), what);
  while (PGresult* more = PQgetResult(c_)) PQclear(more);
}

void pg_connection::copy_abort() noexcept {
  if (PQstatus(c_) != CONNECTION_OK) return;
  if (PQtransactionStatus(c_) == PQTRANS_ACTIVE) (void)PQputCopyEnd(c_, "the writer failed before the end of its rows");
  while (PGresult* r = PQgetResult(c_)) PQclear(r);
}

void pg_connection::reset_if_broken(std::string_view what) {
  if (!broken()) return;
  PQreset(c_);
  prepared_.clear();
  lost_ = PQstatus(c_) != CONNECTION_OK;
  if (PQstatus(c_) != CONNECTION_OK)
    throw storage_error(where_ + ": storage error while " + std::string(what) +
                        ": the PostgreSQL server cannot be reached: " + trimmed(PQerrorMessage(c_)));
  configure();
}

bool pg_connection::in_transaction() const {
  const auto s = PQtransactionStatus(c_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

std::vector<std::pair<std::string, std::string>> pg_connection::notifications(int* sender_pid) {
  std::vector<std::pair<std::string, std::string>> out;
  if (PQconsumeInput(c_) != 1)
    throw storage_error(where_ + ": storage error while listening for urgent orders: " + trimmed(PQerrorMessage(c_)));
  while (PGnotify* n = PQnotifies(c_)) {
    if (!sender_pid || n->be_pid != *sender_pid) out.emplace_back(n->relname, n->extra ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

std::string pg_redacted(std::string_view s) {
  std::string out(s);
  // URI: scheme://user:password@host
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto at = out.find('@', scheme + 3);
    const auto slash = out.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... in a key=value string or a URI's query
  for (std::size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
    pos += 9;
    auto end = out.find_first_of(" &", pos);
    if (end == std::string::npos) end = out.size();
    out.replace(pos, end - pos, "***");
  }
  return out;
}

bool is_pg_location(std::string_view s) {
  if (s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0) return true;
  // key=value: a file name does not start with one of libpq's keywords and '='.
  for (const char* k : {"dbname=", "host=", "hostaddr=", "service=", "user=", "port="})
    if (s.rfind(k, 0) == 0) return true;
  return false;
}

void copy_text(std::string& out, std::string_view v) {
  for (const char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

void copy_bytes(std::string& out, std::string_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\\\x";  // the field's text is \x...; COPY's escaping doubles the backslash
  for (const unsigned char c : b) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
}

namespace {
void big_endian(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
}  // namespace

void copy_binary_header(std::string& out) {
  static constexpr char signature[] = "PGCOPY\n\377\r\n";  // and its terminating zero byte
  out.append(signature, sizeof signature);
  big_endian(out, 0, 4);  // flags: no OIDs
  big_endian(out, 0, 4);  // no header extension
}

void copy_binary_row(std::string& out, std::int16_t fields) { big_endian(out, static_cast<std::uint16_t>(fields), 2); }

void copy_binary_int8(std::string& out, std::int64_t v) {
  big_endian(out, 8, 4);
  big_endian(out, static_cast<std::uint64_t>(v), 8);
}

void copy_binary_bytes(std::string& out, std::string_view b) {
  big_endian(out, static_cast<std::uint32_t>(b.size()), 4);
  out.append(b);
}

void copy_binary_trailer(std::string& out) { big_endian(out, 0xFFFF, 2); }

}  // namespace hotline::detail
