// bench_store_pg: the work-order store on PostgreSQL (issue 21 item 6).
//
//   bench_store_pg [--pg URI] [--pg-writers URI] [--dir DIR] [--orders N] [--batch B]
//                  [--seconds S] [--rounds R] [--no-concurrency] [--keep]
//   bench_store_pg --create-only URI
//
// 1. Ingests N orders (create, dispatch, sign for: 3 events each, as
//    bench_store_bulk.py's lives()) into the PostgreSQL database --pg (default: the
//    HOTLINE_PG environment variable) through store::begin_batch(), B orders a batch,
//    then verifies the chain and the count.
// 2. Ingests the same orders into a SQLite file in --dir through the importer (SQLite's
//    fast path, bench_store.cpp), so that
// 3. the monthly report (annex 8) can be timed on both back ends over the same orders,
//    and its tables compared cell by cell (a difference is printed and fails the run).
// 4. Concurrent writers on --pg-writers (default: --pg): 1, 2, 4, 8 threads, a store
//    each, each creating single orders (a transaction each) for S seconds: commits/s per
//    thread count (the median of R rounds), the cost of the one advisory lock that keeps
//    the chain one line.  Then the chain is verified and the order ids checked to run
//    1..n without a gap.
// The last line is JSON for bench_store_pg.py, which writes the same rows again from
// Python (psycopg2) as the peer.  --create-only opens a store at URI (creating the
// schema there) and exits: the peer's empty database gets the store's own DDL.
#include "bench_common.hpp"
#include "hotline/report.hpp"
#include "hotline/store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>
#include <variant>
#include <vector>

using namespace hotline;
namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

namespace {

using hotline::bench::best_seconds;
using hotline::bench::cpu_model;

double seconds_since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }

/// CPU time of this process (all threads, user + system), in seconds: beside the wall
/// time of the PostgreSQL ingest it shows how much of it the client itself spent.
double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

/// The district bureau and the one centre every order goes to, with its liaison
/// (bench_store_bulk.py's store_at()).
void setup_units(store& db) {
  db.put_unit({"GZ-YX", "越秀区卫生健康局", unit_kind::district, "", {{"越秀区", ""}}, {}, true});
  db.put_unit({"YX-BJJ", "越秀区北京街社区卫生服务中心", unit_kind::institution, "GZ-YX", {{"越秀区", "北京街"}}, {}, true});
  liaison l;
  l.unit = "YX-BJJ";
  l.name = "李联络";
  l.mobile = "13900002222";
  l.valid_from = parse_instant("2024-01-01T00:00:00+08:00");
  db.set_liaison(l);
}

// Every order is received in March 2025 (Beijing time), evenly spread over the month, so
// that the monthly report of 2025-03 covers all N of them whatever N is.
const instant month_start = parse_instant("2025-03-01T00:00:00+08:00");
constexpr std::int64_t month_seconds = 31 * 86400;

// A few of annex 8's complaint subjects in turn, so that table 3 of the report has more
// than one row to compare between the back ends.
const char* const subjects[] = {"medical_service", "disease_prevention", "administration", "public_health_enforcement"};

work_order complaint(long i, long n) {
  work_order o;
  o.request_type = request_type::complaint;
  o.received_at = month_start + seconds{static_cast<std::int64_t>(i) * month_seconds / std::max(n, 1L)};
  o.content = "家庭医生未按约定上门随访";
  o.caller_phone = "138" + std::to_string(10000000 + i % 90000000);
  o.district = "越秀区";
  o.sub_district = "北京街";
  o.complaint_subject = subjects[i % 4];
  return o;
}

/// Order i's life through `w` (a store or an importer): create, dispatch, sign for.
template <class W, class NumberOf>
void live(W& w, long i, long n, NumberOf&& number_of) {
  const work_order o = complaint(i, n);
  const std::string no = number_of(w.create(o, actor{"A017", role::agent, {}}));
  command c;
  c.action = action::dispatch;
  c.by = {"D02", role::dispatcher, {}};
  c.at = o.received_at + seconds{600};
  c.unit = "YX-BJJ";
  w.apply(no, c);
  c = command{};
  c.action = action::sign_for;
  c.by = {"L1", role::liaison, "YX-BJJ"};
  c.at = o.received_at + seconds{3600};
  w.apply(no, c);
}

std::string cell_text(const report_cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(c));
  return buf;
}

/// Prints every difference between the two reports' tables; the number of differences.
int compare_tables(const std::vector<report_table>& a, const std::vector<report_table>& b) {
  int diffs = 0;
  auto differ = [&](const std::string& where, const std::string& x, const std::string& y) {
    if (x == y) return;
    if (++diffs <= 20) std::printf("  DIFFERENT %s: SQLite '%s', PostgreSQL '%s'\n", where.c_str(), x.c_str(), y.c_str());
  };
  differ("number of tables", std::to_string(a.size()), std::to_string(b.size()));
  for (std::size_t t = 0; t < std::min(a.size(), b.size()); ++t) {
    const auto& x = a[t];
    const auto& y = b[t];
    const std::string at = "table " + std::to_string(t + 1);
    differ(at + " title", x.title, y.title);
    differ(at + " columns", std::to_string(x.columns.size()), std::to_string(y.columns.size()));
    for (std::size_t c = 0; c < std::min(x.columns.size(), y.columns.size()); ++c)
      differ(at + " column " + std::to_string(c), x.columns[c], y.columns[c]);
    differ(at + " rows", std::to_string(x.rows.size()), std::to_string(y.rows.size()));
    for (std::size_t r = 0; r < std::min(x.rows.size(), y.rows.size()); ++r) {
      differ(at + " row " + std::to_string(r) + " cells", std::to_string(x.rows[r].size()),
             std::to_string(y.rows[r].size()));
      for (std::size_t c = 0; c < std::min(x.rows[r].size(), y.rows[r].size()); ++c)
        differ(at + " row " + std::to_string(r) + " column " + std::to_string(c), cell_text(x.rows[r][c]),
               cell_text(y.rows[r][c]));
    }
    differ(at + " notes", std::to_string(x.notes.size()), std::to_string(y.notes.size()));
    for (std::size_t k = 0; k < std::min(x.notes.size(), y.notes.size()); ++k)
      differ(at + " note " + std::to_string(k), x.notes[k], y.notes[k]);
  }
  return diffs;
}

struct writers_run {
  int threads = 0;
  long commits = 0, fewest = 0, most = 0;  ///< in all, and the least and most busy thread's
  double seconds = 0;
};

/// `threads` writers, a store each on `uri`, creating one order per transaction until
/// `duration` has passed.  The stores are opened (connected) before the clock starts.
writers_run run_writers(const std::string& uri, int threads, double duration, std::string& error) {
  std::vector<std::unique_ptr<store>> stores;
  for (int t = 0; t < threads; ++t) stores.push_back(std::make_unique<store>(uri));
  std::vector<long> done(static_cast<std::size_t>(threads), 0);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false}, failed{false};
  std::string first_error;
  std::mutex error_mutex;
  std::vector<std::thread> pool;
  clk::time_point start;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      const auto deadline = start + std::chrono::duration_cast<clk::duration>(std::chrono::duration<double>(duration));
      try {
        while (clk::now() < deadline && !failed.load()) {
          work_order o = complaint(t, 1);
          o.received_at = month_start + seconds{86400 * 40};  // April: outside the report's month
          stores[static_cast<std::size_t>(t)]->create(o, actor{"A0" + std::to_string(t), role::agent, {}});
          ++done[static_cast<std::size_t>(t)];
        }
      } catch (const std::exception& e) {
        failed = true;
        const std::lock_guard g(error_mutex);
        if (first_error.empty()) first_error = e.what();
      }
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  start = clk::now();
  go = true;
  for (auto& th : pool) th.join();
  writers_run r;
  r.threads = threads;
  r.seconds = seconds_since(start);
  for (const long d : done) r.commits += d;
  r.fewest = *std::min_element(done.begin(), done.end());
  r.most = *std::max_element(done.begin(), done.end());
  error = first_error;
  return r;
}

/// The median commits/s of the runs with `threads` writers (0 when there are none).
double median_rate(const std::vector<writers_run>& runs, int threads) {
  std::vector<double> rates;
  for (const auto& r : runs)
    if (r.threads == threads) rates.push_back(static_cast<double>(r.commits) / r.seconds);
  if (rates.empty()) return 0;
  std::sort(rates.begin(), rates.end());
  const std::size_t m = rates.size() / 2;
  return rates.size() % 2 ? rates[m] : (rates[m - 1] + rates[m]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  long n_orders = 1000000, batch_size = 10000;
  double writer_seconds = 3.0;
  int rounds = 3;
  std::string pg_uri, writers_uri;
  fs::path dir;
  bool concurrency = true, keep = false;
  if (const char* env = std::getenv("HOTLINE_PG")) pg_uri = env;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--create-only" && i + 1 < argc) {
      // The peer's empty database: the store creates its schema on opening.
      store created{fs::path(argv[++i])};
      return created.schema_version() == store::latest_schema_version() ? 0 : 1;
    }
    if (a == "--pg" && i + 1 < argc) pg_uri = argv[++i];
    else if (a == "--pg-writers" && i + 1 < argc) writers_uri = argv[++i];
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--orders" && i + 1 < argc) n_orders = std::stol(argv[++i]);
    else if (a == "--batch" && i + 1 < argc) batch_size = std::stol(argv[++i]);
    else if (a == "--seconds" && i + 1 < argc) writer_seconds = std::stod(argv[++i]);
    else if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::stoi(argv[++i]));
    else if (a == "--no-concurrency") concurrency = false;
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--pg URI] [--pg-writers URI] [--dir DIR] [--orders N] [--batch B] [--seconds S] "
                   "[--rounds R] [--no-concurrency] [--keep]\n       %s --create-only URI\n",
                   argv[0], argv[0]);
      return 2;
    }
  }
  if (pg_uri.empty()) {
    std::fprintf(stderr, "%s: no database: give --pg URI or set HOTLINE_PG (tests/pg/throwaway_cluster.sh sets it)\n",
                 argv[0]);
    return 2;
  }
  if (writers_uri.empty()) writers_uri = pg_uri;
  if (n_orders < 1 || batch_size < 1) {
    std::fprintf(stderr, "%s: --orders and --batch must be at least 1\n", argv[0]);
    return 2;
  }
  if (dir.empty()) dir = fs::temp_directory_path() / ("hotline-bench-store-pg-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path sqlite_file = dir / "bench.db";

  std::string cmdline;
  for (int i = 0; i < argc; ++i) cmdline.append(i ? " " : "").append(argv[i]);
  std::printf("command: %s\n", cmdline.c_str());
  std::printf("machine: nproc=%u, cpu=%s\n", std::thread::hardware_concurrency(), cpu_model().c_str());
  std::fflush(stdout);

  const long events = 3 * n_orders;
  const auto number_of = [](const work_order& o) { return o.number; };

  // ---- 1. PostgreSQL: batches ---------------------------------------------------------
  store pg(fs::path{pg_uri});
  std::printf("PostgreSQL: %s\n", pg.path().string().c_str());
  if (pg.count(order_query{}) != 0) {
    std::fprintf(stderr, "%s: the database already holds orders: give a fresh one (createdb)\n", argv[0]);
    return 2;
  }
  setup_units(pg);
  double pg_commit_s = 0;
  const double pg_cpu0 = process_cpu_s();
  const auto t_pg = clk::now();
  for (long b0 = 0; b0 < n_orders; b0 += batch_size) {
    auto batch = pg.begin_batch();
    const long b1 = std::min(n_orders, b0 + batch_size);
    for (long i = b0; i < b1; ++i) live(pg, i, n_orders, number_of);
    // The commit's share: the rows encoded and hashed, COPY, the counts' upsert, COMMIT.
    const auto tc = clk::now();
    batch.commit();
    pg_commit_s += seconds_since(tc);
  }
  const double pg_ingest_s = seconds_since(t_pg);
  const double pg_cpu_s = process_cpu_s() - pg_cpu0;
  std::printf("PostgreSQL ingest: %ld orders, %ld events in %.2f s: %.0f orders/s, %.0f events/s\n", n_orders, events,
              pg_ingest_s, n_orders / pg_ingest_s, events / pg_ingest_s);
  std::fflush(stdout);
  const auto t_verify = clk::now();
  const chain_report pg_chain = pg.verify();
  const double pg_verify_s = seconds_since(t_verify);
  const auto pg_count = static_cast<long>(pg.count(order_query{}));
  const bool pg_ok = pg_chain.ok && pg_count == n_orders && pg_chain.events_checked == events;
  std::printf("PostgreSQL verify: chain %s, %lld events, %ld orders (%.2f s)\n", pg_chain.ok ? "ok" : "BROKEN",
              static_cast<long long>(pg_chain.events_checked), pg_count, pg_verify_s);
  // What one look-up of a number costs through the store's own connection: a batch on
  // PostgreSQL sends one for every order it creates (a new number is checked against the
  // file, store_commands.cpp's generate_number), and waits for it.  store::get of a number
  // that is not there is the same round trip (a probe of the number index that misses).
  const int probes = 20000;
  const auto t_probe = clk::now();
  for (int k = 0; k < probes; ++k) (void)pg.get("20250301-9" + std::to_string(1000000 + k));
  const double lookup_us = seconds_since(t_probe) * 1e6 / probes;
  std::printf("PostgreSQL: one number look-up through the store (get of a missing number, %d times): %.1f us\n",
              probes, lookup_us);
  std::fflush(stdout);

  // ---- 2. SQLite: the importer, the same orders -----------------------------------------
  ::sync();  // the server's writes of phase 1 are not SQLite's to wait for
  store lite(sqlite_file);
  setup_units(lite);
  const auto t_lite = clk::now();
  {
    auto imp = lite.begin_import(static_cast<std::size_t>(batch_size));
    for (long i = 0; i < n_orders; ++i) live(imp, i, n_orders, [](std::string no) { return no; });
    imp.finish();
  }
  const double lite_ingest_s = seconds_since(t_lite);
  const bool lite_ok = static_cast<long>(lite.count(order_query{})) == n_orders;
  std::printf("SQLite ingest (importer): %.2f s: %.0f orders/s\n", lite_ingest_s, n_orders / lite_ingest_s);
  std::fflush(stdout);

  // ---- 3. The monthly report on both -------------------------------------------------
  const auto period = reporting_period::month(2025, 3);
  monthly_statistics_result lite_report, pg_report;
  const double lite_report_s = best_seconds(5, [&] { lite_report = monthly_statistics(lite, period); });
  const double pg_report_s = best_seconds(5, [&] { pg_report = monthly_statistics(pg, period); });
  std::printf("monthly report %s: SQLite %.4f s, PostgreSQL %.4f s (best of 5); %lld orders counted\n",
              period.label.c_str(), lite_report_s, pg_report_s, static_cast<long long>(pg_report.total));
  const int report_diffs = compare_tables(lite_report.tables(), pg_report.tables());
  const bool report_ok = report_diffs == 0 && lite_report.total == n_orders;
  std::printf("  tables equal cell by cell: %s\n", report_diffs == 0 ? "yes" : "NO");
  std::fflush(stdout);

  // ---- 4. Concurrent writers -----------------------------------------------------------
  // Each thread count runs `rounds` times, the counts interleaved (1, 2, 4, 8, 1, 2, ...),
  // and the median rate is the figure: a 3-second run on a shared two-core machine is at
  // the mercy of a background checkpoint or another process, a round of all four less so.
  std::vector<writers_run> runs;
  bool writers_ok = true;
  double writers_verify_s = 0;
  if (concurrency) {
    long already = 0;
    {
      store w(fs::path{writers_uri});
      if (writers_uri != pg_uri) setup_units(w);
      already = static_cast<long>(w.count(order_query{}));
    }
    ::sync();  // the ingests' dirty pages written back now, not during the first run
    std::printf("\nconcurrent writers on %s, a store each, one order per transaction, %.0f s a run, %d rounds:\n",
                writers_uri == pg_uri ? "the same database" : "a database of their own", writer_seconds, rounds);
    std::printf("%6s %8s %10s %10s %12s %14s %16s\n", "round", "threads", "commits", "seconds", "commits/s",
                "ms per commit", "fewest..most");
    for (int round = 1; round <= rounds; ++round) {
      for (const int threads : {1, 2, 4, 8}) {
        std::string error;
        const auto r = run_writers(writers_uri, threads, writer_seconds, error);
        runs.push_back(r);
        std::printf("%6d %8d %10ld %10.2f %12.0f %14.2f %8ld..%ld\n", round, threads, r.commits, r.seconds,
                    r.commits / r.seconds, r.seconds * threads * 1e3 / std::max(r.commits, 1L), r.fewest, r.most);
        std::fflush(stdout);
        if (!error.empty()) {
          std::printf("  a writer failed: %s\n", error.c_str());
          writers_ok = false;
        }
      }
    }
    // The chain stayed one line and the ids left no gap: what the advisory lock is for.
    store w(fs::path{writers_uri});
    const auto tv = clk::now();
    const chain_report rep = w.verify();
    writers_verify_s = seconds_since(tv);
    long commits = already;
    for (const auto& r : runs) commits += r.commits;
    std::vector<std::int64_t> ids;
    for (const auto& o : w.orders(order_query{})) ids.push_back(std::stoll(o.number.substr(9)));
    std::sort(ids.begin(), ids.end());
    bool contiguous = static_cast<long>(ids.size()) == commits;
    for (std::size_t k = 0; contiguous && k < ids.size(); ++k) contiguous = ids[k] == static_cast<std::int64_t>(k + 1);
    writers_ok = writers_ok && rep.ok && contiguous;
    std::printf("  afterwards: chain %s (%lld events, %.2f s), %zu orders, ids 1..n without a gap: %s\n",
                rep.ok ? "ok" : "BROKEN", static_cast<long long>(rep.events_checked), writers_verify_s, ids.size(),
                contiguous ? "yes" : "NO");
    if (!rep.ok) std::printf("  chain: first broken %lld: %s\n", static_cast<long long>(rep.first_broken.value_or(0)),
                             rep.reason.c_str());
  }

  const bool ok = pg_ok && lite_ok && report_ok && writers_ok;
  std::printf("\n%-56s %14s\n", "measure", "value");
  std::printf("%-56s %14ld\n", "orders (create, dispatch, sign for)", n_orders);
  std::printf("%-56s %14ld\n", "events", events);
  std::printf("%-56s %14ld\n", "orders per batch (transaction)", batch_size);
  std::printf("%-56s %14.2f\n", "PostgreSQL ingest s, store::batch (one thread)", pg_ingest_s);
  std::printf("%-56s %14.0f\n", "  orders with their events per second", n_orders / pg_ingest_s);
  std::printf("%-56s %14.0f\n", "  events per second", events / pg_ingest_s);
  std::printf("%-56s %14.2f\n", "  of which in batch.commit() s (encode, COPY, COMMIT)", pg_commit_s);
  std::printf("%-56s %14.2f\n", "  of which in create/apply s (state machine, look-ups)", pg_ingest_s - pg_commit_s);
  std::printf("%-56s %14.2f\n", "  client CPU s (this process)", pg_cpu_s);
  std::printf("%-56s %14.2f\n", "  verify s", pg_verify_s);
  std::printf("%-56s %14.1f\n", "  one number look-up (a round trip) us", lookup_us);
  std::printf("%-56s %14s\n", "  chain ok and count == N", pg_ok ? "yes" : "NO");
  std::printf("%-56s %14.2f\n", "SQLite ingest s, store::importer (two threads)", lite_ingest_s);
  std::printf("%-56s %14.0f\n", "  orders with their events per second", n_orders / lite_ingest_s);
  std::printf("%-56s %14.4f\n", "monthly report s, SQLite", lite_report_s);
  std::printf("%-56s %14.4f\n", "monthly report s, PostgreSQL", pg_report_s);
  std::printf("%-56s %14s\n", "  tables equal", report_diffs == 0 ? "yes" : "NO");
  if (!runs.empty())
    for (const int threads : {1, 2, 4, 8})
      std::printf("%-56s %14.0f\n", ("concurrent writers: " + std::to_string(threads) + ", median commits/s").c_str(),
                  median_rate(runs, threads));

  std::string conc = "[";
  for (const auto& r : runs) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s{\"threads\":%d,\"commits\":%ld,\"seconds\":%.3f,\"fewest\":%ld,\"most\":%ld}",
                  conc.size() > 1 ? "," : "", r.threads, r.commits, r.seconds, r.fewest, r.most);
    conc += buf;
  }
  conc += "]";
  std::printf(
      "JSON {\"orders\":%ld,\"events\":%ld,\"batch\":%ld,\"pg_ingest_s\":%.3f,\"pg_commit_s\":%.3f,\"pg_cpu_s\":%.3f,"
      "\"pg_verify_s\":%.3f,\"lookup_us\":%.2f,\"lookup_probes\":%d,\"sqlite_ingest_s\":%.3f,\"report_sqlite_s\":%.5f,\"report_pg_s\":%.5f,"
      "\"report_equal\":%s,\"writers\":%s,\"writers_verify_s\":%.3f,\"ok\":%s,\"pg\":%s,\"pg_writers\":%s,"
      "\"sqlite_file\":%s}\n",
      n_orders, events, batch_size, pg_ingest_s, pg_commit_s, pg_cpu_s, pg_verify_s, lookup_us, probes, lite_ingest_s, lite_report_s,
      pg_report_s, report_diffs == 0 ? "true" : "false", conc.c_str(), writers_verify_s, ok ? "true" : "false",
      json_string(pg_uri).c_str(), json_string(writers_uri).c_str(), json_string(sqlite_file.string()).c_str());
  if (!keep) fs::remove_all(dir);
  return ok ? 0 : 1;
}
