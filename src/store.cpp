// hotline::store: the work-order event log and its projection (see store.hpp).  This
// file holds the store's life (opening, moves, the urgent hook), the write calls
// (create, apply, split, rebuild_projection), batches and the access of the store's
// other files; the rest is split by what it holds, along the seam for another back end
// (store_impl.hpp lists the files and which of them are SQLite's).
//
// Since schema 4 the events of one order appended in one transaction are one row of
// `event_blocks` (each event still hashed on its own, ids consecutive), and the
// projection `orders` keeps as columns only what queries, indexes and reports read;
// the byte formats are in store_codec.cpp.  Rows of `events` (schemas 1-3) stay where
// they are and are read, verified and replayed before the blocks.
#include "hotline/store.hpp"

#include "store_access.hpp"
#include "store_impl.hpp"
#include "store_schema.hpp"
#include "store_values.hpp"

#include <thread>

namespace hotline {

bool is_postgresql_location(std::string_view location) noexcept { return detail::is_pg_location(location); }

std::string redacted_location(std::string_view location) {
  return detail::is_pg_location(location) ? detail::pg_redacted(location) : std::string(location);
}


using detail::throw_storage;

store::store(const std::filesystem::path& file, store_options options) {
  try {
    p_ = std::make_unique<impl>(file, std::move(options));
  } catch (const SQLite::Exception& e) {  // SQLite could not open the file at all
    throw_storage(e, detail::storage_message(file, "opening it", e, 0));
  }
}
store::~store() {
  if (p_ && p_->pg_imp) p_->pg_import_close();
  if (p_ && p_->imp) {
    std::int64_t n = 0;
    import_waits w;
    {
      const auto guard = p_->guard();  // announces what the import committed
      p_->import_close(n, w);
    }
  }
  if (p_) p_->rollback();
}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;

int store::schema_version() const {
  const auto guard = p_->guard();
  return p_->read("reading the schema version", [&] { return p_->user_version(); });
}
int store::latest_schema_version() noexcept { return static_cast<int>(detail::store_migrations().size()); }
const std::filesystem::path& store::path() const noexcept { return p_->path; }
void store::on_urgent(urgent_callback cb) {
  const auto guard = p_->guard();
  p_->urgent = std::move(cb);
  p_->pg_listen();  // PostgreSQL: other hosts' urgent orders too
}

// ---- orders --------------------------------------------------------------------

work_order store::create(const work_order& order, const actor& by, bool draft) {
  const auto guard = p_->guard();
  return p_->write("creating a work order", [&] { return p_->do_create(order, by, draft).order; });
}

work_order store::apply(std::string_view number, const command& c) {
  const auto guard = p_->guard();
  return p_->write("applying " + std::string(to_string(c.action)), [&] { return p_->do_apply(number, c).order; });
}

std::vector<work_order> store::split(std::string_view number, const std::vector<work_order>& parts, const actor& by,
                                     instant at) {
  const auto guard = p_->guard();
  if (parts.empty()) throw invalid_argument_error("split needs at least one part");
  return p_->write("splitting a work order", [&] {
    auto& src = p_->must_load(number);
    check_transition(action::split, src.order.state, by.role);
    const std::string source_number = src.order.number;
    std::vector<work_order> out;
    std::vector<std::string> numbers;
    for (auto part : parts) {
      part.split_from = source_number;
      out.push_back(p_->do_create(part, by, false).order);
      numbers.push_back(out.back().number);
    }
    command c;
    c.action = action::split;
    c.by = by;
    c.at = at;
    c.target = detail::comma_join(numbers);
    p_->do_apply(source_number, c);
    return out;
  });
}

std::size_t store::rebuild_projection() {
  const auto guard = p_->guard();
  if (p_->batch_open) throw invalid_argument_error("rebuild_projection cannot run inside a batch");
  return p_->write("rebuilding the projection", [&] {
    if (p_->pg) return p_->pg_replay_projection();
    const auto n = p_->replay_projection();
    detail::rebuild_counts(p_->db.getHandle());
    return n;
  });
}

// ---- batches --------------------------------------------------------------------

store::batch store::begin_batch() {
  const auto guard = p_->guard();
  p_->no_import_open();
  if (p_->batch_open) throw invalid_argument_error("a batch is already open on this store");
  p_->writable("beginning a batch");
  try {
    p_->begin();
  } catch (const SQLite::Exception& e) {
    const auto msg = p_->describe(e, "beginning a batch");
    p_->rollback();
    throw_storage(e, msg);
  }
  p_->batch_open = true;
  p_->batch_thread = std::this_thread::get_id();
  return batch(*this);
}

store::batch::batch(batch&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }

void store::batch::commit() {
  if (!s_) throw invalid_argument_error("the batch is already committed");
  auto* p = s_->p_.get();
  const auto guard = p->guard();
  try {
    p->batch_open = false;
    p->no_lost_batch();
    p->commit();
  } catch (const SQLite::Exception& e) {
    const auto msg = p->describe(e, "committing a batch");
    p->rollback();
    s_ = nullptr;
    throw_storage(e, msg + "; the batch was rolled back: nothing of it was written");
  } catch (const storage_error& e) {
    p->rollback();
    s_ = nullptr;
    p->rethrow_named(e, "; the batch was rolled back: nothing of it was written");
  } catch (...) {
    p->rollback();
    s_ = nullptr;
    throw;
  }
  s_ = nullptr;
}

store::batch::~batch() {
  if (s_ && s_->p_) {
    const auto guard = s_->p_->guard();
    s_->p_->batch_open = false;
    s_->p_->rollback();
  }
}

}  // namespace hotline

// ---- access for the store's other translation units (store_access.hpp) ----------

namespace hotline::detail {

void store_access::write(store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f) {
  const auto guard = s.p_->guard();
  s.p_->write(what, [&] {
    f(s.p_->db);
    return 0;
  });
}

bool store_access::pg_write(store& s, std::string_view what, const std::function<void(pg_connection&)>& f) {
  const auto guard = s.p_->guard();
  if (!s.p_->pg) return false;
  s.p_->write(what, [&] {
    f(s.p_->pg->conn);
    return 0;
  });
  return true;
}

bool store_access::on_pg(const store& s) { return s.p_->pg != nullptr; }

bool store_access::pg_read(const store& s, std::string_view what, const std::function<void(pg_connection&)>& f) {
  const auto guard = s.p_->guard();
  if (!s.p_->pg) return false;
  s.p_->read(what, [&] {
    f(s.p_->pg->conn);
    return 0;
  });
  return true;
}

void store_access::read(const store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f) {
  const auto guard = s.p_->guard();
  s.p_->read(what, [&] {
    f(s.p_->db);
    return 0;
  });
}

}  // namespace hotline::detail
