// The built-in national calendar rows (generated: national_calendar_data.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotline::detail {

struct national_name {
  const char* zh;
  const char* en;
};
struct national_row {
  std::int32_t ymd;     ///< yyyymmdd
  std::uint8_t day_off; ///< 1 holiday, 0 worked weekend day
  std::uint8_t name;    ///< index into national_names
};

extern const national_name national_names[];
extern const std::size_t national_names_size;
extern const national_row national_rows[];
extern const std::size_t national_rows_size;
extern const int national_first_year;
extern const int national_last_year;

}  // namespace hotline::detail
