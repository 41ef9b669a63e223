// Knowledge base files: bulk import from TSV, CSV and JSON, the synonym file,
// and SQLite storage (save, open with write-through).  Formats: docs/knowledge.md.
//
//   kb.import_file("data/knowledge/family_doctor_kb.json");
//   kb.load_synonyms("data/knowledge/synonyms.tsv");
//   kb.save("hotline.db");  auto kb2 = hotline::knowledge_base::open("hotline.db");
#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"
#include "hotline/knowledge.hpp"
#include "text_file.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace hotline {

namespace {

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto p = s.find('|', start);
    if (p == std::string_view::npos) p = s.size();
    auto t = trim(s.substr(start, p - start));
    if (!t.empty()) out.push_back(std::move(t));
    start = p + 1;
  }
  return out;
}

// One record of a delimited file: its fields and the line it starts on.
struct record {
  std::size_t line;
  std::vector<std::string> fields;
};

std::vector<record> read_tsv(std::string_view text) {
  std::vector<record> out;
  std::size_t line = 0, pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (trim(l).empty()) continue;
    record r{line, {}};
    std::size_t s = 0;
    while (true) {
      auto t = l.find('\t', s);
      if (t == std::string_view::npos) {
        r.fields.emplace_back(l.substr(s));
        break;
      }
      r.fields.emplace_back(l.substr(s, t - s));
      s = t + 1;
    }
    out.push_back(std::move(r));
  }
  return out;
}

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.
std::vector<record> read_csv(std::string_view text, const std::string& source) {
  std::vector<record> out;
  std::size_t line = 1, i = 0;
  while (i < text.size()) {
    record r{line, {}};
    std::string field;
    bool any = false;
    while (true) {
      if (i < text.size() && text[i] == '"') {
        ++i;
        const std::size_t open_line = line;
        while (true) {
          if (i >= text.size()) throw parse_error(source, open_line, "unterminated quoted field");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        any = true;
      }
      while (i < text.size() && text[i] != ',' && text[i] != '\n') {
        if (text[i] == '"') throw parse_error(source, line, "quote inside an unquoted field");
        if (text[i] != '\r') field += text[i];
        ++i;
        any = true;
      }
      r.fields.push_back(std::move(field));
      field.clear();
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\n') ++i;
    const std::size_t this_line = r.line;
    ++line;
    if (!any && r.fields.size() == 1) continue;  // blank line
    r.line = this_line;
    out.push_back(std::move(r));
  }
  return out;
}

day field_day(const std::string& v, const std::string& source, std::size_t line, const char* field) {
  try {
    return parse_day(v);
  } catch (const error&) {
    throw parse_error(source, line, std::string("field ") + field + ": '" + v + "' is not a date YYYY-MM-DD");
  }
}

void check_entry(const knowledge_entry& e, const std::string& source, std::size_t line, const std::string& where) {
  auto bad_utf8 = [&](const std::string& s, const char* field) {
    const auto off = detail::invalid_utf8_offset(s);
    if (off != std::string_view::npos)
      throw parse_error(source, line, where + "field " + field + ": invalid UTF-8 at byte " + std::to_string(off));
  };
  if (e.id.empty()) throw parse_error(source, line, where + "field id: empty");
  for (unsigned char c : e.id)
    if (c < 0x20 || c == 0x7F) throw parse_error(source, line, where + "field id: control character");
  if (e.question.empty()) throw parse_error(source, line, where + "field question: empty");
  bad_utf8(e.id, "id");
  bad_utf8(e.question, "question");
  bad_utf8(e.answer, "answer");
  bad_utf8(e.category, "category");
  bad_utf8(e.topic, "topic");
  for (const auto& s : e.similar) bad_utf8(s, "similar");
  for (const auto& s : e.keywords) bad_utf8(s, "keywords");
  if (e.valid_from && e.valid_until && *e.valid_until < *e.valid_from)
    throw parse_error(source, line, where + "field valid_until: before valid_from");
}

std::vector<std::pair<std::size_t, knowledge_entry>> from_records(const std::vector<record>& recs,
                                                                  const std::string& source) {
  std::vector<std::pair<std::size_t, knowledge_entry>> out;
  if (recs.empty()) return out;
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < recs[0].fields.size(); ++i) {
    std::string name = lower_ascii(trim(recs[0].fields[i]));
    if (name == "line") name = "category";
    if (col.count(name)) throw parse_error(source, recs[0].line, "column '" + name + "' given twice");
    col[name] = i;
  }
  for (const char* need : {"id", "question"})
    if (!col.count(need)) throw parse_error(source, recs[0].line, std::string("header: no column '") + need + "'");
  std::set<std::string> ids;
  for (std::size_t r = 1; r < recs.size(); ++r) {
    const auto& f = recs[r].fields;
    const std::size_t line = recs[r].line;
    if (f.size() > recs[0].fields.size())
      throw parse_error(source, line, std::to_string(f.size()) + " fields, the header has " +
                                          std::to_string(recs[0].fields.size()));
    auto get = [&](const char* name) -> std::string {
      const auto it = col.find(name);
      if (it == col.end() || it->second >= f.size()) return {};
      return trim(f[it->second]);
    };
    knowledge_entry e;
    e.id = get("id");
    e.question = get("question");
    e.answer = get("answer");
    e.category = get("category");
    e.topic = get("topic");
    e.similar = split_list(get("similar"));
    e.keywords = split_list(get("keywords"));
    if (auto v = get("valid_from"); !v.empty()) e.valid_from = field_day(v, source, line, "valid_from");
    if (auto v = get("valid_until"); !v.empty()) e.valid_until = field_day(v, source, line, "valid_until");
    check_entry(e, source, line, "");
    if (!ids.insert(e.id).second) throw parse_error(source, line, "field id: '" + e.id + "' given twice");
    out.emplace_back(line, std::move(e));
  }
  return out;
}

std::size_t line_of_offset(std::string_view text, std::size_t off) {
  return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(off, text.size())), '\n')) + 1;
}

std::vector<std::pair<std::size_t, knowledge_entry>> from_json(std::string_view text, const std::string& source,
                                                               std::optional<std::vector<synonym>>& syn) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw parse_error(source, line_of_offset(text, e.byte), std::string("invalid JSON: ") + e.what());
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double (1e999): nlohmann's error 406
    throw parse_error(source, 0, "not valid JSON: a number is too large to represent");
  }
  const nlohmann::json* arr = &j;
  if (j.is_object()) {
    if (!j.contains("entries")) throw parse_error(source, 0, "JSON object without an \"entries\" array");
    arr = &j["entries"];
    if (j.contains("synonyms")) {
      const auto& s = j["synonyms"];
      if (!s.is_array()) throw parse_error(source, 0, "field synonyms: expected an array");
      std::vector<synonym> t;
      for (std::size_t i = 0; i < s.size(); ++i) {
        const auto& x = s[i];
        if (!x.is_object() || !x.contains("variant") || !x["variant"].is_string() ||
            (x.contains("canonical") && !x["canonical"].is_string()))
          throw parse_error(source, 0, "synonyms[" + std::to_string(i) + "]: expected {\"variant\", \"canonical\"} strings");
        t.push_back({x["variant"].get<std::string>(), x.value("canonical", std::string())});
      }
      syn = std::move(t);
    }
  }
  if (!arr->is_array()) throw parse_error(source, 0, "expected an array of entries");
  std::vector<std::pair<std::size_t, knowledge_entry>> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& o = (*arr)[i];
    const std::string where = "entries[" + std::to_string(i) + "]: ";
    if (!o.is_object()) throw parse_error(source, 0, where + "expected an object");
    auto str = [&](const char* name) -> std::string {
      if (!o.contains(name) || o[name].is_null()) return {};
      if (!o[name].is_string()) throw parse_error(source, 0, where + "field " + name + ": expected a string");
      return o[name].get<std::string>();
    };
    auto list = [&](const char* name) -> std::vector<std::string> {
      std::vector<std::string> v;
      if (!o.contains(name) || o[name].is_null()) return v;
      if (!o[name].is_array()) throw parse_error(source, 0, where + "field " + name + ": expected an array of strings");
      for (const auto& x : o[name]) {
        if (!x.is_string()) throw parse_error(source, 0, where + "field " + name + ": expected an array of strings");
        v.push_back(x.get<std::string>());
      }
      return v;
    };
    knowledge_entry e;
    e.id = str("id");
    e.question = str("question");
    e.answer = str("answer");
    e.category = str("category");
    if (e.category.empty()) e.category = str("line");
    e.topic = str("topic");
    e.similar = list("similar");
    e.keywords = list("keywords");
    if (auto v = str("valid_from"); !v.empty()) e.valid_from = field_day(v, source, 0, (where + "valid_from").c_str());
    if (auto v = str("valid_until"); !v.empty()) e.valid_until = field_day(v, source, 0, (where + "valid_until").c_str());
    check_entry(e, source, 0, where);
    if (!ids.insert(e.id).second) throw parse_error(source, 0, where + "field id: '" + e.id + "' given twice");
    out.emplace_back(0, std::move(e));
  }
  return out;
}

nlohmann::json to_json_list(const std::vector<std::string>& v) { return nlohmann::json(v); }
std::vector<std::string> from_json_list(const std::string& s) {
  if (s.empty()) return {};
  return nlohmann::json::parse(s).get<std::vector<std::string>>();
}

}  // namespace

// ---- import -----------------------------------------------------------------

std::size_t knowledge_base::import_text(std::string_view text, import_format format, const std::string& source) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM
  std::optional<std::vector<synonym>> syn;
  std::vector<std::pair<std::size_t, knowledge_entry>> es;
  switch (format) {
    case import_format::tsv: es = from_records(read_tsv(text), source); break;
    case import_format::csv: es = from_records(read_csv(text, source), source); break;
    case import_format::json: es = from_json(text, source, syn); break;
  }
  // Everything was checked before this point: the base changes only now.
  if (syn) add_synonyms(*syn);
  for (auto& [line, e] : es) {
    try {
      upsert(std::move(e));
    } catch (const error& x) {
      throw parse_error(source, line, x.what());
    }
  }
  return es.size();
}

std::size_t knowledge_base::import_file(const std::string& path) {
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : lower_ascii(path.substr(dot + 1));
  import_format f;
  if (ext == "tsv" || ext == "tab" || ext == "txt") f = import_format::tsv;
  else if (ext == "csv") f = import_format::csv;
  else if (ext == "json") f = import_format::json;
  else throw invalid_argument_error(path + ": unknown knowledge file type (expected .tsv, .csv or .json)");
  const std::string text = detail::read_text_file(path);
  return import_text(text, f, path);
}

std::size_t knowledge_base::load_synonyms(const std::string& path) {
  const std::string text = detail::read_text_file(path);
  std::vector<synonym> t;
  std::size_t line = 0, pos = 0;
  std::string_view v(text);
  while (pos < v.size()) {
    auto nl = v.find('\n', pos);
    if (nl == std::string_view::npos) nl = v.size();
    std::string_view l = v.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    const std::string tl = trim(l);
    if (tl.empty() || tl[0] == '#') continue;
    const auto off = detail::invalid_utf8_offset(l);
    if (off != std::string_view::npos) throw parse_error(path, line, "invalid UTF-8 at byte " + std::to_string(off));
    const auto tab = l.find('\t');
    if (tab == std::string_view::npos) throw parse_error(path, line, "expected variant<TAB>canonical");
    const std::string var = trim(l.substr(0, tab)), can = trim(l.substr(tab + 1));
    if (var.empty()) throw parse_error(path, line, "field variant: empty");
    if (can.find('\t') != std::string::npos) throw parse_error(path, line, "more than two fields");
    t.push_back({var, can});
  }
  add_synonyms(t);
  return t.size();
}

// ---- SQLite -----------------------------------------------------------------

namespace detail {

class knowledge_storage {
 public:
  explicit knowledge_storage(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(
        "CREATE TABLE IF NOT EXISTS knowledge_entry("
        " id TEXT PRIMARY KEY, question TEXT NOT NULL, similar TEXT NOT NULL, answer TEXT NOT NULL,"
        " category TEXT NOT NULL, topic TEXT NOT NULL, keywords TEXT NOT NULL,"
        " valid_from TEXT, valid_until TEXT, version INTEGER NOT NULL, retired INTEGER NOT NULL,"
        " seq INTEGER NOT NULL)");
    db.exec(
        "CREATE TABLE IF NOT EXISTS knowledge_history("
        " id TEXT NOT NULL, version INTEGER NOT NULL, entry TEXT NOT NULL, PRIMARY KEY(id, version))");
    db.exec("CREATE TABLE IF NOT EXISTS knowledge_synonym(ord INTEGER PRIMARY KEY, variant TEXT NOT NULL, canonical TEXT NOT NULL)");
    db.exec("CREATE TABLE IF NOT EXISTS knowledge_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  }
  SQLite::Database db;
};

namespace {
std::string entry_json(const knowledge_entry& e) {
  nlohmann::json j{{"id", e.id},           {"question", e.question}, {"similar", e.similar},
                   {"answer", e.answer},   {"category", e.category}, {"topic", e.topic},
                   {"keywords", e.keywords}, {"version", e.version}, {"retired", e.retired}};
  if (e.valid_from) j["valid_from"] = format_day(*e.valid_from);
  if (e.valid_until) j["valid_until"] = format_day(*e.valid_until);
  return j.dump();
}
}  // namespace

void storage_put(knowledge_storage& s, const knowledge_entry& e) {
  try {
    SQLite::Transaction tx(s.db);
    SQLite::Statement q(s.db,
                        "INSERT INTO knowledge_entry(id, question, similar, answer, category, topic, keywords,"
                        " valid_from, valid_until, version, retired, seq)"
                        " VALUES(?,?,?,?,?,?,?,?,?,?,?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM knowledge_entry))"
                        " ON CONFLICT(id) DO UPDATE SET question=excluded.question, similar=excluded.similar,"
                        " answer=excluded.answer, category=excluded.category, topic=excluded.topic,"
                        " keywords=excluded.keywords, valid_from=excluded.valid_from,"
                        " valid_until=excluded.valid_until, version=excluded.version, retired=excluded.retired");
    q.bind(1, e.id);
    q.bind(2, e.question);
    q.bind(3, to_json_list(e.similar).dump());
    q.bind(4, e.answer);
    q.bind(5, e.category);
    q.bind(6, e.topic);
    q.bind(7, to_json_list(e.keywords).dump());
    if (e.valid_from) q.bind(8, format_day(*e.valid_from));
    else q.bind(8);
    if (e.valid_until) q.bind(9, format_day(*e.valid_until));
    else q.bind(9);
    q.bind(10, static_cast<int64_t>(e.version));
    q.bind(11, e.retired ? 1 : 0);
    q.exec();
    SQLite::Statement h(s.db, "INSERT OR REPLACE INTO knowledge_history(id, version, entry) VALUES(?,?,?)");
    h.bind(1, e.id);
    h.bind(2, static_cast<int64_t>(e.version));
    h.bind(3, entry_json(e));
    h.exec();
    tx.commit();
  } catch (const SQLite::Exception& x) {
    throw error(errc::storage_error, std::string("knowledge entry '") + e.id + "': " + x.what());
  }
}

void storage_put_synonyms(knowledge_storage& s, const std::vector<synonym>& table) {
  try {
    SQLite::Transaction tx(s.db);
    s.db.exec("DELETE FROM knowledge_synonym");
    SQLite::Statement q(s.db, "INSERT INTO knowledge_synonym(ord, variant, canonical) VALUES(?,?,?)");
    for (std::size_t i = 0; i < table.size(); ++i) {
      q.bind(1, static_cast<int64_t>(i));
      q.bind(2, table[i].variant);
      q.bind(3, table[i].canonical);
      q.exec();
      q.reset();
    }
    SQLite::Statement m(s.db, "INSERT OR REPLACE INTO knowledge_meta(key, value) VALUES('synonyms', 'set')");
    m.exec();
    tx.commit();
  } catch (const SQLite::Exception& x) {
    throw error(errc::storage_error, std::string("knowledge synonyms: ") + x.what());
  }
}

}  // namespace detail

void knowledge_base::save(const std::string& sqlite_path) const {
  std::unique_ptr<detail::knowledge_storage> s;
  try {
    s = std::make_unique<detail::knowledge_storage>(sqlite_path);
  } catch (const SQLite::Exception& x) {
    throw error(errc::storage_error, sqlite_path + ": " + x.what());
  }
  for (const auto& e : entries()) detail::storage_put(*s, e);
  detail::storage_put_synonyms(*s, synonyms());
}

knowledge_base knowledge_base::open(const std::string& sqlite_path) {
  std::shared_ptr<detail::knowledge_storage> s;
  std::vector<knowledge_entry> es;
  std::optional<std::vector<synonym>> syn;
  try {
    s = std::make_shared<detail::knowledge_storage>(sqlite_path);
    SQLite::Statement q(s->db,
                        "SELECT id, question, similar, answer, category, topic, keywords, valid_from, valid_until,"
                        " version, retired FROM knowledge_entry ORDER BY seq");
    while (q.executeStep()) {
      knowledge_entry e;
      e.id = q.getColumn(0).getString();
      e.question = q.getColumn(1).getString();
      e.similar = from_json_list(q.getColumn(2).getString());
      e.answer = q.getColumn(3).getString();
      e.category = q.getColumn(4).getString();
      e.topic = q.getColumn(5).getString();
      e.keywords = from_json_list(q.getColumn(6).getString());
      if (!q.getColumn(7).isNull()) e.valid_from = parse_day(q.getColumn(7).getString());
      if (!q.getColumn(8).isNull()) e.valid_until = parse_day(q.getColumn(8).getString());
      e.version = q.getColumn(9).getInt64();
      e.retired = q.getColumn(10).getInt() != 0;
      es.push_back(std::move(e));
    }
    SQLite::Statement m(s->db, "SELECT COUNT(*) FROM knowledge_meta WHERE key='synonyms'");
    if (m.executeStep() && m.getColumn(0).getInt() > 0) {
      std::vector<synonym> t;
      SQLite::Statement sq(s->db, "SELECT variant, canonical FROM knowledge_synonym ORDER BY ord");
      while (sq.executeStep()) t.push_back({sq.getColumn(0).getString(), sq.getColumn(1).getString()});
      syn = std::move(t);
    }
  } catch (const SQLite::Exception& x) {
    throw error(errc::storage_error, sqlite_path + ": " + x.what());
  } catch (const nlohmann::json::exception& x) {
    throw error(errc::storage_error, sqlite_path + ": a stored list is not JSON: " + x.what());
  }
  knowledge_base kb;
  kb.restore(std::move(es), std::move(syn));
  kb.storage_ = std::move(s);
  return kb;
}

}  // namespace hotline
