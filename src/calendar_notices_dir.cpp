// calendar::with_notices: a host's folder of holiday notices, loaded at start.
//
// A 12320 centre keeps each year's State Council notice in a folder as it was
// published (2027.txt) or as the overlay file python3 -m hotline.notice makes of
// it (2027.csv); its program calls calendar::china().with_notices(folder) once
// at start.  The files are read first and applied in the order of the years they
// cover, so their names do not matter and each year adjoins the last.
#include "hotline/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace hotline {
namespace {

std::string lower_extension(const std::filesystem::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

}  // namespace

calendar calendar::with_notices(const std::string& folder) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw not_found_error(fmt::format("notices folder '{}' does not exist or is not a folder", folder));
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const auto ext = lower_extension(it->path());
    if ((ext == ".txt" || ext == ".csv") && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) throw storage_error(fmt::format("notices folder '{}': {}", folder, ec.message()));
  std::sort(files.begin(), files.end());  // a stable order for the error a duplicate year gives

  std::vector<calendar_overlay> overlays;
  for (const auto& f : files) {
    auto ov = lower_extension(f) == ".txt"
                  ? calendar_overlay::from_notice_file(f.string())
                  : calendar_overlay::from_csv_file(f.string(), calendar_layer::national);
    if (ov.covers_first() > ov.covers_last())
      throw parse_error(f.string(), 0,
                        "a national overlay in a notices folder must declare the year it lists ('# covers: YYYY')");
    for (const auto& o : overlays)
      if (o.covers_first() <= ov.covers_last() && ov.covers_first() <= o.covers_last())
        throw conflict_error(fmt::format("notices folder '{}': {} and {} both cover {}", folder, o.source(),
                                         ov.source(), std::max(o.covers_first(), ov.covers_first())));
    overlays.push_back(std::move(ov));
  }
  std::sort(overlays.begin(), overlays.end(),
            [](const calendar_overlay& a, const calendar_overlay& b) { return a.covers_first() < b.covers_first(); });
  calendar out = *this;
  for (const auto& ov : overlays) out = out.with(ov);
  return out;
}

}  // namespace hotline
