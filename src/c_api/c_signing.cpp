// The C ABI of the signing journal (hotline/c/signing.h).  The JSON in and out is the
// library's (src/signing/signing_json.hpp); every call holds the handle's lock.
#include "c_handles.hpp"
#include "c_store_args.hpp"

#include "../signing/signing_json.hpp"
#include "hotline/signed_head.hpp"

#include <mutex>

using hotline::c_api::check_flags;
using hotline::c_api::null_out;
using hotline::c_api::guard;
using hotline::c_api::set_text;
using hotline::c_api::utf8_arg;
namespace sd = hotline::signing::detail;

namespace {

bool revealed(int flags) { return (flags & HOTLINE_SIGNING_REVEAL) != 0; }

}  // namespace

extern "C" {

hotline_status hotline_signing_store_open(hotline_signing_store** out, const char* path, const char* options_json) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && path, "out and path must not be NULL");
    const std::string file(utf8_arg(path, "path"));
    HOTLINE_C_REQUIRE(!file.empty(), "path: empty");
    hotline::signing::policy p = hotline::signing::policy::guangzhou_2017();
    hotline::signing::signing_store_options o;
    if (options_json) o = sd::signing_options_from_json(utf8_arg(options_json, "options_json"), "options_json", p);
    *out = new hotline_signing_store{hotline::signing::signing_store(file, std::move(p), std::move(o)), {}};
  });
}

void hotline_signing_store_free(hotline_signing_store* s) { delete s; }

hotline_status hotline_signing_store_apply(char** out, hotline_signing_store* s, const char* call_json, int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(s && call_json, "s and call_json must not be NULL");
    check_flags(flags, HOTLINE_SIGNING_REVEAL);
    const auto text = utf8_arg(call_json, "call_json");
    const std::lock_guard hold(s->lock);
    const auto r = sd::apply_json(s->db, text, "call_json", revealed(flags));
    if (out) set_text(out, r);
  });
}

hotline_status hotline_signing_store_resident(char** out, const hotline_signing_store* s, const char* id, int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s && id, "out, s and id must not be NULL");
    check_flags(flags, HOTLINE_SIGNING_REVEAL);
    const std::string key(utf8_arg(id, "id"));
    const std::lock_guard hold(s->lock);
    set_text(out, sd::resident_json(s->db.view(), key, revealed(flags)));
  });
}

hotline_status hotline_signing_store_contracts(char** out, const hotline_signing_store* s, const char* resident) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s && resident, "out, s and resident must not be NULL");
    const std::string key(utf8_arg(resident, "resident"));
    const std::lock_guard hold(s->lock);
    set_text(out, sd::contracts_json(s->db.view(), key));
  });
}

hotline_status hotline_signing_store_coverage(char** out, const hotline_signing_store* s, int64_t as_of,
                                              const char* grouping) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    const std::string by(grouping ? utf8_arg(grouping, "grouping") : std::string_view("district"));
    const std::lock_guard hold(s->lock);
    set_text(out, sd::coverage_json(s->db.view(), hotline::from_day_number(as_of), by));
  });
}

hotline_status hotline_signing_store_tables(char** out, const hotline_signing_store* s, int64_t as_of) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    const std::lock_guard hold(s->lock);
    set_text(out, sd::tables_json(s->db.view(), hotline::from_day_number(as_of)));
  });
}

hotline_status hotline_signing_store_verify(char** out, const hotline_signing_store* s, const char* public_key,
                                            const char* receipt) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    std::optional<hotline::ed25519_public_key> key;
    std::optional<hotline::head_receipt> r;
    if (public_key) {
      key = hotline::parse_public_key(utf8_arg(public_key, "public_key"));
      HOTLINE_C_REQUIRE(key, "public_key: expected 64 hex digits");
    }
    if (receipt) {
      r = hotline::parse_receipt(utf8_arg(receipt, "receipt"));
      HOTLINE_C_REQUIRE(r, "receipt: not a receipt line (hotline-head v1 events=... hash=... at=... key=... sig=...)");
    }
    const std::lock_guard hold(s->lock);
    const auto& db = s->db;
    const auto rep = key && r ? db.verify(*r, *key) : key ? db.verify(*key) : r ? db.verify(*r) : db.verify();
    set_text(out, sd::journal_report_json(rep));
  });
}

hotline_status hotline_signing_store_head(char** out, const hotline_signing_store* s) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    const std::lock_guard hold(s->lock);
    set_text(out, hotline::detail::receipt_json(s->db.head()));
  });
}

hotline_status hotline_signing_store_sign_head(char** out, hotline_signing_store* s) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    const std::lock_guard hold(s->lock);
    HOTLINE_C_REQUIRE(s->db.signs_heads(), "this store has no signing key (open it with \"key_file\" in options_json)");
    set_text(out, hotline::detail::receipt_json(s->db.sign_head()));
  });
}

hotline_status hotline_signing_store_journal(char** out, const hotline_signing_store* s, uint64_t from_seq,
                                             size_t limit, int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    check_flags(flags, HOTLINE_SIGNING_REVEAL);
    const std::lock_guard hold(s->lock);
    set_text(out, sd::journal_json(s->db.journal(from_seq, limit, revealed(flags))));
  });
}

hotline_status hotline_signing_store_last_seq(uint64_t* out, const hotline_signing_store* s) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    const std::lock_guard hold(s->lock);
    *out = s->db.last_seq();
  });
}

hotline_status hotline_signing_store_refresh(uint64_t* out, hotline_signing_store* s) {
  return guard([&] {
    HOTLINE_C_REQUIRE(s, "s must not be NULL");
    const std::lock_guard hold(s->lock);
    const auto n = s->db.refresh();
    if (out) *out = n;
  });
}

}  // extern "C"
