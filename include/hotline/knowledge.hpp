// hotline/knowledge.hpp: the knowledge base agents answer from, and Chinese
// question matching against it (000 art. 7, 10; 001 §4.2).
//
//   hotline::knowledge_base kb;
//   kb.add({.id = "FD-001", .question = "家庭医生怎么签约？", .similar = {"怎么签家庭医生"},
//           .answer = "...", .category = "family-doctor"});
//   auto hits = kb.match("请问家医在哪里签", {.k = 5});    // best first
//   if (!hits.empty() && hits[0].confidence >= kb.answer_threshold()) { /* answer now */ }
//   else { /* a work order to the grassroots institution (000 art. 10) */ }
//
// Decided once, here:
//  * An entry is matched by its best phrasing: the standard question, each
//    similar question, and (with lower field weights) its keywords and answer.
//  * A retired entry never matches, nor one outside [valid_from, valid_until]
//    (both inclusive) on the day of the query: match_options::on, by default
//    today in Beijing.  Retiring keeps the entry (and its history in SQLite).
//  * Queries longer than max_query_bytes are cut at the last whole code point
//    before that many bytes; a query with invalid UTF-8 is an
//    invalid_argument_error naming the byte offset; a query with nothing
//    matchable (empty, only punctuation, emoji or control characters) has no hits.
//  * confidence is a calibrated probability that hits[0] answers the caller
//    (docs/knowledge.md).  answer_threshold() (default 0.5) is the line
//    between answering now and opening a work order.
//  * Queries are const and may run from any number of threads at once;
//    mutations take an exclusive lock and may interleave with them.
#pragma once

#include "hotline/error.hpp"
#include "hotline/triage.hpp"
#include "hotline/time.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

/// One answerable question of the knowledge base.
struct knowledge_entry {
  std::string id;                     ///< unique, non-empty, no control characters
  std::string question;               ///< the standard phrasing (non-empty)
  std::vector<std::string> similar;   ///< other phrasings of the same question
  std::string answer;
  std::string category;               ///< service line, e.g. "family-doctor" (see service_lines())
  std::string topic;                  ///< topic within the line, e.g. "signing"
  std::vector<std::string> keywords;  ///< extra terms that point at this entry
  std::optional<day> valid_from;      ///< first day the entry applies (inclusive)
  std::optional<day> valid_until;     ///< last day the entry applies (inclusive)
  std::int64_t version = 0;           ///< kept by the base: 1 on add, +1 on every update
  bool retired = false;               ///< kept by the base: set by retire()

  /// Not retired and `d` within [valid_from, valid_until].
  [[nodiscard]] bool in_force(day d) const noexcept {
    return !retired && (!valid_from || *valid_from <= d) && (!valid_until || d <= *valid_until);
  }
};

/// A term of the query that counted for a hit, and how much.
struct term_contribution {
  std::string term;   ///< normalised text: one character, a character pair, or a word
  double weight = 0;  ///< its share of the hit's score
};

/// One entry that may answer the query.
struct knowledge_hit {
  std::string id;
  double score = 0;       ///< ranking score (larger is better, unbounded)
  double confidence = 0;  ///< calibrated probability that this entry answers the query, in [0, 1]
  std::string category;
  std::string topic;
  std::size_t phrasing = 0;  ///< which phrasing matched: 0 the question, 1.. similar[i-1], then keywords, answer
  std::string matched;       ///< the text of that phrasing
  std::vector<term_contribution> terms;  ///< filled when match_options::explain, largest first
  std::string intent;        ///< the question type both sides share ("cost", "where", ...), or empty
};

/// Options of one query.
struct match_options {
  std::size_t k = 5;           ///< at most this many hits (0 gives none)
  std::optional<day> on;       ///< validity day; default today in Beijing
  bool explain = false;        ///< fill knowledge_hit::terms
};

/// Which service line (001 §6, 000 art. 8) a question belongs to, and what the caller
/// wants: the work order's line and request type, pre-filled for the agent to confirm
/// (issue 20; the decision is described in docs/triage.md).
struct line_guess {
  /// A line of service_lines() ("family-doctor", "immunization", "medical-service-complaint"
  /// ...); "out-of-scope" only on positive evidence of another channel (`topic` names it,
  /// `channel` says where to send the caller); "unsure" when the text cannot be placed:
  /// a human agent decides, the caller is never sent away on a guess.
  std::string line;
  std::string topic;       ///< a topic within the line when one is clear; the channel's name out of scope
  double confidence = 0;   ///< calibrated probability of `line` in [0, 1]; 0 for unreadable text
  std::string channel;     ///< for out-of-scope questions: where to send the caller
  std::vector<std::string> cues;  ///< what decided it: triage's cues, the channel's evidence words, the model's n-grams
  /// consultation, complaint, report, help_request, praise or suggestion; empty for unreadable text.
  std::string request_type;
  double request_type_confidence = 0;  ///< calibrated probability of `request_type`
  /// Crises first: when triage.urgent, route the call by triage.route at once (the line
  /// above follows the crisis: psychological-aid, public-health-emergency, ...; for a
  /// violence or emergency flag whose line the model gives below 0.5, or an outbreak flag
  /// whose line it gives below 0.1, while it prefers another (for an outbreak, one other
  /// than health-knowledge, health-supervision or unsure), the line is the model's and the
  /// route and `urgent` still stand).
  triage_result triage;
  /// When `line` is "unsure" and the text is readable: the model's most probable line or
  /// channel other than unsure, for the agent to confirm (a channel below the out-of-scope
  /// rule's bar, or a line it half recognises); never acted on by the library.  Empty otherwise.
  std::string suggestion;
  double suggestion_confidence = 0;  ///< the model's calibrated probability of `suggestion`
};

/// What to do with a caller's question (000 art. 10).
struct answer_decision {
  std::vector<knowledge_hit> hits;
  bool answer_now = false;  ///< hits[0].confidence >= threshold and no crisis (line.triage.urgent): answer from the base at once
  line_guess line;          ///< otherwise: a work order for this line, or out of scope with its channel
};

/// A service line of the hotline, and the cue words that point at it.
struct service_line {
  std::string name;                ///< "immunization"
  std::string label;               ///< "免疫规划（预防接种）"
  std::vector<std::string> cues;   ///< words pointing at the line
  std::string channel;             ///< for out-of-scope pseudo-lines: the right channel to tell the caller
  bool in_scope = true;            ///< false: a topic the 12320 line does not handle
};

/// A synonym or abbreviation: `variant` is read as `canonical` on both sides
/// of every comparison (an empty canonical removes the variant: a filler word).
struct synonym {
  std::string variant;
  std::string canonical;
};

/// The file formats of bulk import (the column names are in docs/knowledge.md).
enum class import_format { tsv, csv, json };

namespace detail {
/// The SQLite file a base writes through to (knowledge_io.cpp); never used directly.
class knowledge_storage;
void storage_put(knowledge_storage& s, const knowledge_entry& e);
void storage_put_synonyms(knowledge_storage& s, const std::vector<synonym>& table);
}  // namespace detail

/// The knowledge base: entries, their index, synonyms and service lines.
class knowledge_base {
 public:
  /// Queries are cut to this many bytes (at a code point boundary) before matching.
  static constexpr std::size_t max_query_bytes = 1024;
  /// Confidence at or above which an agent answers now; below it, a work order.
  static constexpr double default_answer_threshold = 0.5;

  /// An empty base with the built-in synonyms, fillers and service lines.
  knowledge_base();
  ~knowledge_base();
  knowledge_base(knowledge_base&&) noexcept;
  knowledge_base& operator=(knowledge_base&&) noexcept;
  knowledge_base(const knowledge_base&) = delete;
  knowledge_base& operator=(const knowledge_base&) = delete;

  // ---- entries ----------------------------------------------------------
  /// Adds a new entry (version 1).  conflict_error when the id exists (retired ones too),
  /// invalid_argument_error for an empty id or question, invalid UTF-8, or valid_until < valid_from.
  void add(knowledge_entry e);
  /// Replaces an entry, version + 1.  not_found_error for an unknown id; conflict_error
  /// when `expected_version` is given and differs from the stored one.  Un-retires.
  void update(knowledge_entry e, std::optional<std::int64_t> expected_version = std::nullopt);
  /// add() or update(), whichever applies.
  void upsert(knowledge_entry e);
  /// Retires an entry: it stays stored but never matches again.  not_found_error for an unknown id.
  void retire(std::string_view id);
  [[nodiscard]] std::optional<knowledge_entry> get(std::string_view id) const;
  /// Entries not retired (whatever their validity dates).
  [[nodiscard]] std::size_t size() const;
  /// Every entry, retired ones included, in insertion order.
  [[nodiscard]] std::vector<knowledge_entry> entries() const;

  // ---- matching ---------------------------------------------------------
  /// The entries that best answer `query`, best first, at most opts.k.
  [[nodiscard]] std::vector<knowledge_hit> match(std::string_view query, const match_options& opts = {}) const;
  /// match(), the answer-now decision and the service line in one call.
  [[nodiscard]] answer_decision answer(std::string_view query, const match_options& opts = {}) const;
  /// The service line of a question, or out-of-scope with its channel.
  [[nodiscard]] line_guess classify(std::string_view query) const;
  /// The text as the matcher reads it: simplified, half-width, lower case, Arabic
  /// numerals, synonyms applied, fillers and punctuation removed (tokens space-separated).
  [[nodiscard]] std::string normalize(std::string_view text) const;

  [[nodiscard]] double answer_threshold() const noexcept { return threshold_; }
  /// invalid_argument_error outside [0, 1].
  void set_answer_threshold(double t);

  /// Fits the confidence calibration to this base (docs/knowledge.md): pseudo-queries
  /// made from each entry's own phrasings, answered with and without the entry.
  /// Returns the number of pseudo-queries used.  Without it, built-in coefficients apply.
  std::size_t calibrate();

  // ---- synonyms and service lines (data the centre edits) ---------------
  /// Replaces the synonym table (the built-in one included) and re-indexes.
  void set_synonyms(std::vector<synonym> table);
  /// Adds to the synonym table and re-indexes.
  void add_synonyms(const std::vector<synonym>& table);
  [[nodiscard]] std::vector<synonym> synonyms() const;
  /// Reads "variant<TAB>canonical" lines (# comments, blank lines allowed) and add_synonyms().
  /// parse_error naming the line for a malformed one.
  std::size_t load_synonyms(const std::string& path);
  /// The built-in synonyms: language-level question words and fillers, health-domain abbreviations.
  static std::vector<synonym> builtin_synonyms();

  void set_service_lines(std::vector<service_line> lines);
  [[nodiscard]] const std::vector<service_line>& service_lines() const noexcept;
  /// The 12320 lines of 001 §6 and the family-doctor line (000 art. 8), plus known out-of-scope channels.
  static std::vector<service_line> builtin_service_lines();

  // ---- bulk import and storage ------------------------------------------
  /// Imports a .tsv, .csv or .json file (by extension); upserts every entry, all or nothing.
  /// parse_error naming the file, line and field on bad input; the base is then unchanged.
  std::size_t import_file(const std::string& path);
  std::size_t import_text(std::string_view text, import_format format, const std::string& source = "");

  /// Writes every entry (retired ones too) and the synonyms into an SQLite file
  /// (tables knowledge_entry, knowledge_history, knowledge_synonym; may be the store's file).
  void save(const std::string& sqlite_path) const;
  /// Loads a base from an SQLite file written by save() and keeps writing every
  /// change through to it.  A missing file is created empty.
  static knowledge_base open(const std::string& sqlite_path);

 private:
  // Puts stored entries back as they were (versions, retirement), for open().
  void restore(std::vector<knowledge_entry> entries, std::optional<std::vector<synonym>> table);
  struct impl;
  std::unique_ptr<impl> p_;
  double threshold_ = default_answer_threshold;
  std::shared_ptr<detail::knowledge_storage> storage_;
};

}  // namespace hotline
