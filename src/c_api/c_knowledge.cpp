// The C ABI for the knowledge base: import, entries, match, answer, classify.
#include "c_common.hpp"
#include "c_json.hpp"
#include "../results_json.hpp"
#include "hotline/knowledge.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

struct hotline_knowledge_base {
  hotline::knowledge_base kb;
};

using hotline::c_api::guard;
using hotline::c_api::jnode;
using hotline::c_api::json;
using hotline::detail::guess_json;

namespace {

using namespace hotline;

knowledge_entry entry_arg(const char* entry_json) {
  const json j = c_api::json_arg(entry_json, "entry_json");
  const jnode n{j, "entry_json"};
  n.expect_object({"id", "question", "similar", "answer", "category", "topic", "keywords", "valid_from",
                   "valid_until"});
  knowledge_entry e;
  e.id = n.need("id").str();
  e.question = n.need("question").str();
  if (n.has("similar")) e.similar = n["similar"].strings();
  if (n.has("answer")) e.answer = n["answer"].str();
  if (n.has("category")) e.category = n["category"].str();
  if (n.has("topic")) e.topic = n["topic"].str();
  if (n.has("keywords")) e.keywords = n["keywords"].strings();
  if (n.has("valid_from")) e.valid_from = n["valid_from"].date();
  if (n.has("valid_until")) e.valid_until = n["valid_until"].date();
  return e;
}

json entry_json(const knowledge_entry& e) {
  json j{{"id", e.id},           {"question", e.question}, {"similar", e.similar},   {"answer", e.answer},
         {"category", e.category}, {"topic", e.topic},     {"keywords", e.keywords}, {"version", e.version},
         {"retired", e.retired}};
  j["valid_from"] = e.valid_from ? json(format_day(*e.valid_from)) : json(nullptr);
  j["valid_until"] = e.valid_until ? json(format_day(*e.valid_until)) : json(nullptr);
  return j;
}

match_options options_arg(const char* options_json) {
  match_options o;
  if (!options_json) return o;
  const json j = c_api::json_arg(options_json, "options_json");
  const jnode n{j, "options_json"};
  n.expect_object({"k", "on", "explain"});
  if (n.has("k")) o.k = static_cast<std::size_t>(n["k"].integer(0, 1000));
  if (n.has("on")) o.on = n["on"].date();
  if (n.has("explain")) o.explain = n["explain"].boolean();
  return o;
}

// The hits as JSON text, written directly: a match runs on every caller turn, and
// building nlohmann's tree for it cost about 9 us a call, more than the match itself
// (benchmarks/bench_c_api.cpp). The hits' text is valid UTF-8 (the base checks it on
// the way in), so only JSON's own escapes are needed. Numbers print in the shortest
// form that reads back to the same double (std::to_chars; fmt here trips g++ 12's
// -femit-struct-debug-baseonly, which this library's ABI dump needs).
void put_string(std::string& o, std::string_view s) {
  o += '"';
  for (const char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          o += "\\u00";
          o += "0123456789abcdef"[(c >> 4) & 0xF];
          o += "0123456789abcdef"[c & 0xF];
        } else {
          o += c;
        }
    }
  }
  o += '"';
}

void put_number(std::string& o, double d) {
  if (!std::isfinite(d)) {
    o += "null";  // as nlohmann writes a NaN
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round trip
  o.append(buf, r.ptr);
}

std::string hits_text(const std::vector<knowledge_hit>& hits, bool explain) {
  std::string o;
  o.reserve(160 * hits.size() + 2);
  o += '[';
  for (const auto& h : hits) {
    if (o.size() > 1) o += ',';
    o += "{\"id\":";
    put_string(o, h.id);
    o += ",\"score\":";
    put_number(o, h.score);
    o += ",\"confidence\":";
    put_number(o, h.confidence);
    o += ",\"category\":";
    put_string(o, h.category);
    o += ",\"topic\":";
    put_string(o, h.topic);
    o += ",\"phrasing\":" + std::to_string(h.phrasing) + ",\"matched\":";
    put_string(o, h.matched);
    o += ",\"intent\":";
    put_string(o, h.intent);
    if (explain) {
      o += ",\"terms\":[";
      for (std::size_t t = 0; t < h.terms.size(); ++t) {
        o += t ? ",{\"term\":" : "{\"term\":";
        put_string(o, h.terms[t].term);
        o += ",\"weight\":";
        put_number(o, h.terms[t].weight);
        o += '}';
      }
      o += ']';
    }
    o += '}';
  }
  o += ']';
  return o;
}



void set_count(size_t* out, std::size_t n) {
  if (out) *out = n;
}

}  // namespace

extern "C" {

hotline_status hotline_knowledge_base_new(hotline_knowledge_base** out) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out, "out must not be NULL");
    *out = new hotline_knowledge_base{};
  });
}

hotline_status hotline_knowledge_base_open(hotline_knowledge_base** out, const char* sqlite_path) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && sqlite_path, "out and sqlite_path must not be NULL");
    *out = new hotline_knowledge_base{knowledge_base::open(std::string(c_api::text_arg(sqlite_path, "sqlite_path")))};
  });
}

void hotline_knowledge_base_free(hotline_knowledge_base* kb) { delete kb; }

hotline_status hotline_knowledge_base_import_file(size_t* out_count, hotline_knowledge_base* kb, const char* path) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb && path, "kb and path must not be NULL");
    set_count(out_count, kb->kb.import_file(std::string(c_api::text_arg(path, "path"))));
  });
}

hotline_status hotline_knowledge_base_import_text(size_t* out_count, hotline_knowledge_base* kb, const char* text,
                                                  const char* format, const char* source) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb && text && format, "kb, text and format must not be NULL");
    const std::string_view f = c_api::text_arg(format, "format");
    import_format fmt;
    if (f == "tsv") fmt = import_format::tsv;
    else if (f == "csv") fmt = import_format::csv;
    else if (f == "json") fmt = import_format::json;
    else throw invalid_argument_error("format: unknown import format '" + std::string(f) + "' (expected tsv, csv or json)");
    const std::string src = source ? std::string(c_api::text_arg(source, "source")) : std::string("text");
    // Invalid UTF-8 inside the text is the parsers' business: they name the line and field.
    set_count(out_count, kb->kb.import_text(text, fmt, src));
  });
}

hotline_status hotline_knowledge_base_add(hotline_knowledge_base* kb, const char* entry_json) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb && entry_json, "kb and entry_json must not be NULL");
    kb->kb.add(entry_arg(entry_json));
  });
}

hotline_status hotline_knowledge_base_upsert(hotline_knowledge_base* kb, const char* entry_json) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb && entry_json, "kb and entry_json must not be NULL");
    kb->kb.upsert(entry_arg(entry_json));
  });
}

hotline_status hotline_knowledge_base_retire(hotline_knowledge_base* kb, const char* id) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb && id, "kb and id must not be NULL");
    kb->kb.retire(c_api::text_arg(id, "id"));
  });
}

hotline_status hotline_knowledge_base_get(char** out, const hotline_knowledge_base* kb, const char* id) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && kb && id, "out, kb and id must not be NULL");
    const auto key = c_api::text_arg(id, "id");
    const auto e = kb->kb.get(key);
    if (!e) throw not_found_error("no knowledge entry '" + std::string(key) + "'");
    c_api::set_text(out, c_api::dump(entry_json(*e)));
  });
}

hotline_status hotline_knowledge_base_size(size_t* out, const hotline_knowledge_base* kb) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && kb, "out and kb must not be NULL");
    *out = kb->kb.size();
  });
}

hotline_status hotline_knowledge_base_load_synonyms(size_t* out_count, hotline_knowledge_base* kb, const char* path) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb && path, "kb and path must not be NULL");
    set_count(out_count, kb->kb.load_synonyms(std::string(c_api::text_arg(path, "path"))));
  });
}

hotline_status hotline_knowledge_base_calibrate(size_t* out_count, hotline_knowledge_base* kb) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb, "kb must not be NULL");
    set_count(out_count, kb->kb.calibrate());
  });
}

hotline_status hotline_knowledge_base_set_answer_threshold(hotline_knowledge_base* kb, double threshold) {
  return guard([&] {
    HOTLINE_C_REQUIRE(kb, "kb must not be NULL");
    kb->kb.set_answer_threshold(threshold);
  });
}

hotline_status hotline_knowledge_base_match(char** out, const hotline_knowledge_base* kb, const char* query,
                                            const char* options_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && kb && query, "out, kb and query must not be NULL");
    const auto q = c_api::text_arg(query, "query");
    const auto o = options_arg(options_json);
    c_api::set_text(out, hits_text(kb->kb.match(q, o), o.explain));
  });
}

hotline_status hotline_knowledge_base_answer(char** out, const hotline_knowledge_base* kb, const char* query,
                                             const char* options_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && kb && query, "out, kb and query must not be NULL");
    const auto q = c_api::text_arg(query, "query");
    const auto o = options_arg(options_json);
    const auto d = kb->kb.answer(q, o);
    std::string doc = "{\"hits\":" + hits_text(d.hits, o.explain);
    doc += d.answer_now ? ",\"answer_now\":true,\"threshold\":" : ",\"answer_now\":false,\"threshold\":";
    put_number(doc, kb->kb.answer_threshold());
    doc += ",\"line\":" + c_api::dump(guess_json(d.line)) + '}';
    c_api::set_text(out, doc);
  });
}

hotline_status hotline_knowledge_base_classify(char** out, const hotline_knowledge_base* kb, const char* query) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && kb && query, "out, kb and query must not be NULL");
    c_api::set_text(out, c_api::dump(guess_json(kb->kb.classify(c_api::text_arg(query, "query")))));
  });
}

}  // extern "C"
