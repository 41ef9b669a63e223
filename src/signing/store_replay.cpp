// The signing store's replay (store_codec.hpp): a journal row's JSON read back into the
// registry call it records, checked field by field, and a row's payload with personal data
// masked.  Writing the rows is store_codec.cpp.
#include "store_codec.hpp"

#include "hotline/detail/utf8.hpp"
#include "hotline/masking.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <climits>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <utility>

namespace hotline::signing::detail {

using json = nlohmann::json;

// ---- reading a row -----------------------------------------------------------------

namespace {

/// The fields of one row's payload; every failure is a storage_error naming the row.
class row_reader {
 public:
  row_reader(const json& j, std::uint64_t seq, std::string_view op) : j_(j), seq_(seq), op_(op) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw storage_error("journal row " + std::to_string(seq_) + " (" + std::string(op_) + "): " + what);
  }
  const json* find(const char* k) const {
    auto it = j_.find(k);
    return it == j_.end() ? nullptr : &*it;
  }
  const json& at(const char* k) const {
    if (const json* v = find(k)) return *v;
    fail(std::string("field '") + k + "' is missing");
  }
  std::string text(const char* k) const {
    const json& v = at(k);
    if (!v.is_string()) fail(std::string("field '") + k + "' is not text");
    return v.get<std::string>();
  }
  std::string text_or_empty(const char* k) const { return find(k) ? text(k) : std::string(); }
  std::int64_t number(const char* k) const {
    const json& v = at(k);
    if (!v.is_number_integer()) fail(std::string("field '") + k + "' is not an integer");
    return v.get<std::int64_t>();
  }
  int small(const char* k) const {
    const auto n = number(k);
    if (n < INT_MIN || n > INT_MAX) fail(std::string("field '") + k + "' is out of range");
    return static_cast<int>(n);
  }
  bool flag(const char* k) const {
    const json& v = at(k);
    if (!v.is_boolean()) fail(std::string("field '") + k + "' is not true or false");
    return v.get<bool>();
  }
  day date(const char* k) const {
    const json& v = at(k);
    if (v.is_number_integer()) return hotline::from_day_number(v.get<std::int64_t>());
    if (!v.is_string()) fail(std::string("field '") + k + "' is not a date");
    try {
      return parse_day(v.get_ref<const std::string&>());
    } catch (const hotline::error&) {
      fail(std::string("field '") + k + "' is not a date of the form YYYY-MM-DD");
    }
  }
  std::optional<day> date_if(const char* k) const {
    if (!find(k)) return std::nullopt;
    return date(k);
  }
  std::vector<std::string> texts(const char* k) const {
    const json& v = at(k);
    if (!v.is_array()) fail(std::string("field '") + k + "' is not a list");
    std::vector<std::string> out;
    out.reserve(v.size());
    for (const auto& e : v) {
      if (!e.is_string()) fail(std::string("field '") + k + "' holds something other than text");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  template <class E>
  E word(const char* k) const {
    const json& v = at(k);
    if (v.is_number_integer()) return static_cast<E>(v.get<std::int64_t>());  // written as a number: see json_out
    if (!v.is_string()) fail(std::string("field '") + k + "' is not a name");
    try {
      return parse<E>(v.get_ref<const std::string&>(), k);
    } catch (const invalid_argument_error& e) {
      fail(e.what());
    }
  }
  hotline::sex sex(const char* k) const {
    if (!find(k)) return hotline::sex::unknown;
    const json& v = at(k);
    if (v.is_number_integer()) return static_cast<hotline::sex>(v.get<std::int64_t>());
    for (std::size_t i = 0; i < std::size(sex_names); ++i)
      if (v.is_string() && v.get_ref<const std::string&>() == sex_names[i]) return static_cast<hotline::sex>(i);
    fail(std::string("field '") + k + "' is not a sex (unknown, male, female)");
  }
  std::array<std::uint8_t, 32> hash(const char* k) const {
    const std::string h = text(k);
    std::array<std::uint8_t, 32> out{};
    auto nib = [&](char c) -> unsigned {
      if (c >= '0' && c <= '9') return unsigned(c - '0');
      if (c >= 'a' && c <= 'f') return unsigned(c - 'a' + 10);
      fail(std::string("field '") + k + "' is not 64 lower-case hex digits");
    };
    if (h.size() != 64) fail(std::string("field '") + k + "' is not 64 lower-case hex digits");
    for (std::size_t i = 0; i < 32; ++i) out[i] = static_cast<std::uint8_t>(nib(h[2 * i]) << 4 | nib(h[2 * i + 1]));
    return out;
  }

  sign_request request() const {
    sign_request r;
    r.resident = text_or_empty("resident");
    r.team = text("team");
    r.packages = texts("packages");
    r.start = date("start");
    r.years = small("years");
    r.channel = word<signing_channel>("channel");
    r.application = text_or_empty("application");
    r.id = text_or_empty("id");
    return r;
  }

 private:
  const json& j_;
  std::uint64_t seq_;
  std::string_view op_;
};

/// Makes the call on the registry; a refusal is a storage_error naming the row.
template <class F>
auto make(const row_reader& rd, F&& f) {
  try {
    return f();
  } catch (const storage_error&) {
    throw;
  } catch (const hotline::error& e) {  // registry messages show personal data masked (error.hpp)
    rd.fail(std::string("the registry refuses it: ") + e.what());
  }
}

using replay_fn = void (*)(registry&, const row_reader&);

void expect_contract(const row_reader& rd, const char* key, const std::string& got) {
  const std::string want = rd.text(key);
  if (got != want) rd.fail("replays as contract '" + got + "' where the journal says '" + want + "'");
}

// One entry per op the store writes; op names are the registry's call names.
const std::pair<std::string_view, replay_fn> replayers[] = {
    {"add_resident",
     [](registry& r, const row_reader& rd) {
       resident x;
       x.id = rd.text("id");
       x.name = rd.text_or_empty("name");
       x.id_number = rd.text_or_empty("id_number");
       x.birth = rd.date_if("birth");
       x.sex = rd.sex("sex");
       x.district = rd.text("district");
       x.subdistrict = rd.text("subdistrict");
       x.community = rd.text("community");
       x.insured = rd.flag("insured");
       make(rd, [&] { r.add_resident(x); });
     }},
    {"move_resident",
     [](registry& r, const row_reader& rd) {
       const auto id = rd.text("id"), d = rd.text("district"), s = rd.text("subdistrict"), c = rd.text("community");
       make(rd, [&] { r.move_resident(id, d, s, c); });
     }},
    {"add_attribute",
     [](registry& r, const row_reader& rd) {
       const auto id = rd.text("resident");
       const auto a = rd.word<attribute>("attribute");
       const auto from = rd.date("from");
       const auto to = rd.date_if("to");
       make(rd, [&] { r.add_attribute(id, a, from, to); });
     }},
    {"end_attribute",
     [](registry& r, const row_reader& rd) {
       const auto id = rd.text("resident");
       const auto a = rd.word<attribute>("attribute");
       const auto to = rd.date("to");
       make(rd, [&] { r.end_attribute(id, a, to); });
     }},
    {"set_grade",
     [](registry& r, const row_reader& rd) {
       const auto id = rd.text("resident");
       const auto g = rd.word<elderly_grade>("grade");
       const auto from = rd.date("from");
       make(rd, [&] { r.set_grade(id, g, from); });
     }},
    {"join_household",
     [](registry& r, const row_reader& rd) {
       const auto h = rd.text("household"), id = rd.text("resident");
       const auto from = rd.date("from");
       make(rd, [&] { r.join_household(h, id, from); });
     }},
    {"leave_household",
     [](registry& r, const row_reader& rd) {
       const auto h = rd.text("household"), id = rd.text("resident");
       const auto to = rd.date("to");
       make(rd, [&] { r.leave_household(h, id, to); });
     }},
    {"add_institution",
     [](registry& r, const row_reader& rd) {
       institution i;
       i.code = rd.text("code");
       i.name = rd.text("name");
       i.kind = rd.word<institution_kind>("kind");
       i.district = rd.text("district");
       i.subdistrict = rd.text("subdistrict");
       make(rd, [&] { r.add_institution(i); });
     }},
    {"add_team",
     [](registry& r, const row_reader& rd) {
       team t;
       t.code = rd.text("code");
       t.institution = rd.text("institution");
       t.name = rd.text("name");
       t.individual = rd.flag("individual");
       make(rd, [&] { r.add_team(t); });
     }},
    {"add_staff",
     [](registry& r, const row_reader& rd) {
       staff_member s;
       s.id = rd.text("id");
       s.name = rd.text("name");
       s.institution = rd.text("institution");
       s.qualification = rd.word<team_role>("qualification");
       make(rd, [&] { r.add_staff(s); });
     }},
    {"join_team",
     [](registry& r, const row_reader& rd) {
       const auto t = rd.text("team"), s = rd.text("staff");
       const auto role = rd.word<team_role>("role");
       const auto from = rd.date("from");
       make(rd, [&] { r.join_team(t, s, role, from); });
     }},
    {"leave_team",
     [](registry& r, const row_reader& rd) {
       const auto t = rd.text("team"), s = rd.text("staff");
       const auto to = rd.date("to");
       make(rd, [&] { r.leave_team(t, s, to); });
     }},
    {"add_package",
     [](registry& r, const row_reader& rd) {
       package p;
       p.code = rd.text("code");
       p.name = rd.text("name");
       p.tier = rd.word<package_tier>("tier");
       p.items = rd.texts("items");
       p.fee_fen = rd.number("fee_fen");
       p.insurance_fen = rd.number("insurance_fen");
       p.public_health_fen = rd.number("public_health_fen");
       p.resident_fen = rd.number("resident_fen");
       make(rd, [&] { r.add_package(p); });
     }},
    {"sign",
     [](registry& r, const row_reader& rd) {
       const auto req = rd.request();
       expect_contract(rd, "contract", make(rd, [&] { return r.sign(req); }).id);
     }},
    {"sign_all",  // one row per contract of the batch; the batch was all or none
     [](registry& r, const row_reader& rd) {
       const auto req = rd.request();
       expect_contract(rd, "contract", make(rd, [&] { return r.sign(req); }).id);
     }},
    {"sign_household",
     [](registry& r, const row_reader& rd) {
       const auto h = rd.text("household");
       const auto req = rd.request();
       const auto want = rd.texts("contracts");
       const auto got = make(rd, [&] { return r.sign_household(h, req); });
       std::vector<std::string> ids;
       for (const auto& c : got) ids.push_back(c.id);
       if (ids != want)
         rd.fail("replays as " + std::to_string(ids.size()) + " contracts other than the " +
                 std::to_string(want.size()) + " the journal lists");
     }},
    {"renew",
     [](registry& r, const row_reader& rd) {
       const auto c = rd.text("contract");
       const auto years = rd.small("years");
       const auto t = rd.text_or_empty("team");
       auto pk = rd.find("packages") ? rd.texts("packages") : std::vector<std::string>{};
       expect_contract(rd, "renewal", make(rd, [&] { return r.renew(c, years, t, std::move(pk)); }).id);
     }},
    {"terminate",
     [](registry& r, const row_reader& rd) {
       const auto c = rd.text("contract");
       const auto on = rd.date("on");
       const auto why = rd.word<termination_reason>("reason");
       make(rd, [&] { r.terminate(c, on, why); });
     }},
    {"receive_application",
     [](registry& r, const row_reader& rd) {
       application a;
       a.order = rd.text("order");
       a.resident = rd.text("resident");
       a.institution = rd.text("institution");
       a.received = rd.date("received");
       a.contract = rd.text_or_empty("contract");
       make(rd, [&] { r.receive_application(a); });
     }},
    {"record_service",
     [](registry& r, const row_reader& rd) {
       service_record s;
       s.contract = rd.text("contract");
       s.staff = rd.text("staff");
       s.kind = rd.word<service_kind>("kind");
       s.on = rd.date("on");
       s.months = rd.small("months");
       s.condition = rd.word<attribute>("condition");
       s.stable = rd.flag("stable");
       s.priority = rd.word<referral_priority>("priority");
       s.counterpart = rd.text("counterpart");
       s.note = rd.text("note");
       const auto want_seq = rd.number("seq");
       const auto want_hash = rd.hash("hash");
       const auto& got = make(rd, [&]() -> const service_record& { return r.record_service(s); });
       if (static_cast<std::int64_t>(got.seq) != want_seq)
         rd.fail("replays as service " + std::to_string(got.seq) + " where the journal says " +
                 std::to_string(want_seq));
       if (got.hash != want_hash)
         rd.fail("the service replays with another hash than the journal's: the row was changed");
     }},
    {"record_survey",
     [](registry& r, const row_reader& rd) {
       survey_answer a;
       a.contract = rd.text("contract");
       a.on = rd.date("on");
       a.reached = rd.flag("reached");
       a.aware = rd.flag("aware");
       a.satisfied = rd.flag("satisfied");
       a.authentic = rd.flag("authentic");
       make(rd, [&] { r.record_survey(a); });
     }},
    {"record_slots",
     [](registry& r, const row_reader& rd) {
       specialist_slots s;
       s.hospital = rd.text("hospital");
       s.month = rd.text("month");
       s.total = rd.number("total");
       s.opened_to_teams = rd.number("opened_to_teams");
       make(rd, [&] { r.record_slots(s); });
     }},
};

}  // namespace

void journal_replay::row(std::uint64_t seq, std::string_view op, std::string_view payload) {
  auto fail = [&](const std::string& what) {
    throw storage_error("journal row " + std::to_string(seq) + " (" + std::string(op) + "): " + what);
  };
  const bool gathering = op == "add_residents";
  if (pending_first_ != 0 && !gathering)
    fail("the add_residents call of row " + std::to_string(pending_first_) + " is cut short: rows were removed");
  replay_fn fn = nullptr;
  for (const auto& [n, f] : replayers)
    if (n == op) fn = f;
  if (!fn && !gathering) {
    if (op == "policy") fail("a second policy row: the policy is row 1's alone");
    // Not the op's text either: it is what the row says, and may be anything.
    fail("unknown op: this library does not know that call");
  }
  json j;
  try {
    j = json::parse(payload);
  } catch (const json::parse_error& e) {
    fail("the payload does not parse (byte " + std::to_string(e.byte) + ")");  // never its text: personal data
  } catch (const json::exception&) {  // out_of_range: a number like 1e999 that parses but no double holds
    fail("the payload does not parse (a number too large to represent)");
  }
  if (!j.is_object()) fail("the payload is not a JSON object");
  const row_reader rd(j, seq, op);
  try {
    if (!gathering) {
      fn(r_, rd);
      return;
    }
    const auto i = rd.number("i"), n = rd.number("n");
    if (n < 1 || i < 0 || i >= n) fail("row " + std::to_string(i) + " of " + std::to_string(n) + " is impossible");
    if (i == 0) {
      if (pending_first_ != 0)
        fail("the add_residents call of row " + std::to_string(pending_first_) + " is cut short: rows were removed");
      pending_ = resident_rows{};
      pending_first_ = seq;
      pending_n_ = static_cast<std::size_t>(n);
      const json& places = rd.at("places");
      if (!places.is_array()) fail("field 'places' is not a list");
      for (const auto& p : places) {
        if (!p.is_array() || p.size() != 3) fail("field 'places' holds something other than three texts");
        pending_.places.push_back({p[0].get<std::string>(), p[1].get<std::string>(), p[2].get<std::string>()});
      }
    } else if (pending_first_ == 0 || static_cast<std::size_t>(i) != pending_.ids.size() ||
               static_cast<std::size_t>(n) != pending_n_) {
      fail("row " + std::to_string(i) + " of an add_residents call whose earlier rows are missing");
    }
    const auto place = rd.number("place");
    if (place < 0 || place > UINT32_MAX) fail("field 'place' is out of range");
    pending_.ids.push_back(rd.text("id"));
    pending_.birth.push_back(rd.date("birth"));
    pending_.place.push_back(static_cast<std::uint32_t>(place));
    pending_.sex.push_back(rd.sex("sex"));
    pending_.insured.push_back(rd.find("insured") ? (rd.flag("insured") ? 1 : 0) : 1);
    if (pending_.ids.size() == pending_n_) flush();
  } catch (const json::exception&) {
    fail("a field has the wrong type");
  }
}

void journal_replay::flush() {
  const auto first = pending_first_;
  pending_first_ = 0;
  try {
    r_.add_residents(pending_);
  } catch (const hotline::error& e) {
    throw storage_error("journal row " + std::to_string(first) + " (add_residents, " + std::to_string(pending_n_) +
                        " rows): the registry refuses it: " + e.what());
  }
  pending_ = resident_rows{};
}

void journal_replay::end() const {
  if (pending_first_ != 0)
    throw storage_error("journal row " + std::to_string(pending_first_) + " (add_residents): the journal ends after " +
                        std::to_string(pending_.ids.size()) + " of its " + std::to_string(pending_n_) +
                        " rows: rows were removed");
}

std::string masked_payload(std::string_view op, std::string_view payload) {
  const bool service = op == "record_service";
  if (op != "add_resident" && !service) return std::string(payload);
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(payload);
    if (!j.is_object()) return "(the payload is not a JSON object)";
    if (service) {  // a service's note is free text: a relative's phone number, an address
      if (auto it = j.find("note"); it != j.end() && it->is_string()) *it = mask_text(it->get<std::string>());
      return j.dump();
    }
    for (const char* key : {"name", "id_number"})
      if (auto it = j.find(key); it != j.end() && it->is_string())
        *it = key[0] == 'n' ? mask_name(it->get<std::string>()) : mask_id_number(it->get<std::string>());
    return j.dump();
  } catch (const nlohmann::json::exception&) {
    return "(the payload does not parse)";
  }
}

}  // namespace hotline::signing::detail
