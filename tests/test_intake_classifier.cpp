// The intake of issue 20 (hotline/intake_classifier.hpp, knowledge_base::classify):
// the learned service line and request type, calibration, out of scope only on
// evidence, crises first, bad input, and the corpus reader's errors.
#include "hotline/intake_classifier.hpp"
#include "hotline/intake_prefill.hpp"
#include "hotline/knowledge.hpp"
#include "hotline/triage.hpp"
#include "hotline/store.hpp"
#include "store_test_support.hpp"

#include "hotline/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using hotline::intake_classifier;
using hotline::knowledge_base;
using hotline::labelled_utterance;

namespace {

const std::vector<labelled_utterance>& corpus() {
  static const auto rows = hotline::read_labelled_utterances(intake_classifier::builtin_corpus(), "corpus");
  return rows;
}

// A training row of the small corpora the option tests build.
labelled_utterance utterance(const char* text, const char* line, const char* request_type, std::uint64_t group) {
  labelled_utterance u;
  u.text = text;
  u.line = line;
  u.request_type = request_type;
  u.group = group;
  return u;
}

std::string label_of(const hotline::line_guess& g) { return g.line == "out-of-scope" ? g.topic : g.line; }

bool throws_parse_error_naming(const std::string& tsv, const std::string& needle) {
  try {
    (void)hotline::read_labelled_utterances(tsv, "t.tsv");
  } catch (const hotline::parse_error& e) {
    INFO(e.what());
    return std::string(e.what()).find(needle) != std::string::npos;
  }
  return false;
}

}  // namespace

TEST_CASE("the issue's callers reach the right line (issue 20, Why)") {
  const knowledge_base kb;
  auto g = kb.classify("我活着没什么意思了，不想活了");
  CHECK(g.triage.kind == hotline::crisis_kind::suicide_self_harm);
  CHECK(g.line == "psychological-aid");
  g = kb.classify("工地食堂吃完午饭很多工人中毒了");
  CHECK(g.triage.kind == hotline::crisis_kind::outbreak_mass_poisoning);  // route 120 too: poisoning is life first
  CHECK(g.line == "public-health-emergency");
  CHECK(kb.classify("医院收费太乱了，一个普通感冒收了我八百多，还不给清单").line == "medical-service-complaint");
  g = kb.classify("我们小区门口的诊所好像没有执照，天天给人打吊针");
  CHECK(g.line == "health-supervision");
  CHECK(g.request_type == "report");
}

TEST_CASE("a cautious emergency or outbreak flag keeps its route; the model's line owns the call") {
  // Triage flags 心梗 with recall first; the caller asks about a family doctor's
  // follow-up a year later.  The route (120) and `urgent` stand, so the agent sees
  // the flag; the line is the one the model gives, not "go to 120".
  const knowledge_base kb;
  auto g = kb.classify("我妈去年心梗放过支架，现在签了家庭医生，想问问随访多久来一次");
  CHECK(g.triage.kind == hotline::crisis_kind::medical_emergency);
  CHECK(g.triage.urgent);
  CHECK(g.line == "family-doctor");
  // A real emergency: the model agrees with triage, and the crisis decides the line.
  g = kb.classify("我爸突然倒在地上叫不醒了，嘴唇都紫了");
  CHECK(g.triage.kind == hotline::crisis_kind::medical_emergency);
  CHECK(g.line == "out-of-scope");
  CHECK(g.topic == "medical-emergency");
  // An outbreak flag gives way only when the model all but rules its line out (below 0.1):
  // 住院 with 好几个 flags a possible outbreak, the caller asks about work-injury rules.
  g = kb.classify("我们单位好几个同事住院了，工伤怎么认定");
  CHECK(g.triage.kind == hotline::crisis_kind::outbreak_mass_poisoning);
  CHECK(g.triage.urgent);
  CHECK(g.triage.route == hotline::triage_route::cdc_emergency_report_line);
  CHECK(g.line == "out-of-scope");
  CHECK(g.topic == "social-security");
  // The canteen call keeps its line although the model prefers health-knowledge (its
  // food and poisoning words): against health-knowledge, health-supervision and unsure an
  // outbreak flag keeps its line whatever the model gives.
  const auto canteen = hotline::intake_classifier::builtin().classify("工地食堂吃完午饭很多工人中毒了");
  CHECK(canteen.lines[0].label == "health-knowledge");
  CHECK(kb.classify("工地食堂吃完午饭很多工人中毒了").line == "public-health-emergency");
  // Suicide is never overridden, whatever the model says.
  g = kb.classify("家庭医生你好，我不想活了，药都攒好了");
  CHECK(g.triage.kind == hotline::crisis_kind::suicide_self_harm);
  CHECK(g.line == "psychological-aid");
}

TEST_CASE("a crisis is routed, never answered from the base alone") {
  const knowledge_base kb;
  const auto d = kb.answer("我吃了一整瓶安眠药");
  CHECK(d.line.triage.urgent);
  CHECK_FALSE(d.answer_now);
  CHECK_FALSE(d.line.cues.empty());
}

TEST_CASE("a pre-filled order: the request type, the line, and a crisis through on_urgent (000 art. 10)") {
  const knowledge_base kb;
  hotline::store db(hotline::test::fresh_db("intake-prefill"));
  hotline::test::seed_units(db);
  std::vector<std::string> urgent;
  db.on_urgent([&](const hotline::work_order& o) { urgent.push_back(o.topic); });
  const hotline::actor agent{"A017", hotline::role::agent, {}};
  auto draft = [&](const std::string& words) {
    hotline::work_order w;
    w.received_at = hotline::parse_instant("2026-12-07T10:00:00+08:00");
    w.caller_phone = "13812341234";
    hotline::prefill(w, kb.classify(words), words);
    return w;
  };
  auto w = draft("医院收费太乱了，一个普通感冒收了我八百多，还不给清单");
  CHECK(w.request_type == hotline::request_type::complaint);
  CHECK(w.topic == "medical-service-complaint");
  CHECK_FALSE(w.urgent());
  (void)db.create(w, agent);
  CHECK(urgent.empty());
  w = draft("我老公又打我了，孩子也被他打，我现在躲在厕所里");
  CHECK(w.urgent());
  CHECK(w.content.find("躲在厕所") != std::string::npos);
  const auto o = db.create(w, agent);
  REQUIRE(urgent.size() == 1);
  CHECK(urgent[0] == o.topic);
  // Unreadable words leave the agent's choices alone.
  hotline::work_order keep;
  keep.request_type = hotline::request_type::suggestion;
  keep.topic = "appointment";
  hotline::prefill(keep, kb.classify("？？？"), "？？？");
  CHECK(keep.request_type == hotline::request_type::suggestion);
  CHECK(keep.topic == "appointment");
}

TEST_CASE("out of scope only on evidence of the other channel (issue 20 §3)") {
  const knowledge_base kb;
  // The old cue classifier sent these away; nothing here names another channel.
  for (const char* text : {"今天天气怎么样", "你好，我想问一下", "就是那个，上次说的那个事，怎么样了"}) {
    const auto g = kb.classify(text);
    INFO(text, " -> ", g.line, " ", g.topic);
    CHECK(g.line != "out-of-scope");
  }
  const auto o = kb.classify("医保报销比例是多少");
  CHECK(o.line == "out-of-scope");
  CHECK(o.topic == "medical-insurance");
  CHECK(o.channel.find("12393") != std::string::npos);
  // Every out-of-scope verdict on the held-out rows names its evidence, found in the text
  // (a crisis's cue, the centre's cue word, or a lexicon word of that channel).
  std::size_t said = 0;
  for (const auto& r : corpus()) {
    if (!r.held_out) continue;
    const auto g = kb.classify(r.text);
    if (g.line != "out-of-scope" || g.triage.urgent) continue;
    ++said;
    INFO(r.text);
    REQUIRE_FALSE(g.cues.empty());
    const auto normalised = kb.normalize(r.text);
    for (const auto& c : g.cues) {
      const auto nc = kb.normalize(c);
      bool found = false;
      // normalize() separates tokens by spaces; compare without them.
      auto squash = [](std::string s) { s.erase(std::remove(s.begin(), s.end(), ' '), s.end()); return s; };
      found = squash(normalised).find(squash(nc)) != std::string::npos;
      // A marker is an n-gram of the text as the model reads it (triage's normalisation,
      // which leaves spoken numbers as they are: 十五年 in 二十五年).
      std::size_t content = 0;
      found = found || hotline::detail::triage_impl::normalize(r.text, content)
                               .find(hotline::detail::triage_impl::normalize(c, content)) != std::u32string::npos;
      CHECK_MESSAGE(found, c);
    }
  }
  CHECK(said > 20);
}

TEST_CASE("the channel's own words are its evidence: 冒充, 派出所, 月子中心, 劳动监察") {
  // Calls the model places on a channel with 0.9 that name none of the lexicon's words of it
  // (docs/triage.md): the built-in lines' cues carry these words.  Without them the same
  // calls go to an agent as unsure, with the channel as the suggestion, unless the text holds
  // a marker of the channel (a word the train rows hold almost only in its calls): then that
  // marker is the evidence named.
  struct call {
    const char* text;
    const char* channel;
    const char* word;
  };
  const call calls[] = {
      {"有人冒充疾控的工作人员挨家挨户上门收消毒费，我们楼好几户都交了钱", "police", "冒充"},
      {"我妈在医院门口包被人顺走了，派出所说要我们自己先找监控", "police", "派出所"},
      {"月子中心的定金两万块就是不退，他们老板电话也不接", "consumer", "月子中心"},
      {"我在工地上干活摔断了腿，老板不认，我想去劳动监察告他", "social-security", "劳动监察"},
  };
  const knowledge_base kb;
  knowledge_base bare;  // the same lines without the added words
  auto lines = knowledge_base::builtin_service_lines();
  for (auto& l : lines)
    std::erase_if(l.cues, [](const std::string& w) {
      return w == "冒充" || w == "派出所" || w == "月子中心" || w == "定金" || w == "劳动监察";
    });
  bare.set_service_lines(lines);
  int unsure = 0, marked = 0;
  for (const auto& c : calls) {
    INFO(c.text);
    const auto g = kb.classify(c.text);
    CHECK(g.line == "out-of-scope");
    CHECK(g.topic == c.channel);
    CHECK(std::find(g.cues.begin(), g.cues.end(), c.word) != g.cues.end());
    const auto b = bare.classify(c.text);
    const auto markers = intake_classifier::builtin().classify(c.text).markers;
    const auto marker = std::find_if(markers.begin(), markers.end(), [&](const auto& k) { return k.group == c.channel; });
    if (marker == markers.end()) {
      ++unsure;
      CHECK(b.line == "unsure");
      CHECK(b.suggestion == c.channel);
    } else {
      ++marked;
      CHECK(b.line == "out-of-scope");
      CHECK(b.cues == std::vector<std::string>{marker->word});
    }
  }
  CHECK(unsure >= 1);  // both ways are taken by these calls
  CHECK(marked >= 1);
}

TEST_CASE("a channel's marker is evidence at a lower bar than a lexicon word") {
  const knowledge_base kb;
  const auto& model = intake_classifier::builtin();
  auto marker_of = [](const hotline::intake_guess& x, const std::string& line) {
    for (const auto& k : x.markers)
      if (k.group == line) return k.word;
    return std::string();
  };
  auto names_channel = [](const hotline::intake_guess& x, const std::string& line) {
    return std::any_of(x.cues.begin(), x.cues.end(), [&](const auto& c) { return c.group == line; });
  };
  // 医托 (a hospital tout) is no lexicon word of the police: the train rows hold it almost
  // only in police calls.  Said in different places, the model gives the police more or less;
  // the decision follows the marker's bar (0.5) below a lexicon word's (0.8).  Both bands must
  // occur among these calls, whatever the training made of each one.
  int carried = 0, left = 0;
  for (const char* text : {"听说医院附近有医托", "小区附近有医托", "公园旁边有医托", "村里来了医托", "医托又来了", "医托太多了",
                           "公园里的医托", "菜市场的医托", "公园里好像有医托", "社区里的医托", "公园那边医托", "公园里有医托吗"}) {
    const auto x = model.classify(text);
    INFO(text, " ", x.lines[0].label, " ", x.lines[0].probability);
    REQUIRE(marker_of(x, "police") == "医托");
    CHECK_FALSE(names_channel(x, "police"));
    if (x.lines[0].label != "police" || x.lines[0].probability >= 0.8) continue;
    const auto g = kb.classify(text);
    if (x.lines[0].probability >= 0.5) {
      ++carried;
      CHECK(g.line == "out-of-scope");
      CHECK(g.topic == "police");
      CHECK(g.cues == std::vector<std::string>{"医托"});
    } else {  // below the bar: an agent decides, with the channel as the suggestion
      ++left;
      CHECK(g.line == "unsure");
      CHECK(g.suggestion == "police");
    }
  }
  CHECK(carried >= 1);
  CHECK(left >= 1);
  // Over the corpus: every out-of-scope verdict below 0.8 that no crisis made rests on a
  // marker of its channel, named in cues, at 0.5 or more.
  int below = 0;
  for (const auto& r : corpus()) {
    const auto v = kb.classify(r.text);
    if (v.line != "out-of-scope" || v.triage.kind != hotline::crisis_kind::none || v.confidence >= 0.8) continue;
    INFO(r.text);
    ++below;
    const auto w = marker_of(model.classify(r.text), v.topic);
    CHECK_FALSE(w.empty());
    CHECK(std::find(v.cues.begin(), v.cues.end(), w) != v.cues.end());
    CHECK(v.confidence >= 0.5);
  }
  CHECK(below >= 10);  // 17 on 2026-12-08, most of them held out: the rows the model learned from sit higher
}

TEST_CASE("markers: words that enough utterances hold, almost all of one line (marker_utterances, marker_share)") {
  auto row = [](const char* text, const char* line, std::uint64_t group) {
    return utterance(text, line, line == std::string("police") ? "help_request" : "complaint", group);
  };
  // 报个警 in five police utterances (one said twice); 骗子 in four; 医院 in five police
  // utterances and one of line b (5 of 6, below 0.9).
  const std::vector<labelled_utterance> rows{
      row("快帮我报个警", "police", 1), row("快帮我报个警吧", "police", 1), row("我要报个警", "police", 2),
      row("报个警行不行", "police", 3), row("能不能报个警", "police", 4), row("我想报个警", "police", 5),
      row("骗子来了", "police", 6), row("有骗子", "police", 7), row("骗子又打电话", "police", 8),
      row("骗子真多", "police", 9), row("医院门口打架", "police", 10), row("医院里有人偷东西", "police", 11),
      row("医院门口吵架", "police", 12), row("医院停车场被砸车", "police", 13), row("在医院被偷了", "police", 14),
      row("医院看病贵", "b", 15), row("看病贵", "b", 16), row("挂号难", "b", 17)};
  hotline::intake_training_options o;
  o.calibration_folds = 0;
  o.min_utterances = 1;
  auto words = [](const intake_classifier& m, const char* text) {
    std::vector<std::string> out;
    for (const auto& k : m.classify(text).markers) out.push_back(k.group + ":" + k.word);
    return out;
  };
  const auto five = intake_classifier::train(rows, o);  // the defaults: 5 utterances, 0.9
  const auto w = words(five, "报个警");
  REQUIRE(w.size() == 1);
  CHECK((w[0] == "police:报个" || w[0] == "police:个警" || w[0] == "police:报个警"));
  CHECK(words(five, "骗子").empty());  // four utterances
  CHECK(words(five, "医院").empty());  // 5 of 6
  o.marker_utterances = 4;
  const auto four = intake_classifier::train(rows, o);
  CHECK(words(four, "骗子") == std::vector<std::string>{"police:骗子"});
  CHECK(words(four, "骗").empty());  // one character is no word
  o.marker_share = 0.8;
  CHECK(words(intake_classifier::train(rows, o), "医院") == std::vector<std::string>{"police:医院"});
  o.marker_share = 1.1;  // none at all
  CHECK(words(intake_classifier::train(rows, o), "报个警").empty());
  // Markers are read apart from the weights: the model's guesses are the same without them.
  CHECK(intake_classifier::train(rows, o).classify("报个警").lines[0].probability ==
        five.classify("报个警").lines[0].probability);
}

TEST_CASE("an unsure call carries the model's likeliest other line for the agent") {
  const knowledge_base kb;
  const auto& model = hotline::intake_classifier::builtin();
  std::size_t unsure = 0, suggested_channel = 0;
  for (const auto& r : corpus()) {
    if (r.held_out) continue;
    const auto g = kb.classify(r.text);
    if (g.line != "unsure") {
      CHECK_MESSAGE(g.suggestion.empty(), r.text);  // only an unsure call has one
      continue;
    }
    ++unsure;
    const auto m = model.classify(r.text);
    if (!m.readable) {
      CHECK(g.suggestion.empty());
      continue;
    }
    REQUIRE_MESSAGE(!g.suggestion.empty(), r.text);
    CHECK(g.suggestion != "unsure");
    // The likeliest label other than unsure, at the model's own probability.
    const auto& other = m.lines[0].label == "unsure" ? m.lines[1] : m.lines[0];
    CHECK(g.suggestion == other.label);
    CHECK(g.suggestion_confidence == doctest::Approx(other.probability));
    suggested_channel += g.suggestion == "police" || g.suggestion == "consumer" || g.suggestion == "social-security" ||
                         g.suggestion == "medical-insurance";
  }
  CHECK(unsure > 100);
  CHECK(suggested_channel > 20);  // the out-of-scope rule's near misses reach the agent named
  const auto empty = kb.classify("😀😀");
  CHECK(empty.line == "unsure");
  CHECK(empty.suggestion.empty());
}

TEST_CASE("held-out rows: line, request type and out-of-scope precision") {
  // Regression floors under the figures bench_intake prints (docs/triage.md); the
  // issue's targets are benchmark figures, not timed tests.
  const knowledge_base kb;
  std::size_t n = 0, line = 0, type = 0, oos = 0, oos_right = 0, model_oos = 0, model_oos_right = 0;
  std::size_t n3 = 0, line3 = 0, type3 = 0;  // the first three sets (bases before 1486)
  for (const auto& r : corpus()) {
    if (!r.held_out) continue;
    const auto g = kb.classify(r.text);
    ++n;
    line += label_of(g) == r.line;
    type += g.request_type == r.request_type;
    if (r.group <= 1486) {
      ++n3;
      line3 += label_of(g) == r.line;
      type3 += g.request_type == r.request_type;
    }
    if (g.line == "out-of-scope") {
      ++oos;
      oos_right += g.topic == r.line;
      if (!g.triage.urgent) {  // the model's own verdict, not a crisis route to 120 or 110
        ++model_oos;
        model_oos_right += g.topic == r.line;
      }
    }
  }
  REQUIRE(n > 2500);
  REQUIRE(n3 > 700);
  const double line_acc = double(line) / double(n), type_acc = double(type) / double(n);
  const double oos_p = double(oos_right) / double(oos), model_oos_p = double(model_oos_right) / double(model_oos);
  MESSAGE("held out: line ", line_acc, ", request type ", type_acc, ", out-of-scope precision ", oos_p, " (", oos,
          "), the model's verdicts ", model_oos_p, " (", model_oos, "); first three sets: line ",
          double(line3) / double(n3), ", request type ", double(type3) / double(n3));
  // Measured 2026-12-07 on 2,537 held-out rows, after the sixth (training-only) set:
  // line 0.803, request type 0.871, out of scope 0.955, the model's own out-of-scope
  // verdicts 0.965; on the first three sets' 783 rows line 0.870 and request type 0.870
  // (before the sixth set: 0.752, 0.838, 0.894, 0.973, 0.847, 0.863). On 2026-12-08, with
  // the seventh set, the channels' markers as evidence, naive Bayes added to the weights,
  // the out-of-scope bar at 0.8 and min_utterances 2: line 0.873, request type 0.893, out of
  // scope 0.960, the model's verdicts 0.960; first three sets 0.877, 0.881. Later that day,
  // with the eighth to tenth (training-only) sets, more channel words, an outbreak flag that
  // gives way below 0.1, 15 epochs and no L2: line 0.899, request type 0.897, out of scope
  // 0.952, the model's verdicts 0.959; first three sets 0.885, 0.876. The line target
  // (0.90) stays open; a change that loses ground fails here.
  CHECK(line_acc >= 0.88);
  CHECK(type_acc >= 0.87);
  CHECK(oos_p >= 0.94);
  CHECK(model_oos_p >= 0.95);
  CHECK(double(line3) / double(n3) >= 0.87);
  CHECK(double(type3) / double(n3) >= 0.85);
}

TEST_CASE("probabilities are calibrated on the held-out rows") {
  // Expected calibration error of the top line over ten bins: how far "probability"
  // is from how often the top guess is right.
  const auto& m = intake_classifier::builtin();
  std::vector<double> conf(10), hits(10), count(10);
  std::size_t n = 0, unreadable = 0;
  for (const auto& r : corpus()) {
    if (!r.held_out) continue;
    const auto g = m.classify(r.text);
    if (!g.readable) {  // only greetings (你好，我想问一下): no probability to calibrate
      ++unreadable;
      CHECK_MESSAGE(r.line == "unsure", r.text);
      continue;
    }
    double sum = 0;
    for (const auto& l : g.lines) sum += l.probability;
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
    const auto p = g.lines[0].probability;
    const auto b = std::min<std::size_t>(9, static_cast<std::size_t>(p * 10));
    conf[b] += p;
    hits[b] += g.lines[0].label == r.line;
    count[b] += 1;
    ++n;
  }
  double ece = 0;
  for (std::size_t b = 0; b < 10; ++b) ece += std::abs(hits[b] - conf[b]) / double(n);
  MESSAGE("expected calibration error (line head, held out): ", ece);
  CHECK(unreadable * 200 < n);
  CHECK(ece < 0.10);
  const auto [tl, tt] = m.temperatures();
  CHECK(tl > 0);
  CHECK(tt > 0);
}

TEST_CASE("training is deterministic and skips held-out rows") {
  std::vector<labelled_utterance> rows;
  for (const auto& r : corpus())
    if (rows.size() < 400 && !r.held_out) rows.push_back(r);
  hotline::intake_training_options o;
  o.epochs = 5;
  const auto a = intake_classifier::train(rows, o), b = intake_classifier::train(rows, o);
  const auto ga = a.classify("孩子打完疫苗发烧了怎么办"), gb = b.classify("孩子打完疫苗发烧了怎么办");
  REQUIRE(ga.lines.size() == gb.lines.size());
  for (std::size_t i = 0; i < ga.lines.size(); ++i) {
    CHECK(ga.lines[i].label == gb.lines[i].label);
    CHECK(ga.lines[i].probability == gb.lines[i].probability);
  }
  // Marking every row held out leaves nothing to learn from.
  for (auto& r : rows) r.held_out = true;
  CHECK_THROWS_AS(intake_classifier::train(rows, o), hotline::invalid_argument_error);
  rows.resize(2);
  rows[0].held_out = rows[1].held_out = false;
  rows[1].line = rows[0].line;
  rows[1].request_type = rows[0].request_type;
  CHECK_THROWS_AS(intake_classifier::train(rows, o), hotline::invalid_argument_error);  // one label per head
  rows[1].line = "x";
  rows[1].text = "\xff\xfe";
  CHECK_THROWS_AS(intake_classifier::train(rows, o), hotline::invalid_argument_error);  // invalid UTF-8
  o.epochs = 0;
  CHECK_THROWS_AS(intake_classifier::train(rows, o), hotline::invalid_argument_error);
}

TEST_CASE("an n-gram is a feature only when enough utterances hold it (min_utterances)") {
  // 鳄鱼 is in one utterance said three ways (one group); 河马 in three utterances.
  auto row = [](const char* text, const char* line, std::uint64_t group) {
    return utterance(text, line, line == std::string("a") ? "consultation" : "complaint", group);
  };
  const std::vector<labelled_utterance> rows{
      row("鳄鱼", "a", 1), row("喂，鳄鱼", "a", 1), row("鳄鱼啊", "a", 1),
      row("河马", "b", 2), row("河马呢", "b", 3), row("河马吧", "b", 4)};
  hotline::intake_training_options o;
  o.calibration_folds = 0;
  o.min_utterances = 1;
  const auto all = intake_classifier::train(rows, o);
  o.min_utterances = 2;
  const auto two = intake_classifier::train(rows, o);
  o.min_utterances = 3;
  const auto three = intake_classifier::train(rows, o);
  // min 1 keeps every n-gram; min 2 drops what one utterance alone holds (鳄, 鱼, 鳄鱼, 啊,
  // 喂, 呢, 吧 and the longer ones) and keeps 河, 马, 河马; min 3 keeps those three too.
  CHECK(all.vocabulary_size() > three.vocabulary_size());
  CHECK(two.vocabulary_size() == 3);
  CHECK(three.vocabulary_size() == 3);
  CHECK(three.classify("河马").lines[0].label == "b");
  // 鳄鱼 is now unknown to the model: it leans to the priors, and no evidence names it.
  CHECK(three.classify("鳄鱼").evidence.empty());
  CHECK_FALSE(all.classify("鳄鱼").evidence.empty());
}

TEST_CASE("bad input: unsure, not a guess (issue 20, Bad input)") {
  const knowledge_base kb;
  std::string megabyte;
  while (megabyte.size() < (1u << 20)) megabyte += "我想问一下家庭医生签约的事情，";
  const std::vector<std::pair<const char*, std::string>> unreadable{
      {"empty", ""}, {"emoji", "😀😀🙏👍"}, {"digits", "12320 12320 0771"}, {"punctuation", "？？？！！……"},
      {"invalid UTF-8", "\xff\xfe\xc3"}, {"a megabyte of x", std::string(1u << 20, 'x')}};
  // Pairs, not structured bindings: doctest's INFO/CAPTURE/CHECK_MESSAGE capture in a lambda,
  // which clang 14 (the sanitize preset) does not allow for bindings (P1091).
  for (const auto& row : unreadable) {
    const char* const what = row.first;
    const std::string& text = row.second;
    INFO(what);
    const auto m = intake_classifier::builtin().classify(text);
    CHECK_FALSE(m.readable);
    for (const auto& l : m.lines) CHECK(l.probability == 0);
    const auto g = kb.classify(text);
    CHECK(g.line == "unsure");
    CHECK(g.confidence == 0);
    CHECK(g.request_type.empty());
  }
  // Latin letters the model has no n-gram of are read as nothing, not as the priors' guess;
  // a word it knows among them is read.
  CHECK_FALSE(intake_classifier::builtin().classify("xxxx xxxx").readable);
  CHECK(intake_classifier::builtin().classify("xxxx 家庭医生").readable);
  CHECK(kb.classify("xxxx 家庭医生怎么签约").line == "family-doctor");
  // A megabyte of real speech is read up to the cap and still placed.
  CHECK(kb.classify(megabyte).line == "family-doctor");
  // Invalid bytes inside speech are boundaries, not an error.
  CHECK(kb.classify("被狗咬了\xff伤口怎么处理").line == "animal-bite");
}

TEST_CASE("the corpus reader names the line and the field") {
  const std::string header = "id\tsplit\ttext\tcrisis\tline\trequest_type\n";
  CHECK(throws_parse_error_naming("", "no header"));
  CHECK(throws_parse_error_naming("id\ttext\tline\n1\ta\tb\n", "request_type"));
  CHECK(throws_parse_error_naming(header + "1\ttrain\t你好\tnone\tunsure\tconsultation\n2\ttrain\t你好\tnone\n",
                                  ":3"));
  CHECK(throws_parse_error_naming(header + "1\ttest\t你好\tnone\tunsure\tconsultation\n", "split"));
  CHECK(throws_parse_error_naming(header + "1x\ttrain\t你好\tnone\tunsure\tconsultation\n", "field 'id'"));
  CHECK(throws_parse_error_naming(header + "1\ttrain\t你好\tnone\t\tconsultation\n", "line"));
  CHECK(throws_parse_error_naming(header + "1\ttrain\t\xff\tnone\tunsure\tconsultation\n", ":2"));
  const auto rows = hotline::read_labelled_utterances(header + "1\theld_out\t你好\tnone\tunsure\tconsultation\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].held_out);
  CHECK(rows[0].line == "unsure");
  CHECK(rows[0].group == 1);  // id 1: base 0, the first group
}
