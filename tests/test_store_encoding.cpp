// The store's bytes: SHA-256 and the block events' hashes, the compact encodings of
// changes, clocks, words and creates, and the projection's remainder, each giving back
// exactly what it was given.
#include "hotline/store.hpp"
#include "hotline/calendar.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

#include "../src/store_codec.hpp"
#include "../src/store_sha256.hpp"
#include "../src/work_order_fields.hpp"

#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

using namespace hotline;
using namespace hotline::test::store_cases;
namespace fs = std::filesystem;

namespace {

std::string hex(const detail::sha256_digest& d) {
  std::string s;
  char b[3];
  for (auto x : d) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

}  // namespace

TEST_CASE("sha256 known answers (FIPS 180-4 examples)") {
  CHECK(hex(detail::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(detail::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(detail::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(detail::sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(hex(detail::sha256("ab", "c")) == hex(detail::sha256("abc")));
  // In pieces: every split of a 200-byte message into three, across block boundaries.
  std::string m;
  for (int i = 0; i < 200; ++i) m.push_back(static_cast<char>('a' + i % 26));
  const std::string_view v(m);
  const auto whole = hex(detail::sha256(v));
  for (std::size_t i = 0; i <= v.size(); i += 7)
    for (std::size_t j = i; j <= v.size(); j += 11)
      CHECK(hex(detail::sha256({v.substr(0, i), v.substr(i, j - i), v.substr(j)})) == whole);
}

TEST_CASE("a block event's hash is SHA-256 of the previous hash and its canonical bytes, however long") {
  std::mt19937_64 rng(7);
  std::string prev(32, '\0'), canonical, bytes;
  for (int t = 0; t < 500; ++t) {
    bytes.assign(rng() % 300, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    const auto id = static_cast<std::int64_t>(rng() >> (rng() % 64));
    const auto order_id = t % 2 ? -static_cast<std::int64_t>(rng() >> 1) - 1 : static_cast<std::int64_t>(rng() % 1000);
    const auto seq = static_cast<std::int64_t>(rng() % 100);
    detail::block_canonical(id, order_id, seq, bytes, canonical);
    CHECK(canonical == std::to_string(id) + ";" + std::to_string(order_id) + ";" + std::to_string(seq) + ";" +
                           std::to_string(bytes.size()) + ":" + bytes + ";");
    const auto d = detail::block_event_hash(prev, id, order_id, seq, bytes);
    CHECK(hex(d) == hex(detail::sha256(prev, canonical)));
    prev.assign(reinterpret_cast<const char*>(d.data()), d.size());
  }
  // The longest numbers there are.
  const auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  detail::block_canonical(lo, hi, lo, "x", canonical);
  CHECK(hex(detail::block_event_hash(prev, lo, hi, lo, "x")) == hex(detail::sha256(prev, canonical)));
}

TEST_CASE("compact changes give back the exact text") {
  const auto dir = fresh_dir("compact");
  const auto file = dir / "h.db";
  std::string number;
  std::vector<work_order> before;
  {
    store db(file);
    seed_units(db);
    auto wo = db.create(intake(), agent);
    number = wo.number;
    // Values that look like numbers or clocks but are not canonical stay text.
    const std::vector<std::pair<std::string, std::string>> tricky = {
        {"content", "a 1 - 2 3"},  {"caller_name", "0012"}, {"address", "-0"},
        {"respondent", "x 01 - - -"}, {"topic", "-"},        {"sub_topic", "9223372036854775807"},
        {"call_ref", "-12"},       {"complaint_subject", "b - - - - -"}, {"kb_entries", "c 1 2 3 -5"}};
    auto a = cmd(action::amend, agent, "2025-03-03T10:05:00+08:00");
    a.amendments = tricky;
    db.apply(number, a);
    const auto evs = db.events(number, true);
    REQUIRE(evs.size() == 2);
    std::map<std::string, std::string> after;
    for (const auto& c : evs[1].changes) after[c.field] = c.after;
    for (const auto& [k, v] : tricky) CHECK(after[k] == v);
    before = db.orders(order_query{}.revealed());
    CHECK(db.rebuild_projection() == 1);
    CHECK(db.orders(order_query{}.revealed()) == before);
    CHECK(db.verify().ok);
  }
}

TEST_CASE("a clock's change given as values is encoded to the bytes of its texts") {
  // The store hands apply_in_place's clock changes to the encoder as values; the bytes
  // must be those of the texts (detail::clock_text), which a replay and verify() read.
  std::mt19937_64 rng(7);
  auto some_instant = [&]() -> std::optional<instant> {
    switch (rng() % 4) {
      case 0: return std::nullopt;
      case 1: return instant{seconds{1741000000 + std::int64_t(rng() % 4000000) - 2000000}};
      case 2: return instant{seconds{(std::int64_t{1} << 41) + std::int64_t(rng() % 1000)}};  // offset too large: as text
      default: return instant{seconds{-std::int64_t(rng() % 100000)}};
    }
  };
  auto some_clock = [&] {
    order_clock c;
    c.outcome = static_cast<clock_outcome>(rng() % 6);
    c.start = some_instant();
    c.due = some_instant();
    c.warn = some_instant();
    c.stopped = some_instant();
    return c;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<field_change> as_text, as_values;
    std::vector<detail::clock_change> clocks;
    const int n = static_cast<int>(rng() % 5) + 1;
    for (int i = 0; i < n; ++i) {
      if (rng() % 3 == 0) {
        const field_change plain{"content", std::to_string(rng() % 100), "第" + std::to_string(rng() % 100) + "条"};
        as_text.push_back(plain);
        as_values.push_back(plain);
        continue;
      }
      const auto kind = static_cast<clock_kind>(rng() % clock_count);
      const auto before = rng() % 4 ? some_clock() : order_clock{}, after = some_clock();
      const std::string name = std::string(to_string(kind)) + "_clock";
      as_text.push_back({name, detail::clock_text(before), detail::clock_text(after)});
      clocks.push_back({as_values.size(), kind, before, after});
      as_values.push_back({name, {}, {}});
    }
    const std::int64_t at_s = 1741000000 + std::int64_t(rng() % 1000);
    std::string from_text, from_values;
    detail::encode_changes_v2(from_text, as_text, at_s);
    detail::encode_changes_v2(from_values, as_values, at_s, &clocks);
    REQUIRE(from_values == from_text);
    std::vector<field_change> back;
    detail::decode_changes_v2(from_values, at_s, back);
    CHECK(back == as_text);
  }
}

TEST_CASE("the words of actions, roles and states have codes, the bytes put_word writes") {
  auto byte_of = [](detail::vocab v, std::string_view name) {
    std::string out;
    detail::put_word(out, v, name);
    REQUIRE(out.size() == 1);  // every name is in its frozen vocabulary
    return static_cast<std::uint8_t>(out[0]);
  };
  for (std::size_t i = 0; i < action_count; ++i) {
    const auto a = static_cast<action>(i);
    CHECK(detail::word_code(a) == byte_of(detail::vocab::action, to_string(a)));
  }
  for (std::size_t i = 0; i < role_count; ++i) {
    const auto r = static_cast<role>(i);
    CHECK(detail::word_code(r) == byte_of(detail::vocab::role, to_string(r)));
  }
  for (std::size_t i = 0; i < order_state_count; ++i) {
    const auto st = static_cast<order_state>(i);
    CHECK(detail::word_code(st) == byte_of(detail::vocab::state, to_string(st)));
  }
}

TEST_CASE("a create's changes encoded from the order are the bytes of its list of changes") {
  // The store encodes a create straight from the new order (encode_created_v2); a
  // replay, verify() and events() read those bytes as the changes create() lists.
  for (std::size_t k = 0; k < clock_count; ++k)
    CHECK(detail::clock_change_names[k] == std::string(to_string(static_cast<clock_kind>(k))) + "_clock");
  calendar_deadlines deadlines(calendar::china());
  std::mt19937_64 rng(11);
  const std::vector<std::string> texts = {"",           "0",         "12",     "-7",       "01",     "running",
                                          "met",        "phone",     "12320",  "越秀区",   "x y z",  "met 1 2 3 4",
                                          "13812341234", "9223372036854775807", "内容'; DROP TABLE orders; --"};
  auto text = [&] { return texts[rng() % texts.size()]; };
  for (int round = 0; round < 1000; ++round) {
    work_order w;
    w.call_ref = text();
    w.line = text();
    w.channel = static_cast<channel>(rng() % 4);
    w.ivr_key = static_cast<int>(rng() % 21) - 10;
    w.received_at = instant{seconds{1741000000 + std::int64_t(rng() % 30000000)}};
    w.agent = text();
    w.caller_name = text();
    w.caller_sex = static_cast<sex>(rng() % 3);
    w.anonymous = rng() % 2;
    w.confidential = rng() % 2;
    w.caller_phone = text();
    w.callback_phone = text();
    w.district = text();
    w.address = text();
    w.request_type = static_cast<request_type>(rng() % 7);
    w.topic = text();
    w.complaint_subject = text();
    w.content = "第" + std::to_string(round) + "条：" + text();
    w.urgency = static_cast<urgency>(rng() % 2);
    w.complex = rng() % 2;
    w.respondent = text();
    w.kb_entries = text();
    w.feedback_route = static_cast<feedback_route>(rng() % 3);
    w.review_opinion = text();
    const auto number = "2025-" + std::to_string(round);
    const auto listed = detail::create_numbered(w, number, agent, rng() % 2, deadlines);
    const auto made = detail::created_order(w, number, agent, false, deadlines);
    const std::int64_t t = w.received_at.time_since_epoch().count();
    std::string from_list, from_order;
    detail::encode_changes_v2(from_list, listed.changes, t);
    detail::encode_created_v2(from_order, listed.order, t);
    REQUIRE(from_order == from_list);
    CHECK(made.content == listed.order.content);
    std::vector<field_change> back;
    detail::decode_changes_v2(from_order, t, back);
    CHECK(back == listed.changes);
  }
}

TEST_CASE("the compact encodings give back exactly what they were given") {
  std::mt19937_64 rng(42);
  const std::vector<std::string> pieces = {"",         "0",       "-0",     "1",        "-",      "01",      "running",
                                           "met",      " ",       "1741000000", "-1741000000", "9223372036854775807",
                                           "phone",    "satisfied", "x",     "12320",    "中文",    "\"",      "--"};
  for (int round = 0; round < 3000; ++round) {
    std::vector<field_change> ch;
    const int n = static_cast<int>(rng() % 4) + 1;
    for (int i = 0; i < n; ++i) {
      auto value = [&] {
        std::string v;
        const int parts = static_cast<int>(rng() % 6);
        for (int p = 0; p < parts; ++p) {
          if (p) v += rng() % 5 ? " " : "";
          v += pieces[rng() % pieces.size()];
        }
        if (rng() % 3 == 0) {  // a clock-shaped value
          v = pieces[rng() % pieces.size()];
          for (int p = 0; p < 4; ++p) v += " " + (rng() % 3 ? std::to_string(1741000000 + std::int64_t(rng() % 2000000) - 1000000) : "-");
        }
        return v;
      };
      const char* fields[] = {"content", "transfer_clock", "reply_clock", "some_new_field", "dispatched_at", "number"};
      ch.push_back({fields[rng() % 6], value(), value()});
    }
    const std::int64_t at_s = 1741000000 + std::int64_t(rng() % 1000);
    std::string bytes;
    detail::encode_changes_v2(bytes, ch, at_s);
    std::vector<field_change> back;
    detail::decode_changes_v2(bytes, at_s, back);
    REQUIRE(back.size() == ch.size());
    for (std::size_t i = 0; i < ch.size(); ++i) {
      CHECK(back[i].field == ch[i].field);
      CHECK(back[i].before == ch[i].before);
      CHECK(back[i].after == ch[i].after);
    }
    std::string v1;
    detail::encode_changes_v1(v1, ch);
    const auto back1 = detail::parse_changes(v1);
    REQUIRE(back1.size() == ch.size());
    for (std::size_t i = 0; i < ch.size(); ++i) CHECK(back1[i].after == ch[i].after);
  }
  // The projection's remainder: every field set to something other than its default.
  work_order o;
  o.call_ref = "R1";
  o.line = "";
  o.channel = channel::wechat;
  o.ivr_key = -3;
  o.agent = "A1";
  o.caller_sex = sex::female;
  o.anonymous = o.confidential = o.complex = o.resolved = o.warning = o.overdue = o.extension_pending = true;
  o.callback_phone = "139";
  o.caller_id_number = "110101199001011234";
  o.sub_district = "街";
  o.address = "路 1 号";
  o.content = "内容";
  o.urgency = urgency::urgent;
  o.respondent = "某人";
  o.kb_entries = "K1,K2";
  o.answer = "答";
  o.feedback_route = feedback_route::centre_replies;
  o.review_opinion = "意见";
  o.co_units = "A,B";
  o.liaison = "联";
  o.dispatch_means = transfer_means::fax;
  o.signed_at = at("2025-03-03T12:00:00+08:00");
  o.finding = finding::partly_true;
  o.reply_text = "回复";
  o.replied_at = at("1969-12-31T23:00:00+08:00");
  o.reply_means = transfer_means::email;
  o.called_back_at = at("2025-03-05T10:00:00+08:00");
  o.call_back_means = transfer_means::letter;
  o.merged_into = "M";
  o.split_from = "S";
  o.related = "X,Y";
  o.return_reason = "不属于本单位";
  for (auto& c : o.clocks) {
    c.start = at("2025-03-03T10:00:00+08:00");
    c.stopped = at("2025-03-04T10:00:00+08:00");
  }
  std::string rest;
  detail::encode_rest(o, rest);
  work_order back;
  detail::decode_rest(rest, back);
  // The columns are not in the remainder: copy them over, then compare whole.
  std::size_t pos = 0;
  work_order expected = o;
  detail::for_each_field(expected, [&](const char*, auto& v, detail::personal) {
    using T = std::decay_t<decltype(v)>;
    if (detail::is_projection_column(pos++)) v = T{};
  });
  pos = 0;
  detail::for_each_field(back, [&](const char*, auto& v, detail::personal) {
    using T = std::decay_t<decltype(v)>;
    if (detail::is_projection_column(pos++)) v = T{};
  });
  CHECK(back == expected);
  detail::encode_rest(work_order{}, rest);
  CHECK(rest.empty());
}
