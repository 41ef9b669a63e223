// The work-order store on PostgreSQL: connecting, the schema's version and migrations,
// and the urgent hook's listener (store_pg.hpp).
#include "hotline/calendar.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "store_impl.hpp"

#include <cerrno>

#include <poll.h>
#include <unistd.h>

namespace hotline {

void store::impl::pg_open() {
  deadlines = opt.deadlines ? opt.deadlines : std::make_shared<calendar_deadlines>(calendar::china());
  pg = std::make_unique<detail::pg_state>(pg_location, path.string());
  pg_migrate();
}

int store::impl::pg_user_version() {
  auto& c = pg->conn;
  auto r = c.exec("SELECT to_regclass('hotline_schema') IS NOT NULL", "reading the schema version");
  if (r.text(0, 0) != "t") return 0;
  auto v = c.exec("SELECT version FROM hotline_schema", "reading the schema version");
  return v.rows() ? static_cast<int>(v.int64(0, 0)) : 0;
}

void store::impl::pg_migrate() {
  const auto& m = detail::pg_store_migrations();
  const int latest = m.back().to;
  int v = pg_user_version();
  refuse_newer_pg(v, latest);
  if (v == latest) {
    pg->schema_version = v;
    return;
  }
  if (opt.read_only)
    throw storage_error(path.string() + ": the database has schema version " + std::to_string(v) +
                        " and needs migrations to " + std::to_string(latest) + ", but was opened read-only");
  auto& c = pg->conn;
  c.exec("BEGIN", "migrating the schema");
  try {
    // One migrating host at a time; the others find the work done.
    c.exec("SELECT pg_advisory_xact_lock(" + std::to_string(detail::pg_write_lock_key) + ")", "migrating the schema");
    c.exec("CREATE TABLE IF NOT EXISTS hotline_schema(version integer NOT NULL)", "migrating the schema");
    v = pg_user_version();
    refuse_newer_pg(v, latest);
    const int from = v;
    for (const auto& step : m) {
      if (step.to <= v) continue;
      c.exec(step.sql, "migrating the schema from version " + std::to_string(from) + " to " + std::to_string(step.to));
      v = step.to;
    }
    c.exec("DELETE FROM hotline_schema", "migrating the schema");
    c.exec("INSERT INTO hotline_schema(version) VALUES(" + std::to_string(v) + ")", "migrating the schema");
    c.exec("COMMIT", "migrating the schema");
  } catch (const storage_error& e) {
    try {
      c.exec("ROLLBACK", "rolling a failed migration back");
    } catch (...) {
    }
    throw storage_error(std::string(e.what()) + "; the database keeps its schema");
  } catch (...) {
    try {
      c.exec("ROLLBACK", "rolling a failed migration back");
    } catch (...) {
    }
    throw;
  }
  pg->schema_version = v;
}

void store::impl::refuse_newer_pg(int v, int latest) const {
  if (v > latest)
    throw storage_error(path.string() + ": the database has schema version " + std::to_string(v) +
                        ", newer than this library's " + std::to_string(latest) +
                        ": open it with a newer library (the database was left as it was)");
}

void store::impl::pg_listen() {
  if (!pg || pg->listener || !urgent) return;
  pg->listener = std::make_unique<detail::pg_listener>(
      pg_location, path.string(), pg->conn.backend_pid(), [this](const std::string& number) {
        // Another host's urgent order: read back on this store's connection (under its
        // call mutex, as any call), announced outside it.
        std::optional<work_order> o;
        urgent_callback cb;
        {
          const auto g = guard();
          if (batch_open || imp || pg_imp) return;  // the connection is inside a transaction of this host's
          cb = urgent;
          try {
            o = pg_get(number, true);
          } catch (...) {
            return;
          }
        }
        if (o) announce(cb, {*o});
      });
}

}  // namespace hotline

namespace hotline::detail {

pg_listener::pg_listener(const std::string& conninfo, const std::string& where, int own_pid,
                         std::function<void(const std::string&)> deliver)
    : conn_(conninfo, where), own_pid_(own_pid), deliver_(std::move(deliver)) {
  conn_.exec(std::string("LISTEN ") + pg_urgent_channel, "listening for urgent orders");
  if (::pipe(wake_) != 0) throw storage_error(where + ": cannot create the urgent listener's pipe");
  thread_ = std::thread([this] { run(); });
}

pg_listener::~pg_listener() {
  const char x = 1;
  (void)!::write(wake_[1], &x, 1);
  if (thread_.joinable()) thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void pg_listener::run() {
  for (;;) {
    pollfd fds[2] = {{conn_.socket(), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const int n = ::poll(fds, 2, 1000);
    if (n < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    try {
      if (conn_.broken()) {
        conn_.reset_if_broken("listening for urgent orders");
        conn_.exec(std::string("LISTEN ") + pg_urgent_channel, "listening for urgent orders");
      }
      for (const auto& [channel, number] : conn_.notifications(&own_pid_))
        if (channel == pg_urgent_channel) deliver_(number);
    } catch (...) {
      // The server away: try again at the next wake-up (poll's timeout).
    }
  }
}

}  // namespace hotline::detail
