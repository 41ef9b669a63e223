// Helpers shared by the store fault suites (test_store_faults_disk, _files): reading and
// writing a file's bytes, a storage error that names its file, tmpfs and bind mounts in a
// mount namespace of the process's own, and what a store or signing store says of its file.
//
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
#pragma once

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

namespace hotline::test::faults {

namespace fs = std::filesystem;

using test::fresh_dir;
using test::intake;
using test::seed_units;

inline const actor agent{"A017", role::agent, {}};
inline const actor dispatcher{"D02", role::dispatcher, {}};

/// D02 dispatches to YX-BJJ at 11:00 on 3 March 2025.
inline command dispatch_to_bjj() {
  command c;
  c.action = action::dispatch;
  c.by = dispatcher;
  c.at = parse_instant("2025-03-03T11:00:00+08:00");
  c.unit = "YX-BJJ";
  return c;
}

inline store_options read_only() {
  store_options o;
  o.read_only = true;
  return o;
}

// ---- files --------------------------------------------------------------------------

inline std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline fs::path wal_of(const fs::path& db) { return fs::path(db.string() + "-wal"); }

using hotline::test::thrown;

inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A storage_error (and no other kind) whose message names `file`.
inline void check_storage_error(const std::string& message, const fs::path& file) {
  INFO("message: " << message);
  CHECK(message != "no error");
  CHECK_FALSE(has(message, "other: "));
  CHECK(has(message, file.string()));
}

// ---- mounts ---------------------------------------------------------------------------

inline bool write_proc(const char* file, const std::string& text) {
  const int fd = ::open(file, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

inline std::string errno_text() { return std::strerror(errno); }

/// Puts this process into a mount namespace of its own with private propagation (and,
/// when not root, a user namespace in which it is root).  "" on success, else why not.
inline std::string enter_mount_namespace() {
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
inline const std::string& mounts_unavailable() {
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
inline bool set_immutable(const fs::path& file, bool on) {
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
inline work_order long_intake(int i) {
  auto w = intake();
  w.content.clear();
  for (int k = 0; k < 120; ++k) w.content += "家庭医生未按约定上门随访，居民多次来电反映。";
  w.content += " #" + std::to_string(i);
  return w;
}

/// A fixed key: the fault cases sign their heads too, so that a signed head never
/// outruns the events it signs.
inline const signing_key& key() {
  static const signing_key k = [] {
    std::array<std::uint8_t, 32> seed;
    seed.fill(22);
    return signing_key_from_seed(seed);
  }();
  return k;
}

inline store_options signed_options() {
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

inline doctest::String to_string_of(const snapshot& s) {
  return (std::to_string(s.orders) + " orders, " + std::to_string(s.events) + " events, signed through " +
          std::to_string(s.signed_through) + (s.chain_ok ? ", chain ok" : ", chain broken"))
      .c_str();
}

inline snapshot snap(const store& db, bool signed_heads = false) {
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

inline snapshot snap_reopened(const fs::path& file, bool signed_heads = false) {
  const store db(file);
  return snap(db, signed_heads);
}

// ---- the signing store ----------------------------------------------------------------

using signing::signing_store;

inline signing::stamp clerk() { return {"clerk-07", parse_instant("2017-03-01T09:00:00+08:00")}; }

inline signing::resident resident_no(int i) {
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

inline signing::sign_request signing_of(int i) {
  signing::sign_request q;
  q.resident = "R" + std::to_string(i);
  q.team = "T01";
  q.packages = {"BASIC"};
  q.start = make_day(2017, 3, 1);
  return q;
}

inline void populate(signing_store& db, int residents) {
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

inline journal_state state_of(const signing_store& db) {
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

inline journal_state state_reopened(const fs::path& file) {
  const signing_store db(file);
  return state_of(db);
}

inline constexpr std::size_t disk_bytes = 8u << 20;  // 8 MiB: the schema at 16 KiB pages and room to spare

}  // namespace hotline::test::faults

namespace doctest {
template <>
struct StringMaker<hotline::test::faults::snapshot> {
  static String convert(const hotline::test::faults::snapshot& s) { return hotline::test::faults::to_string_of(s); }
};
}  // namespace doctest

namespace doctest {
template <>
struct StringMaker<hotline::test::faults::journal_state> {
  static String convert(const hotline::test::faults::journal_state& s) {
    return (std::to_string(s.residents) + " residents, " + std::to_string(s.contracts) + " contracts, " +
            std::to_string(s.last_seq) + " rows" + (s.ok ? ", chain ok" : ", chain broken"))
        .c_str();
  }
};
}  // namespace doctest
