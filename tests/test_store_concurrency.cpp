// Threads and processes sharing a store: threads taking turns, a batch bound to its thread,
// SQLite's per-process settings, a writer or an importer killed with SIGKILL, and two
// processes writing one file (these re-run this executable as the child writer).
#include "hotline/store.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

#include "../src/store_access.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace hotline;
using namespace hotline::test::store_cases;
namespace fs = std::filesystem;

namespace {

// The multi-process cases re-run this executable as the child writer:
//   test_store_concurrency -tc="store child process"   with HOTLINE_STORE_CHILD=<mode>|<store location>[|<arg>]

/// Starts this executable as a child writer; returns its pid and the read end of its stdout.
pid_t spawn_child(const std::string& spec, int* out_fd) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) env_s.emplace_back(*e);
  env_s.push_back("HOTLINE_STORE_CHILD=" + spec);
  std::vector<char*> envp;
  for (auto& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = fs::read_symlink("/proc/self/exe").string();
  std::string a1 = "--test-case=store child process", a2 = "--no-intro", a3 = "--no-version";
  char* argv[] = {exe.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  REQUIRE(rc == 0);
  *out_fd = fds[0];
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("threads sharing one store: calls take turns, nothing is lost, on_urgent runs outside the store's lock") {
  // A hospital system's worker threads (or Python threads, which release the GIL) may
  // share one store object.  Each call runs whole before the next; the urgent hook may
  // call the store again, from its own thread, without deadlocking.
  const auto dir = fresh_dir("threads");
  store db(test::location(dir));
  seed_units(db);
  std::atomic<int> urgent_seen{0}, urgent_read_back{0};
  db.on_urgent([&](const work_order& o) {
    ++urgent_seen;
    if (db.get(o.number)) ++urgent_read_back;  // re-entering the store from the hook
  });
  constexpr int n_threads = 4, per_thread = 60;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> numbers(n_threads);
  std::atomic<int> failures{0};
  for (int t = 0; t < n_threads; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < per_thread; ++i) {
          auto w = intake();
          w.received_at += seconds{60 * (t * per_thread + i)};
          if (i % 10 == 0) w.urgency = urgency::urgent;
          const auto o = db.create(w, agent);
          numbers[t].push_back(o.number);
          auto c = cmd(action::dispatch, dispatcher, "2025-03-04T10:00:00+08:00");
          c.unit = "YX-BJJ";
          CHECK(db.apply(o.number, c).version == 2);
          CHECK(db.get(o.number)->state == order_state::dispatched);
          (void)db.count(order_query{}.in_unit("YX-BJJ"));
        }
      } catch (...) {
        ++failures;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  std::set<std::string> all;
  for (const auto& v : numbers) all.insert(v.begin(), v.end());
  CHECK(all.size() == std::size_t(n_threads * per_thread));  // every number distinct
  CHECK(db.count(order_query{}) == std::size_t(n_threads * per_thread));
  CHECK(db.count(order_query{}.with_state(order_state::dispatched)) == std::size_t(n_threads * per_thread));
  CHECK(urgent_seen == n_threads * per_thread / 10);
  CHECK(urgent_read_back == urgent_seen);
  const auto rep = db.verify();
  CHECK(rep.ok);
  CHECK(rep.events_checked == std::size_t(2 * n_threads * per_thread));
}

TEST_CASE("a batch belongs to the thread that opened it: another thread's call is refused, not folded in") {
  const auto dir = fresh_dir("batch-thread");
  store db(test::location(dir));
  seed_units(db);
  auto b = db.begin_batch();
  const auto mine = db.create(intake(), agent);
  std::string other_error;
  std::thread([&] {
    try {
      db.create(intake(), agent);
    } catch (const invalid_argument_error& e) {
      other_error = e.what();
    }
  }).join();
  CHECK(other_error.find("another thread has a batch open") != std::string::npos);
  b.commit();
  CHECK(db.count(order_query{}) == 1);
  CHECK(db.get(mine.number));
  std::thread([&] { CHECK(db.create(intake(), agent).version == 1); }).join();  // after the commit: fine
  CHECK(db.count(order_query{}) == 2);
}

// ---- the child writer (runs only when HOTLINE_STORE_CHILD is set) -------------

TEST_CASE("store child process") {
  const char* spec_c = std::getenv("HOTLINE_STORE_CHILD");
  if (!spec_c) return;  // a normal run: nothing to do
  const std::string spec = spec_c;
  const auto c1 = spec.find('|');
  const auto c2 = spec.find('|', c1 + 1);
  const std::string mode = spec.substr(0, c1);
  const std::string file = spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
  const std::string arg = c2 == std::string::npos ? "" : spec.substr(c2 + 1);
  if (mode == "host-initialised") REQUIRE(sqlite3_initialize() == SQLITE_OK);  // as a host that wants the statistics
  store db(file);
  if (mode == "memory-statistics" || mode == "host-initialised") {
    // Some work through SQLite, then what its statistics say.
    full_life(db);
    std::printf("%lld\n", static_cast<long long>(sqlite3_memory_used()));
    return;
  }
  if (mode == "stream") {
    // Create and move orders for ever, reporting each committed order on stdout.
    for (long i = 0;; ++i) {
      auto wo = db.create(intake(), agent);
      auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
      d.unit = "YX-BJJ";
      db.apply(wo.number, d);
      std::printf("%s\n", wo.number.c_str());
      std::fflush(stdout);
    }
  }
  if (mode == "import") {
    // The same stream through an importer; an order is reported once its transaction
    // has committed (transactions take orders in the order they were created).
    auto imp = db.begin_import(7);
    std::vector<std::string> made;
    std::size_t reported = 0;
    for (long i = 0;; ++i) {
      made.push_back(imp.create(intake(), agent));
      auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
      d.unit = "YX-BJJ";
      imp.apply(made.back(), d);
      for (const auto n = static_cast<std::size_t>(imp.committed_orders()); reported < n; ++reported)
        std::printf("%s\n", made[reported].c_str());
      std::fflush(stdout);
    }
  }
  if (mode == "amend") {
    // Appends its marker to each order's content, read-modify-write with the
    // expected version, retrying on conflict: no append may be lost.
    const auto numbers = db.orders(order_query{});
    int conflicts = 0;
    for (int i = 0; i < 60; ++i) {
      const auto& number = numbers[static_cast<std::size_t>(i) % numbers.size()].number;
      for (;;) {
        const auto cur = *db.get(number, true);
        auto a = cmd(action::amend, agent, "2025-03-03T10:30:00+08:00");
        a.amendments = {{"content", cur.content + arg + std::to_string(i) + ";"}};
        a.expected_version = cur.version;
        try {
          db.apply(number, a);
          break;
        } catch (const conflict_error&) {
          ++conflicts;
        }
      }
    }
    std::printf("conflicts %d\n", conflicts);
  }
}

TEST_CASE("a store's connections: no SQLite mutex per call, no memory statistics unless the host initialised SQLite") {
  if (test::on_pg()) return;  // SQLite's connections
  const auto dir = fresh_dir("connections");
  const auto file = (dir / "h.db").string();
  {
    store db(file);
    seed_units(db);
    // Multi-thread mode: the store serialises its calls itself (store_connection.hpp).
    detail::store_access::read(db, "test", [](SQLite::Database& d) { CHECK(sqlite3_db_mutex(d.getHandle()) == nullptr); });
  }
  // Each in a process of its own: SQLite's configuration is the process's.
  auto memory_used = [&](const std::string& mode) {
    int fd = -1;
    const pid_t pid = spawn_child(mode + "|" + file, &fd);
    FILE* in = ::fdopen(fd, "r");
    long long used = -1;
    CHECK(std::fscanf(in, "%lld", &used) == 1);
    std::fclose(in);
    CHECK(wait_exit(pid) == 0);
    return used;
  };
  CHECK(memory_used("memory-statistics") == 0);  // turned off by the first store of the process
  CHECK(memory_used("host-initialised") > 0);    // SQLite refused the change: the host keeps them
}

namespace {
/// A child writes orders for ever (`mode` stream: single calls; import: an importer)
/// and is killed with SIGKILL once it has reported 300 committed orders; the file is
/// then checked as a hospital system would reopen it.
void killed_writer(const std::string& mode) {
  const auto dir = fresh_dir("sigkill-" + mode);
  const auto file = test::location(dir);
  {
    store db(file);
    seed_units(db);
  }
  int fd = -1;
  const pid_t pid = spawn_child(mode + "|" + file, &fd);
  std::vector<std::string> committed;
  {
    FILE* in = ::fdopen(fd, "r");
    char line[128];
    while (committed.size() < 300 && std::fgets(line, sizeof line, in)) {
      std::string s(line);
      s.pop_back();
      committed.push_back(s);
    }
    ::kill(pid, SIGKILL);
    std::fclose(in);
  }
  CHECK(wait_exit(pid) == 128 + SIGKILL);
  REQUIRE(committed.size() == 300);

  store db(file);
  const auto rep = db.verify();
  CHECK(rep.ok);
  for (const auto& n : committed) {
    const auto o = db.get(n);
    REQUIRE(o);
    CHECK(o->state == order_state::dispatched);
  }
  // Nothing half-written: every order has exactly its events, versions agree.
  for (const auto& o : db.orders(order_query{})) {
    const auto evs = db.events(o.number);
    CHECK(static_cast<std::int64_t>(evs.size()) == o.version);
  }
  CHECK(db.count(order_query{}) >= committed.size());
  const auto before = db.orders(order_query{}.revealed());
  db.rebuild_projection();
  CHECK(db.orders(order_query{}.revealed()) == before);
}
}  // namespace

TEST_CASE("a writer killed with SIGKILL mid-stream: every committed order is there, the chain verifies") {
  killed_writer("stream");
}

TEST_CASE("an importer killed with SIGKILL: every committed transaction is there whole, the chain verifies") {
  killed_writer("import");
}

TEST_CASE("two processes writing one file: no lost update, no 'database is locked'") {
  const auto dir = fresh_dir("two");
  const auto file = test::location(dir);
  {
    store db(file);
    seed_units(db);
    for (int i = 0; i < 4; ++i) db.create(intake(), agent);
  }
  int fa = -1, fb = -1;
  const pid_t a = spawn_child("amend|" + file + "|a", &fa);
  const pid_t b = spawn_child("amend|" + file + "|b", &fb);
  std::string out_a, out_b;
  char buf[256];
  for (ssize_t n; (n = ::read(fa, buf, sizeof buf)) > 0;) out_a.append(buf, static_cast<std::size_t>(n));
  for (ssize_t n; (n = ::read(fb, buf, sizeof buf)) > 0;) out_b.append(buf, static_cast<std::size_t>(n));
  ::close(fa);
  ::close(fb);
  CHECK(wait_exit(a) == 0);  // a storage_error ("database is locked") would fail the child
  CHECK(wait_exit(b) == 0);
  INFO(out_a, out_b);
  store db(file);
  std::size_t markers = 0;
  for (const auto& o : db.orders(order_query{}.revealed())) {
    for (char ch : o.content) markers += ch == ';';
    CHECK(db.events(o.number).size() == static_cast<std::size_t>(o.version));
  }
  CHECK(markers == 120);  // 60 appends from each process, none lost
  CHECK(db.verify().ok);
}
