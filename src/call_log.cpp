// Call log import and the long-unanswered-call count.
#include "hotline/call_log.hpp"

#include "hotline/masking.hpp"

#include "text_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace hotline {
namespace {

constexpr std::string_view k_columns[] = {"call_id", "started_at", "answered", "wait_seconds", "agent",
                                          "ivr_key", "line",       "unit",     "work_order"};

}  // namespace

call_log call_log::from_csv(std::string_view text, const std::string& source) {
  call_log log;
  std::unordered_map<std::string, std::size_t> seen;  // call_id -> index in calls
  bool header = true;
  instant last{};
  detail::text_lines lines(text, source);
  for (std::string_view line; lines.next(line);) {
    const std::size_t lineno = lines.number();
    if (line.empty()) continue;
    auto f = detail::split_csv_record(line, source, lineno);
    if (header) {
      header = false;
      if (f.size() != std::size(k_columns) || !std::equal(f.begin(), f.end(), std::begin(k_columns)))
        throw parse_error(source, lineno, "expected the header call_id,started_at,answered,wait_seconds,agent,"
                                          "ivr_key,line,unit,work_order");
      continue;
    }
    if (f.size() != std::size(k_columns))
      throw parse_error(source, lineno, fmt::format("expected {} fields, found {}", std::size(k_columns), f.size()));
    call_record r;
    r.source_line = lineno;
    r.call_id = f[0];
    if (r.call_id.empty()) throw parse_error(source, lineno, "field 'call_id' is empty");
    try {
      r.started_at = parse_instant(f[1]);
    } catch (const parse_error&) {
      // Quoted fields are masked: a misaligned row puts a caller's number anywhere (masking.hpp).
      throw parse_error(source, lineno,
                        fmt::format("field 'started_at': '{}' is not an instant with its offset", mask_text(f[1])));
    }
    if (f[2] == "1" || f[2] == "true" || f[2] == "yes") r.answered = true;
    else if (f[2] == "0" || f[2] == "false" || f[2] == "no") r.answered = false;
    else throw parse_error(source, lineno, fmt::format("field 'answered': '{}' is not 1/0", mask_text(f[2])));
    long long w = -1;
    const auto rw = std::from_chars(f[3].data(), f[3].data() + f[3].size(), w);
    if (rw.ec != std::errc{} || rw.ptr != f[3].data() + f[3].size() || w < 0 || w > 86400)
      throw parse_error(source, lineno, fmt::format("field 'wait_seconds': '{}' is not 0..86400", mask_text(f[3])));
    r.wait = seconds{w};
    r.agent = f[4];
    if (!f[5].empty()) {
      int k = -1;
      const auto rk = std::from_chars(f[5].data(), f[5].data() + f[5].size(), k);
      if (rk.ec != std::errc{} || rk.ptr != f[5].data() + f[5].size() || k < 0 || k > 9)
        throw parse_error(source, lineno, fmt::format("field 'ivr_key': '{}' is not a key 0..9", mask_text(f[5])));
      r.ivr_key = k;
    }
    r.line = f[6];
    r.unit = f[7];
    r.work_order = f[8];
    if (const auto it = seen.find(r.call_id); it != seen.end()) {
      auto prev = log.calls[it->second];
      const std::size_t prev_line = prev.source_line;
      prev.source_line = r.source_line;
      if (prev == r) {
        log.warnings.push_back(fmt::format("{}:{}: call {} repeats line {}: skipped as a duplicate", source, lineno,
                                           r.call_id, prev_line));
        continue;
      }
      throw conflict_error(fmt::format("{}:{}: call {} was already given on line {} with different content",
                                       source, lineno, r.call_id, prev_line));
    }
    if (!log.calls.empty() && r.started_at < last)
      log.warnings.push_back(fmt::format("{}:{}: call {} starts before the previous row: rows sorted by start",
                                         source, lineno, r.call_id));
    last = std::max(last, r.started_at);
    seen.emplace(r.call_id, log.calls.size());
    log.calls.push_back(std::move(r));
  }
  if (header) throw parse_error(source, 1, "empty file: expected a header line");
  std::stable_sort(log.calls.begin(), log.calls.end(),
                   [](const call_record& a, const call_record& b) { return a.started_at < b.started_at; });
  return log;
}

call_log call_log::from_csv_file(const std::string& path) { return from_csv(detail::read_text_file(path), path); }

std::map<std::string, std::vector<occurrence>> long_unanswered(const std::vector<call_record>& calls,
                                                               const staffed_hours& hours, seconds threshold) {
  std::map<std::string, std::vector<occurrence>> out;
  for (const auto& c : calls) {
    if (c.answered || c.wait < threshold || !hours.is_staffed(c.started_at)) continue;
    out[c.unit].push_back({c.call_id, fmt::format("{} rang {} s unanswered in staffed hours",
                                                  format_instant(c.started_at), c.wait.count())});
  }
  return out;
}

}  // namespace hotline
