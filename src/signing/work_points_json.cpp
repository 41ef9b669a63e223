// Points tables from JSON (the format is described in hotline/signing/work_points.hpp).
//
// Reading is strict: an unknown key in a version is an error (a misspelt
// "pionts" must not leave a version unpriced), and every error names the
// source, the line of the bad value and the path to it with the version's id.
// nlohmann::json 3.11 keeps no positions in its values, so the line is found
// after the fact by walking the (already valid) text along the same path: that
// costs nothing unless there is an error to report.
#include "hotline/signing/work_points.hpp"

#include "../text_file.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <variant>

namespace hotline::signing {
namespace {

using json = nlohmann::json;
using segment = std::variant<std::string, std::size_t>;  // an object key or an array index

std::size_t line_at_byte(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

/// Walks valid JSON text along a path of keys and indices to the byte where the
/// value starts.  Keys are compared as written (a key spelt with escapes is not
/// found); a duplicate key finds its first occurrence.
class locator {
 public:
  explicit locator(std::string_view text) : t_(text) {
    if (t_.starts_with("\xEF\xBB\xBF")) p_ = 3;
  }
  /// The line of the value at `path`, or of its nearest ancestor that can be found; 0 if none.
  std::size_t line(std::vector<segment> path) {
    for (;;) {
      p_ = t_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
      if (const auto at = find(path, 0); at != std::string_view::npos) return line_at_byte(t_, at);
      if (path.empty()) return 0;
      path.pop_back();
    }
  }

 private:
  void blank() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r')) ++p_;
  }
  bool at(char c) const { return p_ < t_.size() && t_[p_] == c; }
  std::string_view string() {  // at the opening quote
    const std::size_t b = ++p_;
    while (p_ < t_.size() && t_[p_] != '"') p_ += t_[p_] == '\\' ? 2U : 1U;
    const auto s = t_.substr(b, std::min(p_, t_.size()) - b);
    ++p_;
    return s;
  }
  void skip() {
    blank();
    if (at('"')) {
      string();
    } else if (at('{') || at('[')) {
      int depth = 0;
      do {
        if (at('"')) {
          string();
          continue;
        }
        if (at('{') || at('['))
          ++depth;
        else if (at('}') || at(']'))
          --depth;
        ++p_;
      } while (depth > 0 && p_ < t_.size());
    } else {
      while (p_ < t_.size() && std::string_view(",]} \t\r\n").find(t_[p_]) == std::string_view::npos) ++p_;
    }
  }
  std::size_t find(const std::vector<segment>& path, std::size_t depth) {
    blank();
    if (depth == path.size()) return p_ < t_.size() ? p_ : std::string_view::npos;
    const auto* key = std::get_if<std::string>(&path[depth]);
    const auto* index = std::get_if<std::size_t>(&path[depth]);
    if (key && at('{')) {
      ++p_;
      for (;;) {
        blank();
        if (!at('"')) return std::string_view::npos;
        const std::string_view k = string();
        blank();
        if (!at(':')) return std::string_view::npos;
        ++p_;
        if (k == *key) return find(path, depth + 1);
        skip();
        blank();
        if (!at(',')) return std::string_view::npos;
        ++p_;
      }
    }
    if (index && at('[')) {
      ++p_;
      for (std::size_t i = 0;; ++i) {
        blank();
        if (at(']')) return std::string_view::npos;
        if (i == *index) return find(path, depth + 1);
        skip();
        blank();
        if (!at(',')) return std::string_view::npos;
        ++p_;
      }
    }
    return std::string_view::npos;
  }

  std::string_view t_;
  std::size_t p_ = 0;
};

struct context {
  std::string_view text;
  std::string source;
};

/// A JSON value with the path that led to it (for the line) and its display
/// form (for the message, with the version's id once known).
struct node {
  const json& v;
  std::vector<segment> path;
  std::string shown;
  const context& c;

  [[noreturn]] void fail(const std::string& why) const { fail_at(path, why); }
  /// Fails with this node's path in the message and the line of `where` (a child, say).
  [[noreturn]] void fail_at(const std::vector<segment>& where, const std::string& why) const {
    throw_at(where, (shown.empty() ? std::string("(top level)") : shown) + ": " + why);
  }
  [[noreturn]] void throw_at(const std::vector<segment>& where, const std::string& message) const {
    throw parse_error(c.source, locator(c.text).line(where), message);
  }
  [[nodiscard]] bool has(const char* key) const { return v.contains(key); }
  node operator[](const std::string& key) const {
    auto p = path;
    p.emplace_back(key);
    return {v.at(key), std::move(p), shown.empty() ? key : shown + "." + key, c};
  }
  node at(std::size_t i) const {
    auto p = path;
    p.emplace_back(i);
    return {v.at(i), std::move(p), shown + "[" + std::to_string(i) + "]", c};
  }
  /// Objects only, with keys among `allowed`; an unknown key is an error at that key.
  void expect_object(std::initializer_list<const char*> allowed) const {
    if (!v.is_object()) fail(fmt::format("expected an object, not {}", v.dump()));
    for (auto it = v.begin(); it != v.end(); ++it) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || it.key() == a;
      if (!ok) {
        std::string list;
        for (const char* a : allowed) list.append(list.empty() ? "" : ", ").append(a);
        auto where = path;
        where.emplace_back(it.key());
        fail_at(where, fmt::format("unknown key '{}' (expected: {})", it.key(), list));
      }
    }
  }
  [[nodiscard]] std::string str() const {
    if (!v.is_string()) fail(fmt::format("expected a string, not {}", v.dump()));
    return v.get<std::string>();
  }
};

std::array<double, service_kind_count> parse_points(const node& n) {
  if (!n.v.is_object()) n.fail(fmt::format("expected an object of points per service kind, not {}", n.v.dump()));
  std::array<double, service_kind_count> out{};
  std::array<std::string, service_kind_count> seen{};  // the key that priced each kind
  for (auto it = n.v.begin(); it != n.v.end(); ++it) {
    const node p = n[it.key()];
    service_kind k{};
    try {
      k = parse<service_kind>(it.key(), n.shown);  // names the version, the key and the accepted names
    } catch (const invalid_argument_error& e) {
      n.throw_at(p.path, e.what());
    }
    const auto i = static_cast<std::size_t>(k);
    if (!seen[i].empty())
      p.fail(fmt::format("service kind '{}' is priced twice (as '{}' and as '{}')", name(k), seen[i], it.key()));
    seen[i] = it.key();
    if (!p.v.is_number()) p.fail(fmt::format("expected a number of points, not {}", p.v.dump()));
    const double x = p.v.get<double>();
    if (!std::isfinite(x) || x < 0) p.fail(fmt::format("points must be a number >= 0, not {}", p.v.dump()));
    out[i] = x;
  }
  for (std::size_t i = 0; i < service_kind_count; ++i)
    if (seen[i].empty()) {
      const auto k = static_cast<service_kind>(i);
      n.fail(fmt::format("service kind '{}' ({}) has no points: every version prices every kind", name(k), label(k)));
    }
  return out;
}

points_table::version parse_version(node n) {
  if (!n.v.is_object()) n.fail(fmt::format("expected a version object, not {}", n.v.dump()));
  points_table::version v;
  if (!n.has("id")) n.fail("a version needs an id, e.g. \"id\": \"2017-v1\"");
  v.id = n["id"].str();
  if (v.id.empty()) n["id"].fail("a version needs a non-empty id");
  n.shown += " ('" + v.id + "')";  // from here on every message names the version
  n.expect_object({"id", "from", "points", "name", "note"});
  if (!n.has("from")) n.fail("a version needs the day it applies from, e.g. \"from\": \"2017-01-01\"");
  {
    const node f = n["from"];
    const std::string text = f.str();
    try {
      v.from = parse_day(text);
    } catch (const hotline::parse_error& e) {
      std::string_view why = e.what();
      if (why.starts_with("<text>: ")) why.remove_prefix(8);
      f.fail(std::string(why));
    }
  }
  if (!n.has("points")) n.fail("a version needs points, e.g. \"points\": {\"follow_up\": 2, ...}");
  v.points = parse_points(n["points"]);
  // name and note are free text, but text
  if (n.has("name")) (void)n["name"].str();
  if (n.has("note")) (void)n["note"].str();
  return v;
}

}  // namespace

points_table points_table::from_json(std::string_view text, std::string_view source_name) {
  const context c{text, source_name.empty() ? std::string("<text>") : std::string(source_name)};
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw parse_error(c.source, line_at_byte(text, e.byte == 0 ? 0 : e.byte - 1),
                      std::string("not valid JSON: ") + e.what());
  } catch (const json::out_of_range&) {  // a number beyond a double (1e999): nlohmann's error 406
    throw parse_error(c.source, 0, "not valid JSON: a number is too large to represent");
  }
  const node root{doc, {}, "", c};
  root.expect_object({"name", "note", "versions"});
  std::string table_name;
  if (root.has("name")) table_name = root["name"].str();
  if (root.has("note")) (void)root["note"].str();
  if (!root.has("versions"))
    root.fail("a points table needs \"versions\": [{\"id\": ..., \"from\": ..., \"points\": {...}}, ...]");
  const node vs = root["versions"];
  if (!vs.v.is_array() || vs.v.empty()) vs.fail("expected a non-empty list of versions");
  std::vector<version> versions;
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < vs.v.size(); ++i) {
    const node n = vs.at(i);
    versions.push_back(parse_version(n));
    shown.push_back(n.shown + " ('" + versions.back().id + "')");
  }
  if (auto p = problem(versions)) {
    std::vector<segment> where{std::string("versions"), p->index};
    if (!p->field.empty()) where.emplace_back(p->field);
    throw parse_error(c.source, locator(text).line(where), shown.at(p->index) + ": " + p->what);
  }
  return points_table(std::move(table_name), std::move(versions));
}

points_table points_table::from_file(const std::string& path) {
  return from_json(hotline::detail::read_text_file(path), path);
}

}  // namespace hotline::signing
