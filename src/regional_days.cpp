// The built-in regional days: Guangxi's 壮族三月三 notices 2014-2026 and the rule after.
// The rows are data/calendar/guangxi_sanyuesan_2014_2026.csv (sources there);
// tests/test_regional_days.cpp checks the two agree.
#include "hotline/regional_days.hpp"

#include "hotline/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hotline {
namespace {

constexpr detail::regional_row guangxi_rows[] = {
    {20140402, 1}, {20140403, 1},                                //
    {20150420, 1}, {20150421, 1},                                //
    {20160408, 1}, {20160409, 1}, {20160410, 1}, {20160411, 1},  //
    {20170330, 1}, {20170331, 1}, {20170401, 1}, {20170408, 0},  // 04-01 a national working day, off
    {20180415, 0}, {20180418, 1}, {20180419, 1}, {20180420, 1},  //
    {20190404, 1}, {20190408, 1},                                // around Qingming 04-05..07
    {20210414, 1}, {20210415, 1}, {20210416, 1}, {20210418, 0},  // 2020: cancelled
    {20220402, 1}, {20220406, 1},                                // 04-02 a national working day, off
    {20230421, 1}, {20230422, 1}, {20230423, 1},                 // 04-23 a national working day, off
    {20240411, 1}, {20240412, 1},                                //
    {20250331, 1}, {20250401, 1},                                //
    {20260417, 1}, {20260418, 1}, {20260419, 1}, {20260420, 1},  //
};

constexpr region_info regions_table[] = {
    {"guangxi", "广西壮族自治区", "壮族三月三", "Zhuang March 3rd", 2014, 2026,
     "广西壮族自治区少数民族习惯节日放假办法 (广西壮族自治区人民政府令第98号) and the General Office's yearly notices"},
};

day from_ymd(std::int32_t ymd) {
  return day{date::year{ymd / 10000} / static_cast<unsigned>(ymd / 100 % 100) / static_cast<unsigned>(ymd % 100)};
}

}  // namespace

std::span<const detail::regional_row> detail::regional_rows(std::string_view name) {
  if (name == "guangxi") return guangxi_rows;
  return {};
}

std::span<const region_info> builtin_regions() { return regions_table; }

const region_info& builtin_region(std::string_view name) {
  for (const auto& r : regions_table)
    if (r.name == name) return r;
  std::string have;
  for (const auto& r : regions_table) have.append(have.empty() ? "" : ", ").append(r.name);
  throw not_found_error(fmt::format("no built-in region '{}' (there is: {})", name, have));
}

calendar_overlay regional_overlay(std::string_view name, int first_year, int last_year) {
  const auto& r = builtin_region(name);
  calendar_overlay ov(fmt::format("{} {} ({})", r.name_zh, r.festival_zh, r.rule), calendar_layer::regional);
  const std::string zh(r.festival_zh), en(r.festival_en);
  for (const auto& row : detail::regional_rows(name)) {
    const int y = row.ymd / 10000;
    if (y < first_year || y > last_year) continue;
    if (row.day_off)
      ov.add_day_off(from_ymd(row.ymd), zh, en);
    else
      ov.add_working_day(from_ymd(row.ymd), zh + "调休", en + " (worked)");
  }
  const std::string zh_rule = zh + "（按农历三月初三、初四推算，暂定）";
  const std::string en_rule = en + " (computed: lunar 3/3 and 3/4, provisional)";
  for (int y = std::max(first_year, r.last_data_year + 1); y <= std::min(last_year, lunisolar::last_year); ++y)
    for (const day d : guangxi_rule_days(y)) ov.add_day_off(d, zh_rule, en_rule);
  return ov;
}

std::vector<std::string> calendar::regions() {
  std::vector<std::string> out;
  for (const auto& r : regions_table) out.emplace_back(r.name);
  return out;
}

calendar calendar::with_region(std::string_view name) const {
  const auto& r = builtin_region(name);
  // The years the calendar answers from notices or statutory days; a weekends-only
  // year gets no regional days (it has no festivals at all).
  int last = last_covered_year();
  if (last_statutory_year() > last) last = last_statutory_year();
  return with(regional_overlay(name, std::max(r.first_year, first_covered_year()), last));
}

}  // namespace hotline
