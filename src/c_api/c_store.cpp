// The C ABI of the work-order store (hotline/c/store.h): opening, units and liaisons,
// orders and their actions.  Queries, integrity and imports: c_store_query.cpp.  The JSON
// in and out is the library's (src/store_records.hpp, src/store_json.hpp), the command
// line's shapes.
#include "c_handles.hpp"
#include "c_store_args.hpp"

#include "hotline/masking.hpp"

#include <filesystem>
#include <system_error>

using hotline::c_api::argument_origin;
using hotline::c_api::check_flags;
using hotline::c_api::null_out;
using hotline::c_api::guard;
using hotline::c_api::set_text;
using hotline::c_api::utf8_arg;
namespace d = hotline::detail;

namespace {

bool revealed(int flags) { return (flags & HOTLINE_STORE_REVEAL) != 0; }

std::string order_out(const hotline::work_order& w, int flags) {
  return d::order_json(revealed(flags) ? w : w.masked());
}

/// {"id" (required), "role" ("agent"), "unit"}.
hotline::actor actor_from_json(const char* text) {
  const auto f = d::json_object_fields(utf8_arg(text, "actor_json"), "actor_json");
  const auto at = argument_origin("actor_json");
  for (const auto& [k, v] : f)
    if (k != "id" && k != "role" && k != "unit") d::fail_field(at, k, "unknown field (known: id, role, unit)");
  hotline::actor a;
  a.id = d::field_text(f, "id");
  if (a.id.empty()) d::fail_field(at, "id", "required, and missing or empty");
  if (const auto r = d::field_text(f, "role"); !r.empty()) {
    try {
      a.role = hotline::parse_enum<hotline::role>(r);
    } catch (const hotline::error& e) {
      d::fail_field(at, "role", e.what());
    }
  }
  a.unit = d::field_text(f, "unit");
  return a;
}

/// The fields of a JSON record of `kind`, checked for unknown names.
d::text_fields record_fields(const char* text, std::string_view name, d::record_kind kind) {
  auto f = d::json_object_fields(utf8_arg(text, name), name);
  d::check_fields(f, kind, argument_origin(name));
  return f;
}

}  // namespace

extern "C" {

hotline_status hotline_store_open(hotline_store** out, const char* path, const char* options_json) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && path, "out and path must not be NULL");
    const std::string file(utf8_arg(path, "path"));
    HOTLINE_C_REQUIRE(!file.empty(), "path: empty");
    bool must_exist = false;
    hotline::store_options o;
    if (options_json)
      o = d::store_options_from_json(utf8_arg(options_json, "options_json"), "options_json", must_exist);
    std::error_code ec;
    if (must_exist && !hotline::is_postgresql_location(file) && !std::filesystem::exists(file, ec))
      throw hotline::error(hotline::errc::io_error, file + ": no such store (and options_json says must_exist)");
    *out = new hotline_store{hotline::store(file, std::move(o))};
  });
}

void hotline_store_free(hotline_store* s) { delete s; }

hotline_status hotline_store_schema_version(int* out, const hotline_store* s) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    *out = s->db.schema_version();
  });
}

// ---- units and liaisons ----------------------------------------------------------------

hotline_status hotline_store_put_unit(hotline_store* s, const char* unit_json) {
  return guard([&] {
    HOTLINE_C_REQUIRE(s && unit_json, "s and unit_json must not be NULL");
    const auto f = record_fields(unit_json, "unit_json", d::record_kind::unit);
    s->db.put_unit(d::unit_from_fields(f, argument_origin("unit_json")));
  });
}

hotline_status hotline_store_units(char** out, const hotline_store* s) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s, "out and s must not be NULL");
    set_text(out, d::units_json(s->db.directory().units()));
  });
}

hotline_status hotline_store_set_liaison(hotline_store* s, const char* liaison_json) {
  return guard([&] {
    HOTLINE_C_REQUIRE(s && liaison_json, "s and liaison_json must not be NULL");
    const auto f = record_fields(liaison_json, "liaison_json", d::record_kind::liaison);
    s->db.set_liaison(d::liaison_from_fields(f, argument_origin("liaison_json")));
  });
}

hotline_status hotline_store_liaisons(char** out, const hotline_store* s, const char* unit, const char* as_of,
                                      int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s && unit, "out, s and unit must not be NULL");
    check_flags(flags, HOTLINE_STORE_REVEAL | HOTLINE_STORE_HISTORY);
    const auto code = utf8_arg(unit, "unit");
    if (flags & HOTLINE_STORE_HISTORY) {
      HOTLINE_C_REQUIRE(!as_of, "as_of must be NULL with HOTLINE_STORE_HISTORY");
      set_text(out, d::liaisons_json(s->db.liaison_history(code, revealed(flags))));
      return;
    }
    std::optional<hotline::instant> t;
    if (as_of) {
      try {
        t = d::instant_from_text(std::string(utf8_arg(as_of, "as_of")));
      } catch (const hotline::error& e) {
        throw hotline::invalid_argument_error(std::string("as_of: ") + e.what());
      }
    }
    set_text(out, d::liaisons_json(s->db.liaisons(code, t, revealed(flags))));
  });
}

// ---- orders ---------------------------------------------------------------------------------

hotline_status hotline_store_create(char** out, hotline_store* s, const char* order_json, const char* actor_json,
                                    int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(s && order_json, "s and order_json must not be NULL");
    check_flags(flags, HOTLINE_STORE_REVEAL);
    const auto f = record_fields(order_json, "order_json", d::record_kind::order);
    auto in = d::order_from_fields(f, argument_origin("order_json"));
    if (actor_json) in.by = actor_from_json(actor_json);
    const auto w = s->db.create(in.order, in.by, in.draft);
    if (out) set_text(out, order_out(w, flags));
  });
}

hotline_status hotline_store_apply(char** out, hotline_store* s, const char* number, const char* action_json,
                                   int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(s && number && action_json, "s, number and action_json must not be NULL");
    check_flags(flags, HOTLINE_STORE_REVEAL);
    const std::string n(utf8_arg(number, "number"));
    HOTLINE_C_REQUIRE(!n.empty(), "number: empty");
    auto f = d::json_object_fields(utf8_arg(action_json, "action_json"), "action_json");
    const auto given = d::field_text(f, "number");
    if (!given.empty() && given != n)
      throw hotline::invalid_argument_error("action_json: number: '" + hotline::mask_text(given) +
                                            "' is not the order named by the number argument");
    std::erase_if(f, [](const auto& kv) { return kv.first == "number"; });
    f.emplace_back("number", n);
    const auto at = argument_origin("action_json");
    d::check_fields(f, d::record_kind::action, at);
    const auto a = d::action_from_fields(f, at);
    const auto w = s->db.apply(a.number, a.c);
    if (out) set_text(out, order_out(w, flags));
  });
}

hotline_status hotline_store_get(char** out, const hotline_store* s, const char* number, int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s && number, "out, s and number must not be NULL");
    check_flags(flags, HOTLINE_STORE_REVEAL);
    const auto n = utf8_arg(number, "number");
    const auto w = s->db.get(n, revealed(flags));
    if (!w) throw hotline::not_found_error("no order " + hotline::mask_text(n));
    set_text(out, d::order_json(*w));
  });
}

hotline_status hotline_store_events(char** out, const hotline_store* s, const char* number, int flags) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out && s && number, "out, s and number must not be NULL");
    check_flags(flags, HOTLINE_STORE_REVEAL);
    const auto n = utf8_arg(number, "number");
    const auto events = s->db.events(n, revealed(flags));
    if (events.empty()) throw hotline::not_found_error("no order " + hotline::mask_text(n));
    set_text(out, d::events_json(n, events));
  });
}

}  // extern "C"
