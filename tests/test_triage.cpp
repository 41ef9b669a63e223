// Crisis triage (hotline/triage.hpp, issue 20): each kind in the ways callers
// say it, hard negatives, bad input, and recall on the held-out corpus rows.
#include "hotline/triage.hpp"

#include "hotline/error.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using hotline::crisis_kind;
using hotline::triage;
using hotline::triage_route;

namespace {

const std::string data_dir = std::string(HOTLINE_SOURCE_DIR) + "/data/triage";

void expect_kind(const char* text, crisis_kind k) {
  const auto r = triage(text);
  INFO(text, " -> ", hotline::to_string(r.kind), " ", r.confidence);
  CHECK(r.kind == k);
  CHECK(r.urgent == (k != crisis_kind::none));
  if (k != crisis_kind::none) {
    CHECK(r.confidence >= 0.5);
    CHECK(!r.evidence.empty());
  }
}

struct row {
  std::string id, split, text, crisis, line, request_type;
};

std::vector<row> read_corpus() {
  std::ifstream in(data_dir + "/corpus.tsv", std::ios::binary);
  REQUIRE(in);
  std::vector<row> rows;
  std::string ln;
  std::getline(in, ln);
  REQUIRE(ln == "id\tsplit\ttext\tcrisis\tline\trequest_type");
  while (std::getline(in, ln)) {
    if (ln.empty()) continue;
    std::vector<std::string> f;
    std::size_t b = 0;
    while (true) {
      const auto t = ln.find('\t', b);
      f.push_back(ln.substr(b, t == std::string::npos ? std::string::npos : t - b));
      if (t == std::string::npos) break;
      b = t + 1;
    }
    REQUIRE(f.size() == 6);
    rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return rows;
}

}  // namespace

TEST_CASE("suicide and self-harm, said without the word") {
  for (const char* t : {"我活着没什么意思了，不想活了", "想一了百了", "药都攒好了，今天晚上就吃", "我控制不住老是用刀片划自己",
                        "我唔想活啦", "我覺得活著一點意義都沒有", "我想自杀", "老子不想活了，活起莫得意思"})
    expect_kind(t, crisis_kind::suicide_self_harm);
  const auto r = triage("我不想活了");
  CHECK(r.route == triage_route::psychological_crisis_line);
  CHECK(r.line == "psychological-aid");
}

TEST_CASE("violence against a partner or a child") {
  for (const char* t : {"他又打我了", "隔壁孩子身上都是伤", "我老公掐我脖子", "他说要杀了我", "佢又打我"})
    expect_kind(t, crisis_kind::violence);
  CHECK(triage("他又打我了").route == triage_route::urgent_work_order);
}

TEST_CASE("medical emergencies route to 120") {
  for (const char* t : {"我爸叫不醒了", "孩子喘不上气，嘴唇发紫", "胸口压着疼，出了一身冷汗", "我爷爷摔了一跤，头上流了好多血",
                        "屋头老人家倒起了，莫得气了", "宝宝把纽扣电池吞下去了"})
    expect_kind(t, crisis_kind::medical_emergency);
  CHECK(triage("我爸叫不醒了").route == triage_route::emergency_120);
  // an overdose taken to die is suicide, but goes to 120 first
  const auto r = triage("我妹妹说不想活了，吃了好多药，现在叫不醒");
  CHECK(r.kind == crisis_kind::suicide_self_harm);
  CHECK(r.route == triage_route::emergency_120);
}

TEST_CASE("outbreaks and mass poisonings, with spoken counts") {
  for (const char* t : {"好多工人吃完午饭都吐了", "学校好几个孩子发烧出疹子", "我们厂里七八个人吃了食堂的饭都拉肚子",
                        "婚宴上吃了凉菜，亲戚拉肚子拉了二十几个", "我们公司有２０多个人同时咳嗽发烧", "學校好幾個學生發燒咳嗽"})
    expect_kind(t, crisis_kind::outbreak_mass_poisoning);
  CHECK(triage("好多工人吃完午饭都吐了").route == triage_route::cdc_emergency_report_line);
  // counts that are not crowds
  expect_kind("我家两个孩子都在出水痘，要隔离多久", crisis_kind::none);
  expect_kind("宝宝三个月了，发烧三十八度", crisis_kind::none);
}

TEST_CASE("dangerous exposures: needle-stick and animal bites") {
  expect_kind("我刚才被针扎了，病人有乙肝", crisis_kind::dangerous_exposure);
  expect_kind("我被流浪狗咬了，出血了", crisis_kind::dangerous_exposure);
  expect_kind("遭狗咬了，腿上两个牙印", crisis_kind::dangerous_exposure);
  CHECK(triage("我刚才被针扎了").line == "hiv-vct");
  CHECK(triage("我被流浪狗咬了").line == "animal-bite");
  CHECK(triage("我被流浪狗咬了").route == triage_route::urgent_work_order);
}

TEST_CASE("hard negatives") {
  for (const char* t : {"笑死我了", "饿死了，糖尿病人晚上能吃什么", "累死了天天加班", "我想问一下孩子打疫苗要带什么",
                        "请问狂犬疫苗多少钱一针", "我是护士，想问一下针刺伤的处理流程是怎样的", "如果被猫抓了一般要不要打疫苗",
                        "我不想死，我就是焦虑", "我没有想过自杀，只是最近很烦", "想死你们了", "食物中毒一般有哪些症状，怎么预防",
                        "打电话给你们好几次了", "最近工作压力大得喘不过气", "我小腿晚上老抽筋"})
    expect_kind(t, crisis_kind::none);
}

TEST_CASE("bad input: none with confidence 0, quickly") {
  const std::string big(std::size_t{1} << 20, 'a');
  std::string big_zh;
  while (big_zh.size() < (std::size_t{1} << 20)) big_zh += "今天天气很好，";
  const std::vector<std::string> bad = {"", "\xff\xfe\xfd", "\xc0\xaf", "😀😀😀🙏", "1234567890", "１２３４５", "？？？!!!", std::string(5, '\0'),
                                        "\xed\xa0\x80"};
  for (const auto& t : bad) {
    const auto r = triage(t);
    CHECK(r.kind == crisis_kind::none);
    CHECK(r.confidence == 0);
    CHECK_FALSE(r.urgent);
    CHECK(r.route == triage_route::none);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto r1 = triage(big);
  const auto r2 = triage(big_zh);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(r1.kind == crisis_kind::none);
  CHECK(r2.kind == crisis_kind::none);
  MESSAGE("two 1 MiB texts triaged in " << ms << " ms");
  CHECK(ms < 2000);  // generous for sanitizer builds; a release build takes tens of ms
  // a crisis is still read around invalid bytes
  CHECK(triage("我\xff不想活了").kind == crisis_kind::suicide_self_harm);
  CHECK(triage(big + "我不想活了").kind == crisis_kind::none);  // past max_text_bytes: not read
}

TEST_CASE("the compiled-in cues are the cue file") {
  std::ifstream in(data_dir + "/crisis_cues.json", std::ios::binary);
  REQUIRE(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  CHECK_MESSAGE(ss.str() == hotline::triage_cues::builtin_json(),
                "run tools/gen_triage_cues.py > src/triage_cues_data.cpp");
  const auto c = hotline::triage_cues::load(data_dir + "/crisis_cues.json");
  CHECK(c.kinds.size() == 5);
  CHECK(hotline::triage("他又打我了", c).kind == crisis_kind::violence);
  CHECK_THROWS_AS(hotline::triage_cues::from_json("{"), hotline::parse_error);
  CHECK_THROWS_AS(hotline::triage_cues::from_json(R"({"format":"hotline-triage-cues","kinds":[{"kind":"x"}]})"),
                  hotline::parse_error);
  CHECK_THROWS_AS(hotline::triage_cues::load(data_dir + "/missing.json"), hotline::not_found_error);
}

TEST_CASE("crisis recall on the held-out corpus rows") {
  const auto rows = read_corpus();
  REQUIRE(rows.size() >= 1500);
  const bool show_train = std::getenv("HOTLINE_TRIAGE_SHOW_TRAIN") != nullptr;
  {
    (void)triage("预热");
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t fired = 0;
    for (const auto& r : rows) fired += triage(r.text).urgent ? 1 : 0;
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE("triage: " << us / static_cast<double>(rows.size()) << " us per corpus utterance (" << fired << " urgent)");
  }
  for (const char* split : {"train", "held_out"}) {
    std::size_t tp = 0, fn = 0, fp = 0, tn = 0, kind_ok = 0;
    std::map<std::string, std::map<std::string, int>> confusion;
    for (const auto& r : rows) {
      if (r.split != split) continue;
      // the id rule of data/triage/README.md: base a multiple of 4, before the sixth set
      // (bases 4996 on), which is training rows only
      const long long base = std::stoll(r.id) / 10;
      CHECK((r.split == "held_out") == (base % 4 == 0 && base < 4996));
      const auto t = triage(r.text);
      const bool gold = r.crisis != "none", got = t.kind != crisis_kind::none;
      confusion[r.crisis][std::string(hotline::to_string(t.kind))]++;
      if (gold && got) ++tp;
      if (gold && !got) ++fn;
      if (!gold && got) ++fp;
      if (!gold && !got) ++tn;
      if (gold && r.crisis == hotline::to_string(t.kind)) ++kind_ok;
      if ((gold != got) && (std::string(split) == "held_out" || show_train))
        MESSAGE((std::string(split) + (gold ? " MISSED " : " FALSE ALARM ") + r.id + " " + r.crisis + " got " +
                std::string(hotline::to_string(t.kind)) + " " + r.text));
    }
    const double recall = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
    const double precision = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
    std::ostringstream m;
    m << split << ": crisis recall " << recall << " (" << tp << "/" << tp + fn << "), precision " << precision << " ("
      << tp << "/" << tp + fp << "), kind right on " << kind_ok << "/" << tp + fn << " crises, non-crisis rows " << tn + fp
      << "\n  confusion (gold -> triage):";
    for (const auto& [g, row] : confusion) {
      m << "\n  " << g << ":";
      for (const auto& [k, n] : row) m << " " << k << "=" << n;
    }
    MESSAGE(m.str());
    if (std::string(split) == "held_out") {
      CHECK(tp + fn >= 150);
      CHECK(recall >= 0.98);  // issue 20: crisis recall at least 0.98 on held-aside utterances
    }
  }
}
