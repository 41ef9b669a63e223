// Resident identity numbers (GB 11643-1999): check characters, reading, errors, ages.
// Expected check characters come from the standard's worked example, from numbers
// computed outside this code (Python, below), and from a second method in this
// file (weights 2^(17-i) mod 11 and the rule "sum of all 18 weighted ≡ 1 mod 11"),
// never from the table under test.
#include "hotline/masking.hpp"
#include "hotline/resident_id.hpp"
#include "test_support.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

using namespace hotline;

// GB 11643-1999 annex: 11010519491231002 -> X.
static_assert(id_check_character("11010519491231002") == 'X');
static_assert(id_check_character("44010619900307123") == '1');
static_assert(id_check_character("1101051949123100") == '\0');   // 16 digits: precondition broken
static_assert(id_check_character("1101051949123100A") == '\0');  // a non-digit
static_assert(is_province_code(11) && is_province_code(46) && is_province_code(71) && is_province_code(83));
static_assert(!is_province_code(10) && !is_province_code(16) && !is_province_code(47) && !is_province_code(72) &&
              !is_province_code(84) && !is_province_code(91));
static_assert(std::is_copy_constructible_v<id_number_facts> && std::is_nothrow_move_constructible_v<id_number_facts>);
static_assert(std::is_same_v<decltype(id_number_facts::birth), day>);

namespace {

/// The check character by ISO 7064 MOD 11-2 as the standard states it: with
/// W_i = 2^(18-i) mod 11 for positions i = 1..18 (the check character's weight is
/// 1), the check value a (X = 10) is the one making the weighted sum ≡ 1 (mod 11).
char reference_check(std::string_view first17) {
  int sum = 0;
  for (int i = 1; i <= 17; ++i) {
    int w = 1;
    for (int k = 0; k < 18 - i; ++k) w = (w * 2) % 11;
    sum += (first17[static_cast<std::size_t>(i - 1)] - '0') * w;
  }
  for (int a = 0; a <= 10; ++a)
    if ((sum + a) % 11 == 1) return a == 10 ? 'X' : static_cast<char>('0' + a);
  return '?';
}

std::string read_error(std::string_view text, std::string_view where = "resident R17 id_number") {
  return test::error_of([&] { (void)read_id_number(text, where); });
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the standard's worked example 11010519491231002X") {
  const id_number_facts f = read_id_number("11010519491231002X", "example");
  CHECK(f.number == "11010519491231002X");
  CHECK(f.region_code == "110105");
  CHECK(f.birth == make_day(1949, 12, 31));
  CHECK(f.sex == sex::female);  // sequence 002: even
  CHECK_FALSE(f.was_15_digit);
  CHECK(reference_check("11010519491231002") == 'X');
  CHECK(try_read_id_number("11010519491231002X") == f);
}

TEST_CASE("check characters agree with numbers computed outside the library") {
  // Computed with Python: sum(d * pow(2, 17 - i, 11)), then a with (sum + a) % 11 == 1.
  struct row {
    const char* number;
    int y;
    unsigned m, d;
    sex s;
  };
  const std::array<row, 9> rows{{
      {"440106199003071231", 1990, 3, 7, sex::male},
      {"310115198511204566", 1985, 11, 20, sex::female},
      {"65010220000229001X", 2000, 2, 29, sex::male},  // 2000 is a leap year (divisible by 400)
      {"510107197001010000", 1970, 1, 1, sex::female},
      {"350203199912319980", 1999, 12, 31, sex::female},  // sequence 998: even
      {"810000199506150017", 1995, 6, 15, sex::male},     // Hong Kong residence permit
      {"830000198808080025", 1988, 8, 8, sex::female},    // Taiwan residence permit (since 2018)
      {"34052419800101001X", 1980, 1, 1, sex::male},
      {"110101200001010010", 2000, 1, 1, sex::male},
  }};
  for (const row& r : rows) {
    const std::string_view n = r.number;
    CAPTURE(n);
    CHECK(id_check_character(n.substr(0, 17)) == n[17]);
    CHECK(reference_check(n.substr(0, 17)) == n[17]);
    const auto f = try_read_id_number(n);
    REQUIRE(f.has_value());
    CHECK(f->number == n);
    CHECK(f->region_code == n.substr(0, 6));
    CHECK(f->birth == make_day(r.y, r.m, r.d));
    CHECK(f->sex == r.s);
  }
}

TEST_CASE("the table and the 2^(17-i) method agree on many prefixes, all eleven check values seen") {
  std::uint32_t state = 12345;
  std::array<int, 11> seen{};
  for (int k = 0; k < 2000; ++k) {
    std::string p(17, '0');
    for (char& c : p) {
      state = state * 1664525u + 1013904223u;
      c = static_cast<char>('0' + (state >> 24) % 10);
    }
    const char c = id_check_character(p);
    REQUIRE(c == reference_check(p));
    ++seen[static_cast<std::size_t>(c == 'X' ? 10 : c - '0')];
  }
  for (int n : seen) CHECK(n > 0);
}

TEST_CASE("a lower-case x is read as X") {
  const auto f = try_read_id_number("11010519491231002x");
  REQUIRE(f.has_value());
  CHECK(f->number == "11010519491231002X");
  CHECK(read_id_number("34052419800101001x", "r").number == "34052419800101001X");
  CHECK(upgrade_to_18("65010220000229001x", "r") == "65010220000229001X");
}

TEST_CASE("15-digit first-generation numbers: read as 19YY and upgraded") {
  const id_number_facts f = read_id_number("440106900307123", "old card");
  CHECK(f.number == "440106199003071231");  // check '1' computed in Python
  CHECK(f.region_code == "440106");
  CHECK(f.birth == make_day(1990, 3, 7));
  CHECK(f.sex == sex::male);
  CHECK(f.was_15_digit);

  CHECK(upgrade_to_18("110105491231002", "r") == "11010519491231002X");
  CHECK(upgrade_to_18("320102800101003", "r") == "320102198001010032");
  CHECK(read_id_number("320102800101003", "r").sex == sex::male);
  CHECK(read_id_number("110105491231002", "r").birth == make_day(1949, 12, 31));
  // Upgrading is idempotent: an 18-character number comes back normalised.
  CHECK(upgrade_to_18("440106199003071231", "r") == "440106199003071231");
  // 15 digits carry no check character, so only the date and region can be wrong.
  CHECK(contains(test::error_of([] { (void)upgrade_to_18("110105490231002", "import line 4"); }),
                 "import line 4: birth date 1949-02-31 does not exist"));
  CHECK_FALSE(try_read_id_number("110105490231002").has_value());
}

TEST_CASE("every defect: the message names where, says what, and shows the number masked") {
  struct row {
    const char* text;
    const char* reason;
  };
  const std::array<row, 17> rows{{
      {"11010519491231002", "wrong length 17 "},
      {"11010519491231002X1", "wrong length 19 "},
      {"1101054912310", "wrong length 13 "},
      {"110105A9491231002X", "non-digit at position 7"},
      {"11010519491231-02X", "non-digit at position 15"},
      {"11010549123100X", "non-digit at position 15"},  // 15 digits have no check character
      {"X1010519491231002X", "non-digit at position 1"},
      {"110105194912310020 ", "wrong length 19 "},  // spaces are not trimmed
      {"11010519491231002Y", "neither a digit nor X at position 18"},
      {"11010519491231002Ｘ", "neither a digit nor X at position 18"},  // full-width Ｘ
      {"１1010519491231002X", "non-digit at position 1"},               // full-width １
      {"120101111119\xa0" "121", "non-digit at position 13"},  // a stray UTF-8 byte (found by fuzzing)
      {"991051949123100211", "address code starts with 99, not a province-level code"},
      {"110105199002300011", "birth date 1990-02-30 does not exist"},
      {"110105190002290011", "birth date 1900-02-29 does not exist"},  // 1900: divisible by 100, not 400
      {"110105189912310011", "birth year 1899 is before 1900"},
      {"110105194912310021", "wrong check character: got '1', expected 'X'"},
  }};
  for (const row& r : rows) {
    const std::string text = r.text;
    CAPTURE(text);
    const std::string msg = read_error(r.text);
    CHECK(contains(msg, std::string("resident R17 id_number: ") + r.reason));
    CHECK(contains(msg, "(" + mask_id_number(r.text) + ")"));
    CHECK_FALSE(contains(msg, r.text));
    CHECK_FALSE(try_read_id_number(r.text).has_value());
  }
  // Spot checks of the masked form itself, not recomputed by mask_id_number.
  CHECK(contains(read_error("110105194912310021"), "(110105********0021)"));
  CHECK(contains(read_error("110105199002300011"), "(110105********0011)"));
  CHECK(contains(read_error("11010519491231002"), "(110105*******1002)"));
  CHECK(read_error("110105900230001") ==
        "resident R17 id_number: birth date 1990-02-30 does not exist (110105*****0001)");
  CHECK(read_error("13012345678") ==
        "resident R17 id_number: wrong length 11 (an identity number has 18 characters, or 15 digits) (130****5678)");
  CHECK(read_error("") ==
        "resident R17 id_number: wrong length 0 (an identity number has 18 characters, or 15 digits) ()");
  CHECK(contains(read_error("1101051949123", ""), "id_number: wrong length 13"));  // no `where`: the field's name

  // The error is an invalid_argument_error.
  CHECK_THROWS_AS((void)read_id_number("110105194912310021", "r"), invalid_argument_error);
  try {
    (void)read_id_number("110105194912310021", "r");
  } catch (const error& e) {
    CHECK(e.code() == errc::invalid_argument);
  }
}

TEST_CASE("province-level codes: residence permits 81, 82, 83 accepted, gaps refused") {
  // 82: Macao; check character computed by the reference method.
  std::string macao = "82000019900101002";
  macao.push_back(reference_check(macao));
  CHECK(try_read_id_number(macao).has_value());
  std::string taiwan_gbt = "71000019900101002";  // GB/T 2260's code for Taiwan
  taiwan_gbt.push_back(reference_check(taiwan_gbt));
  CHECK(try_read_id_number(taiwan_gbt).has_value());
  for (const char* p :
       {"10", "16", "20", "24", "30", "38", "40", "47", "49", "55", "60", "66", "70", "72", "80", "84", "91"}) {
    const std::string code = p;
    CAPTURE(code);
    std::string n = std::string(p) + "000019900101002";
    n.push_back(reference_check(n));
    CHECK(contains(read_error(n), std::string("address code starts with ") + p));
  }
}

TEST_CASE("age_on counts completed years; 29 February is reached on 1 March in common years") {
  const day b = make_day(1990, 3, 7);
  CHECK(age_on(b, b) == 0);
  CHECK(age_on(b, make_day(2025, 3, 6)) == 34);  // the day before the birthday
  CHECK(age_on(b, make_day(2025, 3, 7)) == 35);  // the birthday itself
  CHECK(age_on(b, make_day(2025, 12, 31)) == 35);
  CHECK(age_on(make_day(1949, 12, 31), make_day(2025, 1, 1)) == 75);

  const day leap = make_day(2000, 2, 29);
  CHECK(age_on(leap, make_day(2025, 2, 28)) == 24);  // common year: not yet
  CHECK(age_on(leap, make_day(2025, 3, 1)) == 25);   // common year: reached on 1 March
  CHECK(age_on(leap, make_day(2024, 2, 28)) == 23);  // leap year: not yet
  CHECK(age_on(leap, make_day(2024, 2, 29)) == 24);  // leap year: reached on the day
  CHECK(age_on(leap, make_day(2001, 2, 28)) == 0);
  CHECK(age_on(leap, make_day(2001, 3, 1)) == 1);

  CHECK_THROWS_AS((void)age_on(make_day(2025, 1, 2), make_day(2025, 1, 1)), invalid_argument_error);
  const std::string msg = test::error_of([] { (void)age_on(make_day(1990, 3, 7), make_day(1990, 3, 6)); });
  CHECK(contains(msg, "birth date is after"));
  CHECK_FALSE(contains(msg, "1990-03-07"));  // a birth date is personal data
}
