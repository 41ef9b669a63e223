// The signing store's rows (store_codec.hpp): each call's JSON, its replay, the row hash.
#include "store_codec.hpp"

#include "hotline/detail/utf8.hpp"
#include "hotline/masking.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <climits>
#include <limits>
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

/// A whole number that fits an int: a fraction or a huge number (1e300) is refused, not
/// converted (the conversion is undefined behaviour for values beyond int).
int int_of(const json& v, const std::string& field) {
  if (!v.is_number_integer()) policy_fail("field '" + field + "' is not a whole number");
  if (v.is_number_unsigned() ? v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())
                             : (v.get<std::int64_t>() < std::numeric_limits<int>::min() ||
                                v.get<std::int64_t>() > std::numeric_limits<int>::max()))
    policy_fail("field '" + field + "' is out of range");
  return static_cast<int>(v.get<std::int64_t>());
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
  } catch (const json::exception& e) {  // a number beyond double (1e999): out_of_range
    policy_fail(std::string("the payload does not parse (") + e.what() + ")");
  }
  if (!j.is_object()) policy_fail("the payload is not an object");
  policy p;
  try {
    for (const auto& [key, v] : j.items()) {
      if (key == "name")
        p.name = v.get<std::string>();
      else if (key == "citation")
        p.citation = v.get<std::string>();
      else if (key == "terms_years") {
        if (!v.is_array()) policy_fail("field 'terms_years' is not a list");
        p.terms_years.clear();
        for (const auto& y : v) p.terms_years.push_back(int_of(y, key));
      }
      else if (key == "team_share")
        p.team_share = v.get<double>();
      else if (key == "team_share_by_district")
        p.team_share_by_district = v.get<std::map<std::string, double>>();
      else if (key == "personalised_team_share")
        p.personalised_team_share = opt_double(j, "personalised_team_share");
      else if (key == "long_prescription_min_months")
        p.long_prescription_min_months = int_of(v, key);
      else if (key == "long_prescription_max_months")
        p.long_prescription_max_months = int_of(v, key);
      else if (key == "red_visit_every_days")
        p.red_visit_every_days = int_of(v, key);
      else if (key == "yellow_visit_every_days")
        p.yellow_visit_every_days = int_of(v, key);
      else if (key == "not_served_after_days")
        p.not_served_after_days = int_of(v, key);
      else if (key == "standardised_follow_ups")
        p.standardised_follow_ups = int_of(v, key);
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
