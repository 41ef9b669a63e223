// The C ABI of the work-order store (hotline/c/store.h), continued: queries, the chain's
// integrity (verify, head, sign_head, rebuild) and the imports (call log, bulk).
#include "c_handles.hpp"
#include "c_store_args.hpp"

#include "hotline/call_log.hpp"
#include "hotline/signed_head.hpp"

using hotline::c_api::argument_origin;
using hotline::c_api::check_flags;
using hotline::c_api::null_out;
using hotline::c_api::guard;
using hotline::c_api::set_text;
using hotline::c_api::utf8_arg;
namespace d = hotline::detail;

namespace {

hotline::order_query query_of(const char* query_json) {
  if (!query_json) return {};
  const auto f = d::json_object_fields(utf8_arg(query_json, "query_json"), "query_json");
  const auto at = argument_origin("query_json");
  d::check_fields(f, d::record_kind::query, at);
  return d::query_from_fields(f, at);
}

}  // namespace

extern "C" {

hotline_status hotline_store_orders(char** out, const hotline_store* s, const char* query_json, int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    check_flags(flags, HOTLINE_STORE_REVEAL);
    auto q = query_of(query_json);
    q.revealed((flags & HOTLINE_STORE_REVEAL) != 0);
    set_text(out, d::orders_json(s->db.orders(q)));
  });
}

hotline_status hotline_store_count(int64_t* out, const hotline_store* s, const char* query_json) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    auto q = query_of(query_json);
    q.at_most(0);
    *out = static_cast<int64_t>(s->db.count(q));
  });
}

// ---- integrity ------------------------------------------------------------------------------

hotline_status hotline_store_event_count(int64_t* out, const hotline_store* s) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    *out = s->db.head().event_count;
  });
}

hotline_status hotline_store_verify(char** out, const hotline_store* s, const char* public_key, const char* receipt) {
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
    const auto rep = key && r ? s->db.verify(*r, *key)
                     : key    ? s->db.verify(*key)
                     : r      ? s->db.verify(*r)
                              : s->db.verify();
    set_text(out, d::chain_json(rep));
  });
}

hotline_status hotline_store_head(char** out, const hotline_store* s) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    set_text(out, d::receipt_json(s->db.head()));
  });
}

hotline_status hotline_store_sign_head(char** out, hotline_store* s) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    HOTLINE_C_REQUIRE(s->db.signs_heads(), "this store has no signing key (open it with \"key_file\" in options_json)");
    set_text(out, d::receipt_json(s->db.sign_head()));
  });
}

hotline_status hotline_store_rebuild(int64_t* out, hotline_store* s) {
  return guard([&] {
    HOTLINE_C_REQUIRE(s, "s must not be NULL");
    const auto n = s->db.rebuild_projection();
    if (out) *out = static_cast<int64_t>(n);
  });
}

// ---- imports ----------------------------------------------------------------------------------

hotline_status hotline_store_import_calls(char** out, hotline_store* s, const char* csv_path) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(s && csv_path, "s and csv_path must not be NULL");
    const auto log = hotline::call_log::from_csv_file(std::string(utf8_arg(csv_path, "csv_path")));
    const auto r = s->db.import_calls(log);
    if (out) set_text(out, d::call_import_json(r));
  });
}

hotline_status hotline_store_import(char** out, hotline_store* s, const char* records_json) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(s && records_json, "s and records_json must not be NULL");
    const auto r = d::import_json(s->db, utf8_arg(records_json, "records_json"), "records_json");
    if (out) set_text(out, r);
  });
}

}  // extern "C"
