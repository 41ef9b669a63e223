// What signing the chain head costs a commit (issue 22): single create() calls, each its
// own transaction, into a store without a signer (the peer) and one that signs at every
// commit, in the same run; then Ed25519 sign and verify alone, and verify() against
// verify(public_key) over the signed file.  The same for the signing store's journal
// (single add_resident writes, unsigned against signed every write).
//
//   cmake --build build --target bench_signed_heads && ./build/benchmarks/bench_signed_heads [commits]
#include "bench_common.hpp"
#include "hotline/signed_head.hpp"
#include "hotline/signing/store.hpp"
#include "hotline/store.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

work_order intake(int i) {
  work_order w;
  w.request_type = request_type::complaint;
  w.received_at = parse_instant("2025-03-03T10:00:00+08:00") + std::chrono::seconds(i);
  w.content = "家庭医生未按约定上门随访";
  w.caller_phone = "13812341234";
  w.district = "越秀区";
  return w;
}

/// Seconds for `n` single create() calls into a fresh file.
double commits(const fs::path& file, int n, const store_options& o) {
  fs::remove(file);
  fs::remove(file.string() + "-wal");
  fs::remove(file.string() + "-shm");
  store db(file, o);
  return bench::best_seconds(1, [&] {
    for (int i = 0; i < n; ++i) db.create(intake(i), {"A017", role::agent, {}});
  });
}

void remove_db(const fs::path& file) {
  fs::remove(file);
  fs::remove(file.string() + "-wal");
  fs::remove(file.string() + "-shm");
}

/// Seconds for `n` single add_resident writes into a fresh signing store.
double journal_writes(const fs::path& file, int n, const signing::signing_store_options& o) {
  remove_db(file);
  signing::signing_store db(file, signing::policy::guangzhou_2017(), o);
  return bench::best_seconds(1, [&] {
    for (int i = 0; i < n; ++i)
      db.add_resident({"clerk"}, {.id = "R" + std::to_string(i), .birth = make_day(1950, 1, 1), .district = "越秀区"});
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  const auto dir = fs::temp_directory_path() / ("bench_signed_heads-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto key = generate_signing_key();
  store_options plain, signing;
  signing.signer = head_signer::from_key(key);
  double t_plain = 1e300, t_signed = 1e300;
  for (int r = 0; r < 3; ++r) {  // alternated, best of three each
    t_plain = std::min(t_plain, commits(dir / "plain.db", n, plain));
    t_signed = std::min(t_signed, commits(dir / "signed.db", n, signing));
  }
  const auto msg = head_message(work_order_head_domain, 1, sha256_hash{}, instant{});
  head_receipt r;
  r.event_count = 1;
  const int m = 2000;
  const double t_sign = bench::best_seconds(3, [&] {
    for (int i = 0; i < m; ++i) r.signature = signing.signer.sign(msg);
  });
  bool ok = true;
  const double t_check = bench::best_seconds(3, [&] {
    for (int i = 0; i < m; ++i) ok = ok && check_signature(work_order_head_domain, r, key.public_key);
  });
  signing::signing_store_options j_plain, j_signed;
  j_signed.signer = signing.signer;
  double t_j_plain = 1e300, t_j_signed = 1e300;
  for (int round = 0; round < 3; ++round) {
    t_j_plain = std::min(t_j_plain, journal_writes(dir / "journal-plain.db", n, j_plain));
    t_j_signed = std::min(t_j_signed, journal_writes(dir / "journal-signed.db", n, j_signed));
  }
  signing::journal_report j_rep;
  {
    signing::signing_store jdb(dir / "journal-signed.db");
    j_rep = jdb.verify(key.public_key);
  }
  store db(dir / "signed.db");
  chain_report plain_rep, key_rep;
  const double t_verify = bench::best_seconds(3, [&] { plain_rep = db.verify(); });
  const double t_verify_key = bench::best_seconds(3, [&] { key_rep = db.verify(key.public_key); });
  std::printf("machine: %s\n", bench::cpu_model().c_str());
  std::printf("command: bench_signed_heads %d\n", n);
  std::printf("commit (one create), unsigned:  %.1f us\n", 1e6 * t_plain / n);
  std::printf("commit (one create), signed:    %.1f us  (+%.1f us, %.2fx the unsigned store)\n", 1e6 * t_signed / n,
              1e6 * (t_signed - t_plain) / n, t_signed / t_plain);
  std::printf("Ed25519 sign alone: %.1f us; verify alone: %.1f us%s\n", 1e6 * t_sign / m, 1e6 * t_check / m,
              ok ? "" : "  (a signature failed!)");
  std::printf("verify() of %lld events: %.1f ms; verify(public_key) with %lld heads: %.1f ms (%.1fx)%s\n",
              static_cast<long long>(plain_rep.events_checked), 1e3 * t_verify,
              static_cast<long long>(key_rep.heads_checked), 1e3 * t_verify_key, t_verify_key / t_verify,
              plain_rep.ok && key_rep.ok ? "" : "  (verification failed!)");
  std::printf("signing journal write (one add_resident), unsigned: %.1f us; signed: %.1f us (%.2fx the unsigned "
              "journal); verify(public_key): %lld heads %s\n",
              1e6 * t_j_plain / n, 1e6 * t_j_signed / n, t_j_signed / t_j_plain,
              static_cast<long long>(j_rep.heads_checked), j_rep.ok ? "ok" : "FAILED");
  fs::remove_all(dir);
  return plain_rep.ok && key_rep.ok && ok && j_rep.ok ? 0 : 1;
}
