// The signing store's rows (store_codec.hpp): each call's JSON, its replay, the row hash.
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

// ---- writing ---------------------------------------------------------------------

json_out::json_out(std::string& out, std::string_view call, std::ptrdiff_t index)
    : s_(out), call_(call), index_(index) {
  s_.push_back('{');
}

void json_out::put_key(std::string_view k) {
  if (!first_) s_.push_back(',');
  first_ = false;
  s_.push_back('"');
  s_.append(k);  // keys are this file's own ASCII names
  s_.append("\":");
}

void json_out::put_text(std::string_view key, std::string_view v) {
  if (const auto bad = ::hotline::detail::invalid_utf8_offset(v); bad != std::string_view::npos) {
    std::string where(call_);
    if (index_ >= 0) where.append(" request ").append(std::to_string(index_));
    throw invalid_argument_error(where + ": field '" + std::string(key) + "' is not valid UTF-8 (byte " +
                                 std::to_string(bad + 1) + ")");
  }
  s_.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    s_.append(v.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        s_.append("\\\"");
        break;
      case '\\':
        s_.append("\\\\");
        break;
      case '\n':
        s_.append("\\n");
        break;
      case '\t':
        s_.append("\\t");
        break;
      case '\r':
        s_.append("\\r");
        break;
      default: {
        static constexpr char hex[] = "0123456789abcdef";
        s_.append("\\u00");
        s_.push_back(hex[c >> 4]);
        s_.push_back(hex[c & 15]);
      }
    }
  }
  s_.append(v.substr(run));
  s_.push_back('"');
}

json_out& json_out::text(std::string_view key, std::string_view v) {
  put_key(key);
  put_text(key, v);
  return *this;
}

json_out& json_out::text_if(std::string_view key, std::string_view v) { return v.empty() ? *this : text(key, v); }

json_out& json_out::number(std::string_view key, std::int64_t v) {
  put_key(key);
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  s_.append(buf, r.ptr);
  return *this;
}

json_out& json_out::flag(std::string_view key, bool v) {
  put_key(key);
  s_.append(v ? "true" : "false");
  return *this;
}

json_out& json_out::date(std::string_view key, day d) {
  const date::year_month_day ymd{d};
  const int y = int(ymd.year());
  if (y < 1 || y > 9999) return number(key, hotline::day_number(d));  // outside what "YYYY-MM-DD" holds
  put_key(key);
  const unsigned m = unsigned(ymd.month()), dd = unsigned(ymd.day());
  const char buf[12] = {'"',
                        char('0' + y / 1000),
                        char('0' + y / 100 % 10),
                        char('0' + y / 10 % 10),
                        char('0' + y % 10),
                        '-',
                        char('0' + m / 10),
                        char('0' + m % 10),
                        '-',
                        char('0' + dd / 10),
                        char('0' + dd % 10),
                        '"'};
  s_.append(buf, sizeof buf);
  return *this;
}

json_out& json_out::texts(std::string_view key, const std::vector<std::string>& v) {
  put_key(key);
  s_.push_back('[');
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s_.push_back(',');
    put_text(key, v[i]);
  }
  s_.push_back(']');
  return *this;
}

json_out& json_out::triples(std::string_view key, const std::vector<std::array<std::string, 3>>& v) {
  put_key(key);
  s_.push_back('[');
  for (std::size_t i = 0; i < v.size(); ++i) {
    s_.append(i ? ",[" : "[");
    for (std::size_t k = 0; k < 3; ++k) {
      if (k) s_.push_back(',');
      put_text(key, v[i][k]);
    }
    s_.push_back(']');
  }
  s_.push_back(']');
  return *this;
}

json_out& json_out::hash(std::string_view key, const std::array<std::uint8_t, 32>& h) {
  put_key(key);
  s_.push_back('"');
  s_.append(to_hex(std::string_view(reinterpret_cast<const char*>(h.data()), h.size())));
  s_.push_back('"');
  return *this;
}

namespace {
constexpr std::string_view sex_names[] = {"unknown", "male", "female"};
}

json_out& json_out::word(std::string_view key, hotline::sex v) {
  const auto i = static_cast<std::size_t>(v);
  if (i >= std::size(sex_names)) return number(key, static_cast<std::int64_t>(i));
  put_key(key);
  s_.push_back('"');
  s_.append(sex_names[i]);
  s_.push_back('"');
  return *this;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char b : bytes) {
    const auto c = static_cast<unsigned char>(b);
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

void put(json_out& j, const resident& r) {
  j.text("id", r.id).text_if("name", r.name).text_if("id_number", r.id_number);
  if (r.birth) j.date("birth", *r.birth);
  if (r.sex != hotline::sex::unknown) j.word("sex", r.sex);
  j.text("district", r.district).text("subdistrict", r.subdistrict).text("community", r.community);
  j.flag("insured", r.insured);
}

void put(json_out& j, const institution& i) {
  j.text("code", i.code).text("name", i.name).word("kind", i.kind).text("district", i.district);
  j.text("subdistrict", i.subdistrict);
}

void put(json_out& j, const team& t) {
  j.text("code", t.code).text("institution", t.institution).text("name", t.name).flag("individual", t.individual);
}

void put(json_out& j, const staff_member& s) {
  j.text("id", s.id).text("name", s.name).text("institution", s.institution).word("qualification", s.qualification);
}

void put(json_out& j, const package& p) {
  j.text("code", p.code).text("name", p.name).word("tier", p.tier).texts("items", p.items);
  j.number("fee_fen", p.fee_fen).number("insurance_fen", p.insurance_fen);
  j.number("public_health_fen", p.public_health_fen).number("resident_fen", p.resident_fen);
}

void put(json_out& j, const sign_request& r) {
  j.text("resident", r.resident).text("team", r.team).texts("packages", r.packages).date("start", r.start);
  j.number("years", r.years).word("channel", r.channel).text_if("application", r.application).text_if("id", r.id);
}

void put(json_out& j, const application& a) {
  j.text("order", a.order).text("resident", a.resident).text("institution", a.institution);
  j.date("received", a.received).text_if("contract", a.contract);
}

void put(json_out& j, const service_record& s) {
  j.number("seq", static_cast<std::int64_t>(s.seq)).text("contract", s.contract).text("resident", s.resident);
  j.text("team", s.team).text("institution", s.institution).text("staff", s.staff).word("kind", s.kind);
  j.date("on", s.on).number("months", s.months).word("condition", s.condition).flag("stable", s.stable);
  j.word("priority", s.priority).text("counterpart", s.counterpart).text("note", s.note).hash("hash", s.hash);
}

void put(json_out& j, const survey_answer& a) {
  j.text("contract", a.contract).date("on", a.on).flag("reached", a.reached).flag("aware", a.aware);
  j.flag("satisfied", a.satisfied).flag("authentic", a.authentic);
}

void put(json_out& j, const specialist_slots& s) {
  j.text("hospital", s.hospital).text("month", s.month).number("total", s.total);
  j.number("opened_to_teams", s.opened_to_teams);
}

void put_row(json_out& j, const resident_rows& rows, std::size_t i) {
  j.text("id", rows.ids[i]).date("birth", rows.birth[i]).number("place", rows.place[i]);
  if (!rows.sex.empty()) j.word("sex", rows.sex[i]);
  if (!rows.insured.empty()) j.flag("insured", rows.insured[i] != 0);
  j.number("i", static_cast<std::int64_t>(i)).number("n", static_cast<std::int64_t>(rows.ids.size()));
  if (i == 0) j.triples("places", rows.places);
}

namespace {
void check_utf8(std::string_view call, std::string_view row, std::size_t index, std::string_view key,
                std::string_view v) {
  if (const auto bad = ::hotline::detail::invalid_utf8_offset(v); bad != std::string_view::npos)
    throw invalid_argument_error(std::string(call) + " " + std::string(row) + " " + std::to_string(index) +
                                 ": field '" + std::string(key) + "' is not valid UTF-8 (byte " +
                                 std::to_string(bad + 1) + ")");
}
}  // namespace

void check_text(const resident_rows& rows, std::string_view call) {
  for (std::size_t i = 0; i < rows.ids.size(); ++i) check_utf8(call, "row", i, "id", rows.ids[i]);
  for (std::size_t k = 0; k < rows.places.size(); ++k)
    for (const auto& part : rows.places[k]) check_utf8(call, "place", k, "places", part);
}

void check_text(const sign_request& r, std::string_view call, std::ptrdiff_t index) {
  auto check = [&](std::string_view key, std::string_view v) {
    check_utf8(call, "request", static_cast<std::size_t>(index), key, v);
  };
  check("resident", r.resident);
  check("team", r.team);
  for (const auto& p : r.packages) check("packages", p);
  check("application", r.application);
  check("id", r.id);
}

// ---- the policy ------------------------------------------------------------------

namespace {

json target_json(const coverage_target& t) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return json{{"at_least", opt(t.at_least)},
              {"points_over_previous", opt(t.points_over_previous)},
              {"points_over_previous_max", opt(t.points_over_previous_max)},
              {"source", t.source}};
}

json policy_json(const policy& p) {
  json j = json::object();
  j["name"] = p.name;
  j["citation"] = p.citation;
  j["terms_years"] = p.terms_years;
  j["team_share"] = p.team_share;
  j["team_share_by_district"] = json::object();
  for (const auto& [d, s] : p.team_share_by_district) j["team_share_by_district"][d] = s;
  j["personalised_team_share"] = p.personalised_team_share ? json(*p.personalised_team_share) : json(nullptr);
  j["long_prescription_min_months"] = p.long_prescription_min_months;
  j["long_prescription_max_months"] = p.long_prescription_max_months;
  j["red_visit_every_days"] = p.red_visit_every_days;
  j["yellow_visit_every_days"] = p.yellow_visit_every_days;
  j["not_served_after_days"] = p.not_served_after_days;
  j["standardised_follow_ups"] = p.standardised_follow_ups;
  j["overall"] = target_json(p.overall);
  j["key_populations"] = target_json(p.key_populations);
  j["per_population"] = json::object();
  for (const auto& [k, t] : p.per_population) j["per_population"][std::string(name(k))] = target_json(t);
  return j;
}

[[noreturn]] void policy_fail(const std::string& what) { throw storage_error("journal row 1 (policy): " + what); }

std::optional<double> opt_double(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) policy_fail(std::string("field '") + key + "' is not a number");
  return it->get<double>();
}

coverage_target target_of(const json& j, const std::string& field) {
  if (!j.is_object()) policy_fail("field '" + field + "' is not an object");
  coverage_target t;
  t.at_least = opt_double(j, "at_least");
  t.points_over_previous = opt_double(j, "points_over_previous");
  t.points_over_previous_max = opt_double(j, "points_over_previous_max");
  if (auto it = j.find("source"); it != j.end()) t.source = it->get<std::string>();
  return t;
}

}  // namespace

std::string encode_policy(const policy& p) {
  try {
    return policy_json(p).dump();
  } catch (const json::type_error&) {
    throw invalid_argument_error("policy: a text field is not valid UTF-8");
  }
}

policy decode_policy(std::string_view payload) {
  json j;
  try {
    j = json::parse(payload);
  } catch (const json::parse_error& e) {
    policy_fail("the payload does not parse (byte " + std::to_string(e.byte) + ")");
  }
  if (!j.is_object()) policy_fail("the payload is not an object");
  policy p;
  try {
    for (const auto& [key, v] : j.items()) {
      if (key == "name")
        p.name = v.get<std::string>();
      else if (key == "citation")
        p.citation = v.get<std::string>();
      else if (key == "terms_years")
        p.terms_years = v.get<std::vector<int>>();
      else if (key == "team_share")
        p.team_share = v.get<double>();
      else if (key == "team_share_by_district")
        p.team_share_by_district = v.get<std::map<std::string, double>>();
      else if (key == "personalised_team_share")
        p.personalised_team_share = opt_double(j, "personalised_team_share");
      else if (key == "long_prescription_min_months")
        p.long_prescription_min_months = v.get<int>();
      else if (key == "long_prescription_max_months")
        p.long_prescription_max_months = v.get<int>();
      else if (key == "red_visit_every_days")
        p.red_visit_every_days = v.get<int>();
      else if (key == "yellow_visit_every_days")
        p.yellow_visit_every_days = v.get<int>();
      else if (key == "not_served_after_days")
        p.not_served_after_days = v.get<int>();
      else if (key == "standardised_follow_ups")
        p.standardised_follow_ups = v.get<int>();
      else if (key == "overall")
        p.overall = target_of(v, key);
      else if (key == "key_populations")
        p.key_populations = target_of(v, key);
      else if (key == "per_population") {
        if (!v.is_object()) policy_fail("field 'per_population' is not an object");
        for (const auto& [k, t] : v.items()) {
          key_population kp{};
          try {
            kp = parse<key_population>(k, "per_population");
          } catch (const invalid_argument_error& e) {
            policy_fail(e.what());
          }
          p.per_population[kp] = target_of(t, "per_population." + k);
        }
      } else {
        policy_fail("field '" + key + "' is unknown to this library");
      }
    }
  } catch (const json::exception&) {
    policy_fail("a field has the wrong type");
  }
  if (p.name.empty()) policy_fail("the policy has no name");
  try {
    p.check();
  } catch (const invalid_argument_error& e) {
    policy_fail(e.what());
  }
  return p;
}

std::string policy_difference(const policy& a, const policy& b) {
  const json ja = policy_json(a), jb = policy_json(b);
  for (const auto& [key, v] : ja.items())
    if (!jb.contains(key) || jb[key] != v) return key;
  return {};
}

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
  if (op != "add_resident") return std::string(payload);
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(payload);
    if (!j.is_object()) return "(the payload is not a JSON object)";
    for (const char* key : {"name", "id_number"})
      if (auto it = j.find(key); it != j.end() && it->is_string())
        *it = key[0] == 'n' ? mask_name(it->get<std::string>()) : mask_id_number(it->get<std::string>());
    return j.dump();
  } catch (const nlohmann::json::exception&) {
    return "(the payload does not parse)";
  }
}

// ---- the chain -------------------------------------------------------------------------

::hotline::detail::sha256_digest row_hash(std::string_view prev, std::uint64_t seq, std::string_view at,
                                          std::string_view by, std::string_view op, std::string_view payload) noexcept {
  char s[8], la[4], lb[4], lo[4];
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(seq >> (56 - 8 * i));
  auto len = [](char* out, std::size_t n) {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(static_cast<std::uint32_t>(n) >> (24 - 8 * i));
  };
  len(la, at.size());
  len(lb, by.size());
  len(lo, op.size());
  return ::hotline::detail::sha256({prev, std::string_view(s, 8), std::string_view(la, 4), at, std::string_view(lb, 4),
                                    by, std::string_view(lo, 4), op, payload});
}

}  // namespace hotline::signing::detail
