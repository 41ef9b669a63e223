// Faults under the stores (issue 22 item 3): a full file system, a read-only file,
// flipped bytes, a file or a WAL of a newer schema.  For each fault: the error is of
// the right kind and names the file; the write that met it left nothing half done (the
// orders, the events, the chain and what the store itself says agree with a store
// opened afresh on the file); once the fault is gone the same store, or a reopened
// one, writes again and verify() passes.  The work-order store (hotline::store) first,
// then the signing store (hotline::signing::signing_store).
//
// Full and read-only file systems are small tmpfs mounts that the test makes itself, in
// a mount namespace of the process's own (unshare(CLONE_NEWNS) as root; a user
// namespace too when not root), so that nothing it mounts is seen outside or outlives
// the process, however it ends; each mount is also undone by its guard.  Where neither
// namespace can be had (not root and no user namespaces, or threads already running),
// those cases say so in a MESSAGE and skip.  Root ignores permission bits (chmod 0444
// stops nothing), so a read-only file here is a read-only mount or an immutable file.
#include "hotline/signing/store.hpp"
#include "hotline/store.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

using test::fresh_dir;
using test::intake;
using test::seed_units;

const actor agent{"A017", role::agent, {}};
const actor dispatcher{"D02", role::dispatcher, {}};

/// D02 dispatches to YX-BJJ at 11:00 on 3 March 2025.
command dispatch_to_bjj() {
  command c;
  c.action = action::dispatch;
  c.by = dispatcher;
  c.at = parse_instant("2025-03-03T11:00:00+08:00");
  c.unit = "YX-BJJ";
  return c;
}

store_options read_only() {
  store_options o;
  o.read_only = true;
  return o;
}

// ---- files --------------------------------------------------------------------------

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

fs::path wal_of(const fs::path& db) { return fs::path(db.string() + "-wal"); }

using hotline::test::thrown;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A storage_error (and no other kind) whose message names `file`.
void check_storage_error(const std::string& message, const fs::path& file) {
  INFO("message: " << message);
  CHECK(message != "no error");
  CHECK_FALSE(has(message, "other: "));
  CHECK(has(message, file.string()));
}

// ---- mounts ---------------------------------------------------------------------------

bool write_proc(const char* file, const std::string& text) {
  const int fd = ::open(file, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

std::string errno_text() { return std::strerror(errno); }

/// Puts this process into a mount namespace of its own with private propagation (and,
/// when not root, a user namespace in which it is root).  "" on success, else why not.
std::string enter_mount_namespace() {
  std::string why;
  if (::geteuid() == 0) {
    if (::unshare(CLONE_NEWNS) == 0) {
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return "making / private in a new mount namespace: " + errno_text();
      return {};
    }
    why = "unshare(CLONE_NEWNS) as root: " + errno_text() + "; ";
  }
  const auto uid = ::geteuid();
  const auto gid = ::getegid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
    return why + "unshare(CLONE_NEWUSER | CLONE_NEWNS): " + errno_text() +
           " (no user namespaces here, or the process already runs threads, as under TSan)";
  if (!write_proc("/proc/self/setgroups", "deny") ||
      !write_proc("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n") ||
      !write_proc("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n"))
    return why + "mapping the user namespace's root: " + errno_text();
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return why + "making / private in a new mount namespace: " + errno_text();
  return {};
}

/// Why this process cannot mount a tmpfs ("" when it can), decided once.
const std::string& mounts_unavailable() {
  static const std::string why = [] {
    std::string w = enter_mount_namespace();
    if (!w.empty()) return w;
    const auto probe = fresh_dir("faults-probe");
    if (::mount("hotline-faults", probe.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") != 0)
      return "mount -t tmpfs: " + errno_text();
    ::umount2(probe.c_str(), MNT_DETACH);
    return std::string();
  }();
  return why;
}

#define SKIP_WITHOUT_MOUNTS()                                                                        \
  if (!mounts_unavailable().empty()) {                                                               \
    MESSAGE("skipped: this case needs a tmpfs of its own, and: " << mounts_unavailable());           \
    return;                                                                                          \
  }

/// A tmpfs of `bytes` on `dir`, unmounted when the guard goes (also when a check fails).
class tmpfs_mount {
 public:
  tmpfs_mount(fs::path dir, std::size_t bytes) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    const std::string opts = "size=" + std::to_string(bytes) + ",mode=0755";
    if (::mount("hotline-faults", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) != 0)
      throw std::runtime_error("mount -t tmpfs on " + dir_.string() + ": " + errno_text());
  }
  tmpfs_mount(const tmpfs_mount&) = delete;
  tmpfs_mount& operator=(const tmpfs_mount&) = delete;
  ~tmpfs_mount() { ::umount2(dir_.c_str(), MNT_DETACH); }
  [[nodiscard]] const fs::path& path() const { return dir_; }
  /// mount -o remount,ro (or rw).  False when the kernel refuses: a file open for
  /// writing keeps a file system from going read-only (EBUSY).
  bool set_read_only(bool ro) {
    return ::mount(nullptr, dir_.c_str(), nullptr, MS_REMOUNT | MS_NOSUID | MS_NODEV | (ro ? MS_RDONLY : 0), nullptr) ==
           0;
  }

 private:
  fs::path dir_;
};

/// `from` mounted again on `to` (read-only when asked), unmounted when the guard goes.
class bind_mount {
 public:
  bind_mount(const fs::path& from, fs::path to, bool read_only) : dir_(std::move(to)) {
    fs::create_directories(dir_);
    if (::mount(from.c_str(), dir_.c_str(), nullptr, MS_BIND, nullptr) != 0)
      throw std::runtime_error("mount --bind " + from.string() + " " + dir_.string() + ": " + errno_text());
    if (read_only && !set_read_only(true)) {
      const auto why = errno_text();
      ::umount2(dir_.c_str(), MNT_DETACH);
      throw std::runtime_error("mount -o remount,bind,ro " + dir_.string() + ": " + why);
    }
  }
  bind_mount(const bind_mount&) = delete;
  bind_mount& operator=(const bind_mount&) = delete;
  ~bind_mount() { ::umount2(dir_.c_str(), MNT_DETACH); }
  [[nodiscard]] const fs::path& path() const { return dir_; }
  bool set_read_only(bool ro) {
    return ::mount(nullptr, dir_.c_str(), nullptr,
                   MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (ro ? MS_RDONLY : 0), nullptr) == 0;
  }

 private:
  fs::path dir_;
};

/// Takes every free block of the file system that holds `file` (a file written until
/// ENOSPC); release() gives them back.
class filler {
 public:
  explicit filler(fs::path file) : file_(std::move(file)) {
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("creating " + file_.string() + ": " + errno_text());
    const std::vector<char> block(64 * 1024, 'x');
    for (;;) {
      const auto n = ::write(fd, block.data(), block.size());
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      break;  // ENOSPC: full (a short write came first)
    }
    ::close(fd);
  }
  filler(const filler&) = delete;
  filler& operator=(const filler&) = delete;
  ~filler() { release(); }
  void release() {
    std::error_code ec;
    fs::remove(file_, ec);
  }

 private:
  fs::path file_;
};

/// chattr +i / -i.  False when the file system or the process cannot (no
/// CAP_LINUX_IMMUTABLE: a user namespace; a kernel whose tmpfs has no such flag).
bool set_immutable(const fs::path& file, bool on) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int flags = 0;
  bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (ok) {
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  }
  ::close(fd);
  return ok;
}

/// Clears the immutable flag when it goes.
struct immutable_guard {
  fs::path file;
  ~immutable_guard() { (void)set_immutable(file, false); }
};

// ---- the work-order store -------------------------------------------------------------

/// A complaint with a long text: a few of them fill a WAL page or two.
work_order long_intake(int i) {
  auto w = intake();
  w.content.clear();
  for (int k = 0; k < 120; ++k) w.content += "家庭医生未按约定上门随访，居民多次来电反映。";
  w.content += " #" + std::to_string(i);
  return w;
}

/// A fixed key: the fault cases sign their heads too, so that a signed head never
/// outruns the events it signs.
const signing_key& key() {
  static const signing_key k = [] {
    std::array<std::uint8_t, 32> seed;
    seed.fill(22);
    return signing_key_from_seed(seed);
  }();
  return k;
}

store_options signed_options() {
  store_options o;
  o.signer = head_signer::from_key(key());
  return o;
}

/// What a store says of its file: compared between the store that met a fault and one
/// opened afresh on the file.
struct snapshot {
  std::size_t orders = 0;
  std::int64_t events = 0;
  std::string head;  ///< the last event's hash, as bytes
  std::vector<std::pair<std::string, std::int64_t>> versions;
  std::map<std::string, std::int64_t> totals;  ///< the report totals (order_counts) by state and unit
  std::int64_t signed_through = 0;
  bool chain_ok = false;
  bool operator==(const snapshot&) const = default;
};

doctest::String to_string_of(const snapshot& s) {
  return (std::to_string(s.orders) + " orders, " + std::to_string(s.events) + " events, signed through " +
          std::to_string(s.signed_through) + (s.chain_ok ? ", chain ok" : ", chain broken"))
      .c_str();
}

snapshot snap(const store& db, bool signed_heads = false) {
  snapshot s;
  s.orders = db.count(order_query{});
  const auto h = db.head();
  s.events = h.event_count;
  s.head.assign(reinterpret_cast<const char*>(h.head_hash.data()), h.head_hash.size());
  for (const auto& o : db.orders(order_query{}.revealed())) s.versions.emplace_back(o.number, o.version);
  facts_query q;
  q.from = parse_instant("2025-01-01T00:00:00+08:00");
  q.to = parse_instant("2026-01-01T00:00:00+08:00");
  q.with_clocks = false;
  std::int64_t counted = 0;
  db.count_facts(q, [&](const order_facts& f, std::int64_t n) {
    s.totals[std::string(to_string(f.state)) + " " + std::string(f.unit)] += n;
    counted += n;
  });
  CHECK(counted == static_cast<std::int64_t>(s.orders));  // the totals agree with the orders
  const auto r = signed_heads ? db.verify(key().public_key) : db.verify();
  s.chain_ok = r.ok && r.events_checked == s.events;
  s.signed_through = r.signed_through;
  return s;
}

snapshot snap_reopened(const fs::path& file, bool signed_heads = false) {
  const store db(file);
  return snap(db, signed_heads);
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<snapshot> {
  static String convert(const snapshot& s) { return to_string_of(s); }
};
}  // namespace doctest

namespace {

constexpr std::size_t disk_bytes = 8u << 20;  // 8 MiB: the schema at 16 KiB pages and room to spare

}  // namespace

// ======================================================================================
// The work-order store

TEST_CASE("store faults: a full file system refuses the write whole, naming the file; freed space lets the same store write again") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-full");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  store db(file, signed_options());
  seed_units(db);
  for (int i = 0; i < 3; ++i) db.create(long_intake(i), agent);
  const auto before = snap(db, true);
  REQUIRE(before.chain_ok);
  REQUIRE(before.signed_through == before.events);
  filler space(disk.path() / "filler");

  SUBCASE("single calls") {
    std::string err = "no error";
    std::int64_t made = 0;
    for (; made < 200; ++made) {
      err = thrown<storage_error>([&] { db.create(long_intake(100 + static_cast<int>(made)), agent); });
      if (err != "no error") break;
    }
    REQUIRE_MESSAGE(err != "no error", "the file system never filled up");
    check_storage_error(err, file);
    CHECK(has(err, "full"));
    const auto after = snap(db, true);
    CHECK(after.orders == before.orders + static_cast<std::size_t>(made));
    CHECK(after.events == before.events + made);
    CHECK(after.chain_ok);
    CHECK(after.signed_through == after.events);  // no head signed for events the file lacks
    CHECK(after == snap_reopened(file, true));
    // A dispatch meets the full disk too, and leaves the order as it was.
    const auto number = db.orders(order_query{}.at_most(1)).at(0).number;
    auto d = dispatch_to_bjj();
    d.comment = std::string(3000, 'c');
    check_storage_error(thrown<storage_error>([&] { db.apply(number, d); }), file);
    CHECK(db.get(number)->version == 1);
    CHECK(snap(db, true) == after);

    space.release();
    db.create(long_intake(999), agent);  // the same store writes again
    db.apply(number, d);
    const auto freed = snap(db, true);
    CHECK(freed.orders == after.orders + 1);
    CHECK(freed.events == after.events + 2);
    CHECK(freed.chain_ok);
    CHECK(freed == snap_reopened(file, true));
  }

  SUBCASE("a batch") {
    std::string err;
    {
      auto b = db.begin_batch();
      for (int i = 0; i < 60; ++i) db.create(long_intake(200 + i), agent);
      err = thrown<storage_error>([&] { b.commit(); });
    }
    check_storage_error(err, file);
    CHECK(snap(db, true) == before);  // none of the 60
    CHECK(snap_reopened(file, true) == before);

    space.release();
    {
      auto b = db.begin_batch();
      for (int i = 0; i < 60; ++i) db.create(long_intake(200 + i), agent);
      b.commit();
    }
    const auto freed = snap(db, true);
    CHECK(freed.orders == before.orders + 60);
    CHECK(freed.chain_ok);
    CHECK(freed == snap_reopened(file, true));
  }

  SUBCASE("a batch whose transaction SQLite rolls back by itself") {
    // A page cache of one page: the calls' rows spill into the WAL mid-statement, and a
    // spill that meets the full disk makes SQLite roll the whole transaction back.
    store_options small = signed_options();
    small.cache_kib = 16;
    store other(file, small);
    std::string lost, after_loss, at_commit;
    {
      auto b = other.begin_batch();
      other.create(long_intake(500), agent);
      call_log calls;
      for (int i = 0; i < 4000; ++i) {
        call_record c;
        c.call_id = "C" + std::to_string(100000 + i) + std::string(200, 'x');
        c.started_at = parse_instant("2025-03-03T10:00:00+08:00") + std::chrono::seconds(i);
        c.answered = true;
        c.agent = "A017";
        c.line = "12320";
        calls.calls.push_back(c);
      }
      lost = thrown<storage_error>([&] { (void)other.import_calls(calls); });
      space.release();  // the fault goes while the batch is still open: what is left of it must not be written
      after_loss = thrown<storage_error>([&] { other.create(long_intake(501), agent); });
      at_commit = thrown<storage_error>([&] { b.commit(); });
    }
    check_storage_error(lost, file);
    CHECK(has(lost, "rolled the batch's transaction back"));
    check_storage_error(after_loss, file);
    check_storage_error(at_commit, file);
    CHECK(snap(other, true) == before);  // not one statement of the batch ran on its own
    CHECK(snap(db, true) == before);
    CHECK(other.calls(parse_instant("2025-03-03T00:00:00+08:00"), parse_instant("2025-03-04T00:00:00+08:00")).empty());
    other.create(long_intake(502), agent);
    CHECK(snap(other, true) == snap(db, true));
    CHECK(snap(db, true).orders == before.orders + 1);
  }

  SUBCASE("an import") {
    std::string err = "no error";
    std::int64_t committed = 0;
    {
      auto imp = db.begin_import(4);
      for (int i = 0; i < 400 && err == "no error"; ++i)
        err = thrown<storage_error>([&] { imp.create(long_intake(300 + i), agent); });
      const auto at_finish = thrown<storage_error>([&] { imp.finish(); });
      if (err == "no error") err = at_finish;
      else CHECK(at_finish == err);  // finish() throws the writer's error again
      committed = imp.committed_orders();
    }
    REQUIRE_MESSAGE(err != "no error", "the file system never filled up");
    check_storage_error(err, file);
    // Transactions are whole: every committed order with its event, nothing of the others.
    const auto after = snap(db, true);
    CHECK(after.orders == before.orders + static_cast<std::size_t>(committed));
    CHECK(after.events == before.events + committed);
    CHECK(after.chain_ok);
    CHECK(after.signed_through == after.events);
    CHECK(after == snap_reopened(file, true));

    space.release();
    db.create(long_intake(998), agent);
    {
      auto imp = db.begin_import(4);
      for (int i = 0; i < 10; ++i) imp.create(long_intake(700 + i), agent);
      imp.finish();
      CHECK(imp.committed_orders() == 10);
    }
    const auto freed = snap(db, true);
    CHECK(freed.orders == after.orders + 11);
    CHECK(freed.chain_ok);
    CHECK(freed == snap_reopened(file, true));
  }
}

TEST_CASE("store faults: a store closed on a full file system leaves its WAL; the file opens, and is whole, once there is space") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-close");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  std::optional<filler> space;
  snapshot before;
  {
    store db(file, signed_options());
    seed_units(db);
    for (int i = 0; i < 12; ++i) db.create(long_intake(i), agent);
    before = snap(db, true);
    space.emplace(disk.path() / "filler");
  }  // the last connection: its checkpoint cannot grow the file, so the WAL stays
  REQUIRE(fs::exists(wal_of(file)));
  CHECK(fs::file_size(wal_of(file)) > fs::file_size(file));
  {
    const store db(file);  // its -shm is still there: it opens, and reads through the WAL
    CHECK(snap(db, true) == before);
  }
  space.reset();
  CHECK(snap_reopened(file, true) == before);
  CHECK_FALSE(fs::exists(wal_of(file)));  // copied into the file at last
  store db(file);
  db.create(long_intake(99), agent);
  CHECK(db.verify().ok);
}

TEST_CASE("store faults: a migration on a full file system leaves the file at its old schema") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-migrate");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  {
    store db(file);
    seed_units(db);
    for (int i = 0; i < 3; ++i) db.create(long_intake(i), agent);
  }
  // As the library of schema 5 left it: no signed_heads.  The connection stays open: on
  // a full file system SQLite cannot make the WAL's index (-shm) for a file that has
  // none, and the open would fail before the migration (a storage_error too).
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec("DROP TABLE signed_heads");
  raw.exec("PRAGMA user_version = 5");
  filler space(disk.path() / "filler");
  const auto err = thrown<storage_error>([&] { store db(file); });
  check_storage_error(err, file);
  CHECK(has(err, "migrating"));
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 5);
  CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'signed_heads'").getInt() == 0);
  space.release();
  store db(file);
  CHECK(db.schema_version() == store::latest_schema_version());
  CHECK(db.count(order_query{}) == 3);
  CHECK(db.verify().ok);
}

TEST_CASE("store faults: a read-only file refuses writes, naming the file; writable again once the file system is") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-ro");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  std::string number;
  {
    store db(file);
    seed_units(db);
    number = db.create(intake(), agent).number;
  }
  const auto before = snap_reopened(file);
  REQUIRE(before.chain_ok);
  const auto d = dispatch_to_bjj();

  SUBCASE("the file system is read-only when the store opens") {
    const auto image = read_bytes(file);
    REQUIRE(disk.set_read_only(true));
    check_storage_error(thrown<storage_error>([&] { store db(file); }), file);
    check_storage_error(thrown<storage_error>([&] { store db(file, read_only()); }), file);
    REQUIRE(disk.set_read_only(false));
    CHECK(read_bytes(file) == image);
    store db(file);
    CHECK(snap(db) == before);
    db.apply(number, d);
    CHECK(db.verify().ok);
  }

  SUBCASE("a read-only mount of the file while a writer holds it open elsewhere") {
    store writer(file);
    // The file system cannot go read-only under a file open for writing (EBUSY): a
    // read-only mount of the same files can.
    bind_mount ro(disk.path(), dir / "ro", true);
    const auto ro_file = ro.path() / "hotline.db";
    store reader(ro_file);
    CHECK(snap(reader) == before);
    check_storage_error(thrown<storage_error>([&] { reader.create(intake(), agent); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { reader.apply(number, d); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { seed_units(reader); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { (void)reader.begin_batch(); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { (void)reader.begin_import(); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { (void)reader.rebuild_projection(); }), ro_file);
    CHECK(snap(reader) == before);
    CHECK(snap(writer) == before);
    // The writer goes on; the reader sees it.
    writer.apply(number, d);
    CHECK(reader.get(number)->state == writer.get(number)->state);
    CHECK(snap(reader) == snap(writer));
    REQUIRE(ro.set_read_only(false));
    store again(ro_file);  // SQLite keeps the read-only handle it opened: reopen
    again.create(intake(), agent);
    CHECK(snap(again) == snap(writer));
    CHECK(snap(again).chain_ok);
  }

  SUBCASE("the store's read_only option") {
    store reader(file, read_only());
    for (const auto& err : {thrown<invalid_argument_error>([&] { reader.create(intake(), agent); }),
                            thrown<invalid_argument_error>([&] { reader.apply(number, d); }),
                            thrown<invalid_argument_error>([&] { seed_units(reader); }),
                            thrown<invalid_argument_error>([&] { (void)reader.begin_batch(); }),
                            thrown<invalid_argument_error>([&] { (void)reader.begin_import(); })}) {
      INFO("message: " << err);
      CHECK(has(err, file.string()));
      CHECK(has(err, "read-only"));
    }
    CHECK(snap(reader) == before);
  }

  SUBCASE("an immutable file (chattr +i)") {
    if (!set_immutable(file, true)) {
      MESSAGE("skipped: chattr +i is not possible here: " << errno_text());
      return;
    }
    immutable_guard undo{file};
    const auto image = read_bytes(file);
    {
      store db(file);  // SQLite opens it for reading only
      CHECK(snap(db) == before);
      check_storage_error(thrown<storage_error>([&] { db.apply(number, d); }), file);
      check_storage_error(thrown<storage_error>([&] { db.create(intake(), agent); }), file);
      CHECK(snap(db) == before);
    }
    CHECK(read_bytes(file) == image);
    REQUIRE(set_immutable(file, false));
    store db(file);
    db.apply(number, d);
    CHECK(db.verify().ok);
    CHECK(db.get(number)->version == 2);
  }
}

TEST_CASE("store faults: flipped bytes and a truncated file are named errors or a broken chain; the restored file opens") {
  const auto dir = fresh_dir("faults-bytes");
  const auto file = dir / "hotline.db";
  const std::string marker = "FAULT-MARKER-0123456789";
  std::string number;
  {
    store db(file);
    seed_units(db);
    for (int i = 0; i < 8; ++i) db.create(long_intake(i), agent);
    number = db.create(intake(), agent).number;
    auto d = dispatch_to_bjj();
    d.comment = marker;
    db.apply(number, d);
  }
  REQUIRE_FALSE(fs::exists(wal_of(file)));  // the last close copied the WAL into the file
  const auto before = snap_reopened(file);
  REQUIRE(before.chain_ok);
  const auto original = read_bytes(file);
  const auto page_size = static_cast<std::size_t>((static_cast<unsigned char>(original[16]) << 8) |
                                                  static_cast<unsigned char>(original[17]));
  REQUIRE(page_size >= 512);
  auto root_page = [&](const char* name) {
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    SQLite::Statement st(raw, "SELECT rootpage FROM sqlite_master WHERE name = ?");
    st.bind(1, name);
    REQUIRE(st.executeStep());
    return static_cast<std::size_t>(st.getColumn(0).getInt64());
  };
  /// The fault gone: the original bytes back, the file opens and writes, the chain holds.
  auto restored = [&] {
    write_bytes(file, original);
    store db(file);
    CHECK(snap(db) == before);
    db.create(intake(), agent);
    CHECK(db.verify().ok);
  };

  SUBCASE("the header's magic string") {
    auto bytes = original;
    for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] ^= 0x20;
    write_bytes(file, bytes);
    check_storage_error(thrown<storage_error>([&] { store db(file); }), file);
    check_storage_error(thrown<storage_error>([&] { store db(file, read_only()); }), file);
    CHECK(read_bytes(file) == bytes);  // left as it was
    restored();
  }

  SUBCASE("the header's page size") {
    auto bytes = original;
    bytes[16] = 0x03;  // 768: not a power of two
    bytes[17] = 0x00;
    write_bytes(file, bytes);
    check_storage_error(thrown<storage_error>([&] { store db(file); }), file);
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("a b-tree page of the orders") {
    const auto page = root_page("orders");
    auto bytes = original;
    bytes[(page - 1) * page_size + (page == 1 ? 100 : 0)] = 0x7f;  // no such page type
    write_bytes(file, bytes);
    {
      store db(file);
      check_storage_error(thrown<storage_error>([&] { (void)db.orders(order_query{}); }), file);
      check_storage_error(thrown<storage_error>([&] { (void)db.get(number); }), file);
      check_storage_error(thrown<storage_error>([&] { db.create(intake(), agent); }), file);
      CHECK(db.head().event_count == before.events);  // the create left no event
    }
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("a b-tree page of the event log") {
    const auto page = root_page("event_blocks");
    auto bytes = original;
    bytes[(page - 1) * page_size + (page == 1 ? 100 : 0)] = 0x7f;
    write_bytes(file, bytes);
    {
      store db(file);
      check_storage_error(thrown<storage_error>([&] { (void)db.verify(); }), file);
      check_storage_error(thrown<storage_error>([&] { (void)db.events(number); }), file);
      // An import that cannot find the log's end does not begin (nor stay half open).
      check_storage_error(thrown<storage_error>([&] { (void)db.begin_import(); }), file);
      check_storage_error(thrown<storage_error>([&] { db.create(intake(), agent); }), file);
      CHECK(db.count(order_query{}) == before.orders);  // the create left no order
    }
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("an event's payload: verify() names the event") {
    const auto at = original.find(marker);
    REQUIRE(at != std::string::npos);
    REQUIRE(original.find(marker, at + 1) == std::string::npos);  // in the event only
    auto bytes = original;
    bytes[at + 6] = 'N';  // MARKER -> NARKER
    write_bytes(file, bytes);
    {
      store db(file);
      const auto evs = db.events(number, true);
      REQUIRE(evs.size() == 2);
      CHECK(evs[1].comment == "FAULT-NARKER-0123456789");
      const auto r = db.verify();
      CHECK_FALSE(r.ok);
      REQUIRE(r.first_broken);
      CHECK(*r.first_broken == evs[1].id);
      CHECK_FALSE(r.reason.empty());
      CHECK(db.count(order_query{}) == before.orders);
    }
    restored();
  }

  SUBCASE("a file cut short") {
    for (const std::size_t keep : {original.size() / 2 + 100, page_size}) {
      CAPTURE(keep);
      write_bytes(file, original.substr(0, keep));
      std::string err = thrown<storage_error>([&] {
        store db(file);
        (void)db.verify();
        (void)db.orders(order_query{});
        db.create(intake(), agent);
      });
      check_storage_error(err, file);
      CHECK(read_bytes(file) == original.substr(0, keep));
    }
    restored();
  }
}

TEST_CASE("store faults: a file or a WAL of a newer schema is refused, naming the file and both versions, and left byte for byte") {
  const auto dir = fresh_dir("faults-newer");
  const auto file = dir / "hotline.db";
  {
    store db(file);
    seed_units(db);
    db.create(intake(), agent);
  }
  const int latest = store::latest_schema_version();
  const int newer = latest + 1;
  auto set_version = [&](int v, bool keep_wal) {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    if (keep_wal) sqlite3_db_config(raw.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    raw.exec("PRAGMA user_version = " + std::to_string(v));
  };
  auto header_version = [&] {
    const auto b = read_bytes(file);
    return (static_cast<unsigned char>(b[60]) << 24) | (static_cast<unsigned char>(b[61]) << 16) |
           (static_cast<unsigned char>(b[62]) << 8) | static_cast<unsigned char>(b[63]);
  };
  auto refused = [&](const store_options& o) {
    const auto bytes = read_bytes(file);
    const bool had_wal = fs::exists(wal_of(file)) && fs::file_size(wal_of(file)) > 0;
    const auto wal = had_wal ? read_bytes(wal_of(file)) : std::string();
    const auto err = thrown<storage_error>([&] { store db(file, o); });
    check_storage_error(err, file);
    CHECK(has(err, "schema version " + std::to_string(newer)));
    CHECK(has(err, "this library's " + std::to_string(latest)));
    CHECK(read_bytes(file) == bytes);
    if (had_wal) CHECK(read_bytes(wal_of(file)) == wal);
    else CHECK((!fs::exists(wal_of(file)) || fs::file_size(wal_of(file)) == 0));
  };
  /// The fault gone (a library that knows the version wrote it back): opens and writes.
  auto back_to_latest = [&] {
    set_version(latest, false);
    store db(file);
    CHECK(db.schema_version() == latest);
    db.create(intake(), agent);
    CHECK(db.verify().ok);
    CHECK(db.count(order_query{}) == 2);
  };

  SUBCASE("in the file") {
    set_version(newer, false);
    REQUIRE(header_version() == newer);
    refused({});
    refused(read_only());
    back_to_latest();
  }

  SUBCASE("in the committed frames of the WAL, the file itself older") {
    set_version(newer, true);
    REQUIRE(fs::exists(wal_of(file)));
    REQUIRE(header_version() == latest);  // only the WAL says so
    refused({});
    refused(read_only());
    REQUIRE(header_version() == latest);
    back_to_latest();
  }

  SUBCASE("in a file in rollback-journal mode") {
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      raw.exec("PRAGMA journal_mode = DELETE");
      raw.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    refused({});  // not switched to WAL on the way to the refusal
    back_to_latest();
  }
}

// ======================================================================================
// The signing store

namespace {

using signing::signing_store;

signing::stamp clerk() { return {"clerk-07", parse_instant("2017-03-01T09:00:00+08:00")}; }

signing::resident resident_no(int i) {
  signing::resident r;
  r.id = "R" + std::to_string(i);
  r.name = "居民" + std::to_string(i);
  r.district = "越秀区";
  r.subdistrict = "北京街";
  r.community = "仰忠社区";
  for (int k = 0; k < 40; ++k) r.community += "仰忠";
  r.birth = make_day(1960 + i % 40, 1, 1);
  return r;
}

signing::sign_request signing_of(int i) {
  signing::sign_request q;
  q.resident = "R" + std::to_string(i);
  q.team = "T01";
  q.packages = {"BASIC"};
  q.start = make_day(2017, 3, 1);
  return q;
}

void populate(signing_store& db, int residents) {
  using namespace hotline::signing;
  const auto c = clerk();
  db.add_institution(c, {"GZ-YX-01", "北京街社区卫生服务中心", institution_kind::community_health_centre, "越秀区", "北京街"});
  db.add_team(c, {"T01", "GZ-YX-01", "王医生团队"});
  db.add_staff(c, {"D01", "王某", "GZ-YX-01", team_role::family_doctor});
  db.join_team(c, "T01", "D01", team_role::family_doctor, make_day(2017, 1, 1));
  db.add_package(c, {"BASIC", "基本服务包", package_tier::basic, {"健康评估", "随访"}, 12000, 8000, 2000, 2000});
  for (int i = 1; i <= residents; ++i) db.add_resident(c, resident_no(i));
  db.sign(c, signing_of(1));
}

/// What a signing store says of its file and its view.
struct journal_state {
  std::size_t residents = 0, contracts = 0;
  std::uint64_t last_seq = 0;
  std::string last_hash;
  bool ok = false;
  bool operator==(const journal_state&) const = default;
};

journal_state state_of(const signing_store& db) {
  journal_state s;
  s.residents = db.view().resident_count();
  s.contracts = db.view().contract_count();
  s.last_seq = db.last_seq();
  const auto rows = db.journal(db.last_seq(), 1);
  if (!rows.empty()) s.last_hash = rows[0].hash;
  const auto r = db.verify();
  s.ok = r.ok && r.rows == s.last_seq;
  return s;
}

journal_state state_reopened(const fs::path& file) {
  const signing_store db(file);
  return state_of(db);
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<journal_state> {
  static String convert(const journal_state& s) {
    return (std::to_string(s.residents) + " residents, " + std::to_string(s.contracts) + " contracts, " +
            std::to_string(s.last_seq) + " rows" + (s.ok ? ", chain ok" : ", chain broken"))
        .c_str();
  }
};
}  // namespace doctest

TEST_CASE("signing store faults: a full file system refuses the call whole, the view as the file; freed space lets it write again") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-signing-full");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "signing.db";
  signing_store db(file);
  populate(db, 3);
  const auto before = state_of(db);
  REQUIRE(before.ok);
  filler space(disk.path() / "filler");

  SUBCASE("single calls") {
    std::string err = "no error";
    int made = 0;
    for (; made < 300; ++made) {
      err = thrown<storage_error>([&] { db.add_resident(clerk(), resident_no(100 + made)); });
      if (err != "no error") break;
    }
    REQUIRE_MESSAGE(err != "no error", "the file system never filled up");
    check_storage_error(err, file);
    CHECK(has(err, "full"));
    const auto after = state_of(db);
    CHECK(after.residents == before.residents + static_cast<std::size_t>(made));
    CHECK(after.ok);
    CHECK(after == state_reopened(file));
    space.release();
    db.add_resident(clerk(), resident_no(100 + made));  // the same call, the same store
    const auto freed = state_of(db);
    CHECK(freed.residents == after.residents + 1);
    CHECK(freed.ok);
    CHECK(freed == state_reopened(file));
  }

  SUBCASE("sign_all: all or none") {
    {
      space.release();
      for (int i = 4; i <= 400; ++i) db.add_resident(clerk(), resident_no(i));
    }
    const auto ready = state_of(db);
    filler again(disk.path() / "filler2");
    std::vector<signing::sign_request> reqs;
    for (int i = 2; i <= 400; ++i) reqs.push_back(signing_of(i));
    const auto err = thrown<storage_error>([&] { db.sign_all(clerk(), reqs); });
    check_storage_error(err, file);
    CHECK(state_of(db) == ready);
    CHECK(state_reopened(file) == ready);
    again.release();
    CHECK(db.sign_all(clerk(), reqs) == reqs.size());
    const auto freed = state_of(db);
    CHECK(freed.contracts == ready.contracts + reqs.size());
    CHECK(freed.ok);
    CHECK(freed == state_reopened(file));
  }
}

TEST_CASE("signing store faults: a read-only file refuses writes, naming the file; the view stays as the file") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-signing-ro");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "signing.db";
  {
    signing_store db(file);
    populate(db, 3);
  }
  const auto before = state_reopened(file);

  SUBCASE("the file system is read-only when the store opens") {
    REQUIRE(disk.set_read_only(true));
    check_storage_error(thrown<storage_error>([&] { signing_store db(file); }), file);
    REQUIRE(disk.set_read_only(false));
    signing_store db(file);
    CHECK(state_of(db) == before);
    db.add_resident(clerk(), resident_no(50));
    CHECK(state_of(db).ok);
  }

  SUBCASE("a read-only mount of the file while a writer holds it open elsewhere") {
    signing_store writer(file);
    bind_mount ro(disk.path(), dir / "ro", true);
    const auto ro_file = ro.path() / "signing.db";
    signing_store reader(ro_file);
    CHECK(state_of(reader) == before);
    check_storage_error(thrown<storage_error>([&] { reader.add_resident(clerk(), resident_no(50)); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { reader.sign(clerk(), signing_of(2)); }), ro_file);
    CHECK(state_of(reader) == before);
    writer.add_resident(clerk(), resident_no(51));
    CHECK(reader.refresh() == 1);
    CHECK(state_of(reader) == state_of(writer));
    REQUIRE(ro.set_read_only(false));
    signing_store again(ro_file);
    again.add_resident(clerk(), resident_no(52));
    CHECK(state_of(again).ok);
  }
}

TEST_CASE("signing store faults: flipped bytes and a truncated file are named errors or a broken chain; the restored file opens") {
  const auto dir = fresh_dir("faults-signing-bytes");
  const auto file = dir / "signing.db";
  {
    signing_store db(file);
    populate(db, 30);
    auto r = resident_no(31);
    r.name = "FAULT-MARKER-0123456789";
    db.add_resident(clerk(), r);
    db.add_resident(clerk(), resident_no(32));
  }
  REQUIRE_FALSE(fs::exists(wal_of(file)));
  const auto before = state_reopened(file);
  REQUIRE(before.ok);
  const auto original = read_bytes(file);
  auto restored = [&] {
    write_bytes(file, original);
    signing_store db(file);
    CHECK(state_of(db) == before);
    db.add_resident(clerk(), resident_no(60));
    CHECK(state_of(db).ok);
  };

  SUBCASE("the header's magic string") {
    auto bytes = original;
    for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] ^= 0x20;
    write_bytes(file, bytes);
    check_storage_error(thrown<storage_error>([&] { signing_store db(file); }), file);
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("a row's payload: verify() names the row") {
    const auto at = original.find("FAULT-MARKER-0123456789");
    REQUIRE(at != std::string::npos);
    auto bytes = original;
    bytes[at + 6] = 'N';
    write_bytes(file, bytes);
    {
      signing_store db(file);
      const auto r = db.verify();
      CHECK_FALSE(r.ok);
      CHECK(r.first_bad_seq == before.last_seq - 1);  // the row of resident 31
      CHECK_FALSE(r.reason.empty());
    }
    restored();
  }

  SUBCASE("a file cut short") {
    const std::size_t keep = original.size() / 2 + 100;
    write_bytes(file, original.substr(0, keep));
    check_storage_error(thrown<storage_error>([&] {
                          signing_store db(file);
                          (void)db.verify();
                        }),
                        file);
    CHECK(read_bytes(file) == original.substr(0, keep));
    restored();
  }
}

// The signing store: a refusing open must not checkpoint the WAL into the file as its
// connection closes, and a file SQLite cannot read is that, not "not a signing store".
TEST_CASE("signing store faults: a WAL of a newer schema is left byte for byte; unreadable files are not called other files") {
  const auto dir = fresh_dir("faults-signing-newer");
  const auto file = dir / "signing.db";
  {
    signing_store db(file);
    populate(db, 2);
  }
  const auto original = read_bytes(file);
  SUBCASE("a WAL of a newer schema") {
    const int newer = signing_store::schema_version + 1;
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      sqlite3_db_config(raw.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      raw.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    REQUIRE(fs::exists(wal_of(file)));
    const auto bytes = read_bytes(file);
    const auto wal = read_bytes(wal_of(file));
    const auto err = thrown<storage_error>([&] { signing_store db(file); });
    check_storage_error(err, file);
    CHECK(has(err, "schema version " + std::to_string(newer)));
    CHECK(has(err, "this library's " + std::to_string(signing_store::schema_version)));
    CHECK(read_bytes(file) == bytes);
    CHECK(read_bytes(wal_of(file)) == wal);
  }
  SUBCASE("a file cut short") {
    write_bytes(file, original.substr(0, original.size() / 2 + 100));
    const auto err = thrown<storage_error>([&] { signing_store db(file); });
    check_storage_error(err, file);
    CHECK_FALSE(has(err, "not a signing store"));
  }
  SUBCASE("a read-only file system") {
    SKIP_WITHOUT_MOUNTS();
    tmpfs_mount disk(dir / "disk", disk_bytes);
    const auto on_disk = disk.path() / "signing.db";
    write_bytes(on_disk, original);
    REQUIRE(disk.set_read_only(true));
    const auto err = thrown<storage_error>([&] { signing_store db(on_disk); });
    check_storage_error(err, on_disk);
    CHECK_FALSE(has(err, "not a signing store"));
    CHECK(has(err, "read-only"));
  }
}
