// The work-order store's bulk import (store::importer) on two threads: the calling
// thread runs the commands and hashes each transaction's blocks, then hands the
// transaction to a writer thread, which writes and commits it.  The hand-over (queues,
// waits, the predicted chain end) is back-end-neutral; the writer's transaction, the
// reader connection and the WAL checkpointer are SQLite's.
#include "store_impl.hpp"

#include "store_chain.hpp"

#include <pthread.h>

#include <limits>

namespace hotline {

using detail::throw_storage;

namespace {
constexpr std::string_view import_stopped =
    "; that transaction was rolled back and the import stopped (the transactions committed before it stay)";
}  // namespace

// ---- the calling thread's side ------------------------------------------------------

void store::impl::import_rethrow() {
  if (!imp->failed.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> l(imp->m);
  std::rethrow_exception(imp->error);
}

void store::impl::import_handoff() {
  auto& s = *imp;
  const std::int64_t no = s.handed + 1;
  // A transaction written before, back for its vectors' memory.
  import_tx tx;
  if (!spare.empty()) {
    tx = std::move(spare.back());
    spare.pop_back();
  }
  tx.no = no;
  tx.urgent.clear();
  tx.orders.clear();
  tx.new_orders = 0;
  for (cached* c : touched) {
    if (c->file.version == 0) ++tx.new_orders;
    tx.orders.push_back({c, {c->file.version, std::move(c->file.key)}});
    // The entry goes to the writer as it is; what the calling thread keeps of it stands
    // for the file once this transaction commits (the version the next update expects;
    // the counts group is made when the order is used again, load()).
    c->file.key.reset();
    c->file.version = c->order.version;
    c->touched = false;
    cache.handed(*c, no);
  }
  touched.clear();
  // Hash the blocks here, on the chain as it will stand when the writer gets to them.
  bool hash_here;
  {
    std::lock_guard<std::mutex> l(s.m);
    hash_here = !s.chain_diverged;
  }
  tx.chain.reset();
  if (hash_here) {
    tx.chain = s.predicted;
    for (const handed& h : tx.orders) {
      cached& c = *h.entry;
      detail::hash_block(c.body, c.ends, s.predicted.next_id, c.id, c.first_seq, s.predicted.hash, c.hashes);
      s.predicted.next_id += static_cast<std::int64_t>(c.ends.size());
    }
  }
  tx.urgent = std::move(urgent_pending);
  urgent_pending.clear();
  std::int64_t written = 0;
  std::vector<import_tx> back;
  {
    std::unique_lock<std::mutex> l(s.m);
    timed_wait(l, s.waits.caller_s, [&] { return s.in_flight < import_max_in_flight || s.error; });
    if (s.error) std::rethrow_exception(s.error);
    s.pending.push_back(std::move(tx));
    ++s.in_flight;
    s.handed = no;
    written = s.written;
    back.swap(s.spent);
  }
  s.cv.notify_all();
  // The orders of committed transactions are in the file, where the reader finds them:
  // keep only the entries in flight (the writer is done with the others) and those of
  // the next transaction.
  cache.drop_handed(written);
  for (auto& t : back) spare.push_back(std::move(t));
  current_liaison.clear();
  import_announce();
}

void store::impl::import_announce() {
  std::lock_guard<std::mutex> l(imp->m);
  for (auto& o : imp->announce) to_announce.push_back(std::move(o));
  imp->announce.clear();
}

std::exception_ptr store::impl::import_close(std::int64_t& committed, import_waits& waits) {
  auto& s = *imp;
  {
    std::unique_lock<std::mutex> l(s.m);
    timed_wait(l, s.waits.caller_s, [&] { return s.in_flight == 0; });
    s.stop = true;
  }
  s.cv.notify_all();
  s.writer.join();
  s.checkpointer.reset();
  auto err = s.error;
  committed = s.committed;
  waits = s.waits;
  s.spent.clear();
  spare.clear();
  import_announce();
  imp.reset();
  cache.clear();
  touched.clear();
  urgent_pending.clear();
  current_liaison.clear();
  return err;
}

// ---- the writer thread ------------------------------------------------------------

void store::impl::import_write_loop() {
  auto& s = *imp;
  pthread_setname_np(pthread_self(), "hotline-writer");  // as ps and perf show it
  for (;;) {
    import_tx tx;
    bool skip = false;    // a transaction before it failed: it is not written
    bool hashed = false;  // its blocks' hashes were made by the calling thread
    {
      std::unique_lock<std::mutex> l(s.m);
      timed_wait(l, s.waits.writer_s, [&] { return !s.pending.empty() || s.stop; });
      if (s.pending.empty()) return;
      tx = std::move(s.pending.front());
      s.pending.pop_front();
      skip = s.error != nullptr;
    }
    std::exception_ptr err;
    if (!skip) {
      try {
        try {
          s.checkpointer->before_begin();
          begin_tx();
          // The calling thread's hashes hold if the log ends where it took it to.
          hashed = tx.chain && tx.chain->next_id == next_event_id && tx.chain->hash == last_hash;
          for (handed& h : tx.orders) {
            write_projection(*h.entry, h.file);
            write_block(*h.entry, hashed);
          }
          count_changes.write(db.getHandle());
          maybe_sign();
          db.exec("COMMIT");
          in_tx = false;
        } catch (const SQLite::Exception& e) {
          throw_storage(e, describe(e, "importing work orders").append(import_stopped));
        } catch (const storage_error& e) {
          rethrow_named(e, import_stopped);
        }
      } catch (...) {
        err = std::current_exception();
        rollback_tx();
      }
    }
    {
      std::lock_guard<std::mutex> l(s.m);
      if (err) {
        s.error = err;
        s.failed.store(true, std::memory_order_release);
      } else if (!skip) {
        s.committed += tx.new_orders;
        s.written = tx.no;
        if (tx.chain && !hashed) s.chain_diverged = true;  // another writer appended: hash here from now on
        for (auto& o : tx.urgent) s.announce.push_back(std::move(o));
      }
      s.spent.push_back(std::move(tx));
      --s.in_flight;
    }
    s.cv.notify_all();
  }
}

// ---- the importer ------------------------------------------------------------------

store::importer store::begin_import(std::size_t orders_per_transaction) {
  const auto guard = p_->guard();
  auto& p = *p_;
  p.no_import_open();
  if (p.batch_open) throw invalid_argument_error("a batch is open on this store: commit it before an import");
  if (orders_per_transaction == 0) throw invalid_argument_error("orders_per_transaction must be at least 1");
  p.writable("beginning an import");
  if (p.pg) {  // store_pg_import.cpp
    p.cache.clear();
    p.touched.clear();
    p.urgent_pending.clear();
    p.pg_imp = std::make_unique<impl::pg_import_state>(impl::pg_import_state{orders_per_transaction, 0, nullptr});
    return importer(*this);
  }
  // Set up aside: a step that fails leaves the store without an import.
  std::unique_ptr<impl::import_state> imp;
  try {
    SQLite::Statement st(p.db, "SELECT COALESCE(MAX(id), 0) FROM orders");
    st.executeStep();
    p.next_order_id = st.getColumn(0).getInt64() + 1;
    imp = std::make_unique<impl::import_state>(p.path, orders_per_transaction, p.opt.busy_timeout_ms);
    imp->checkpointer.emplace(p.path, p.db.getHandle(), p.opt.busy_timeout_ms);
    imp->predicted = detail::chain_end_before(p.db.getHandle(), std::numeric_limits<std::int64_t>::max());
  } catch (const SQLite::Exception& e) {
    throw_storage(e, p.describe(e, "beginning an import"));
  } catch (const storage_error& e) {
    p.rethrow_named(e);
  }
  p.imp = std::move(imp);
  p.cache.clear();
  p.touched.clear();
  p.urgent_pending.clear();
  p.current_liaison.clear();
  p.imp->writer = std::thread([&p] { p.import_write_loop(); });
  return importer(*this);
}

store::importer::importer(importer&& o) noexcept : s_(o.s_), done_(o.done_), waits_done_(o.waits_done_) {
  o.s_ = nullptr;
}

store::importer::~importer() {
  if (s_ && s_->p_ && s_->p_->pg_imp) {
    const auto guard = s_->p_->guard();
    s_->p_->pg_import_close();  // the open transaction rolled back
    return;
  }
  if (!s_ || !s_->p_ || !s_->p_->imp) return;
  // Unfinished: the commands not yet handed over are dropped, the one in flight ends.
  auto& p = *s_->p_;
  const auto guard = p.guard();
  p.touched.clear();
  p.urgent_pending.clear();
  p.import_close(done_, waits_done_);
}

std::string store::importer::create(const work_order& order, const actor& by, bool draft) {
  if (!s_) throw invalid_argument_error("the import is finished");
  auto& p = *s_->p_;
  const auto guard = p.guard();
  if (p.pg_imp) return p.pg_import_run("creating a work order", [&] { return p.do_create(order, by, draft).order.number; });
  p.import_rethrow();
  try {
    std::string number = p.do_create(order, by, draft).order.number;
    if (p.touched.size() >= p.imp->per_tx) p.import_handoff();
    return number;
  } catch (const SQLite::Exception& e) {
    throw_storage(e, p.describe_reader(e, "creating a work order"));
  } catch (const storage_error& e) {
    p.rethrow_named(e);
  }
}

std::int64_t store::importer::apply(std::string_view number, const command& c) {
  if (!s_) throw invalid_argument_error("the import is finished");
  auto& p = *s_->p_;
  const auto guard = p.guard();
  if (p.pg_imp)
    return p.pg_import_run("applying " + std::string(to_string(c.action)),
                           [&] { return p.do_apply(number, c).order.version; });
  p.import_rethrow();
  try {
    const std::int64_t version = p.do_apply(number, c).order.version;
    if (p.touched.size() >= p.imp->per_tx) p.import_handoff();
    return version;
  } catch (const SQLite::Exception& e) {
    throw_storage(e, p.describe_reader(e, "applying " + std::string(to_string(c.action))));
  } catch (const storage_error& e) {
    p.rethrow_named(e);
  }
}

void store::importer::finish() {
  if (!s_) throw invalid_argument_error("the import is already finished");
  auto& p = *s_->p_;
  const auto guard = p.guard();
  if (p.pg_imp) {
    struct closing {  // the import ends whether the last commit works or not
      store* s;
      std::int64_t& done;
      ~closing() {
        done = s->p_->pg_imp->committed;
        s->p_->pg_import_close();
      }
    } c{s_, done_};
    s_ = nullptr;
    c.s->p_->pg_import_finish();
    return;
  }
  std::exception_ptr err;
  try {
    if (!p.touched.empty()) p.import_handoff();
  } catch (...) {
    err = std::current_exception();
  }
  const auto writer_err = p.import_close(done_, waits_done_);
  s_ = nullptr;
  if (writer_err) std::rethrow_exception(writer_err);
  if (err) std::rethrow_exception(err);
}

std::int64_t store::importer::committed_orders() const {
  if (!s_) return done_;
  const auto guard = s_->p_->guard();
  if (s_->p_->pg_imp) return s_->p_->pg_imp->committed;
  std::lock_guard<std::mutex> l(s_->p_->imp->m);
  return s_->p_->imp->committed;
}

import_waits store::importer::waits() const {
  if (!s_) return waits_done_;
  const auto guard = s_->p_->guard();
  if (s_->p_->pg_imp) return {};  // one thread on PostgreSQL: nobody waits for another
  std::lock_guard<std::mutex> l(s_->p_->imp->m);
  return s_->p_->imp->waits;
}


}  // namespace hotline
