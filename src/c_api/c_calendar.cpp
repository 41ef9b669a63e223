// The C ABI for the workday calendar.
#include "c_common.hpp"
#include "c_handles.hpp"
#include "hotline/calendar.hpp"

#include <cstring>
#include <optional>

using hotline::c_api::guard;
using hotline::c_api::null_out;
using hotline::c_api::text_arg;

extern "C" {

hotline_status hotline_calendar_new_china(hotline_calendar** out, int options) {
  return guard([&] {
    null_out(out);
    HOTLINE_C_REQUIRE(out, "out is NULL");
    HOTLINE_C_REQUIRE((options & ~(HOTLINE_CALENDAR_WEEKENDS_BEYOND_DATA | HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA)) == 0,
                      "unknown calendar option bits");
    *out = new hotline_calendar{hotline::calendar::china(
        {.weekends_beyond_data = (options & HOTLINE_CALENDAR_WEEKENDS_BEYOND_DATA) != 0,
         .statutory_beyond_data = (options & HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA) != 0})};
  });
}

void hotline_calendar_free(hotline_calendar* cal) { delete cal; }

hotline_status hotline_calendar_with_overlay_file(hotline_calendar** out, const hotline_calendar* cal,
                                                  const char* path, int layer) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal && path, "out, cal and path must not be NULL");
    HOTLINE_C_REQUIRE(layer >= HOTLINE_LAYER_NATIONAL && layer <= HOTLINE_LAYER_ORGANISATION, "unknown layer");
    const std::string p(text_arg(path, "path"));
    const auto l = static_cast<hotline::calendar_layer>(layer);
    const bool ics = p.size() >= 4 && (p.ends_with(".ics") || p.ends_with(".ICS"));
    auto ov = ics ? hotline::calendar_overlay::from_ics_file(p, l) : hotline::calendar_overlay::from_csv_file(p, l);
    *out = new hotline_calendar{cal->cal.with(ov)};
  });
}

hotline_status hotline_calendar_with_notice_file(hotline_calendar** out, const hotline_calendar* cal, const char* path,
                                                int year) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal && path, "out, cal and path must not be NULL");
    const auto ov = hotline::calendar_overlay::from_notice_file(std::string(text_arg(path, "path")), year ? std::optional<int>(year) : std::nullopt);
    *out = new hotline_calendar{cal->cal.with(ov)};
  });
}

hotline_status hotline_calendar_with_notices(hotline_calendar** out, const hotline_calendar* cal, const char* folder) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal && folder, "out, cal and folder must not be NULL");
    *out = new hotline_calendar{cal->cal.with_notices(std::string(text_arg(folder, "folder")))};
  });
}

hotline_status hotline_calendar_with_region(hotline_calendar** out, const hotline_calendar* cal, const char* name) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal && name, "out, cal and name must not be NULL");
    *out = new hotline_calendar{cal->cal.with_region(std::string(text_arg(name, "name")))};
  });
}

hotline_status hotline_calendar_is_provisional(int* out, const hotline_calendar* cal, int64_t day) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal, "out and cal must not be NULL");
    *out = cal->cal.is_provisional(hotline::from_day_number(day)) ? 1 : 0;
  });
}

hotline_status hotline_calendar_day_kind(int* out, const hotline_calendar* cal, int64_t day) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal, "out and cal must not be NULL");
    *out = static_cast<int>(cal->cal.kind(hotline::from_day_number(day)));
  });
}

hotline_status hotline_calendar_is_workday(int* out, const hotline_calendar* cal, int64_t day) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal, "out and cal must not be NULL");
    *out = cal->cal.is_workday(hotline::from_day_number(day)) ? 1 : 0;
  });
}

hotline_status hotline_calendar_add_workdays(int64_t* out, const hotline_calendar* cal, int64_t day, int64_t n) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal, "out and cal must not be NULL");
    *out = hotline::detail::add_workdays(cal->cal.table(), day, n);
  });
}

hotline_status hotline_calendar_workdays_between(int64_t* out, const hotline_calendar* cal, int64_t a, int64_t b) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && cal, "out and cal must not be NULL");
    *out = cal->cal.workdays_between(hotline::from_day_number(a), hotline::from_day_number(b));
  });
}

hotline_status hotline_calendar_add_workdays_batch(int64_t* out, const hotline_calendar* cal, const int64_t* days,
                                                   size_t count, const int64_t* n, size_t n_count) {
  return guard([&] {
    HOTLINE_C_REQUIRE(cal && (count == 0 || (out && days && n)), "NULL argument");
    HOTLINE_C_REQUIRE(n_count == count || n_count == 1, "n_count must be count or 1");
    cal->cal.add_workdays(std::span<const std::int64_t>(days, count), std::span<const std::int64_t>(n, n_count),
                          std::span<std::int64_t>(out, count));
  });
}

hotline_status hotline_calendar_holiday_name(char* buf, size_t size, size_t* needed, const hotline_calendar* cal,
                                             int64_t day, int english) {
  hotline_status st = HOTLINE_OK;
  const auto r = guard([&] {
    HOTLINE_C_REQUIRE(cal && (buf || size == 0), "cal must not be NULL, buf only when size is 0");
    const auto name = cal->cal.holiday_name(hotline::from_day_number(day), english != 0).value_or("");
    if (needed) *needed = name.size() + 1;
    if (size < name.size() + 1) {
      hotline::c_api::last_error() = "buffer too small for the holiday name";
      st = hotline::c_api::last_status() = HOTLINE_E_BUFFER_TOO_SMALL;
      return;
    }
    std::memcpy(buf, name.data(), name.size());
    buf[name.size()] = '\0';
  });
  return r != HOTLINE_OK ? r : st;
}

hotline_status hotline_parse_day(int64_t* out, const char* text) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && text, "out and text must not be NULL");
    *out = hotline::day_number(hotline::parse_day(text_arg(text, "text")));
  });
}

}  // extern "C"
