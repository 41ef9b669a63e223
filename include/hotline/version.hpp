// hotline/version.hpp: the library's version.
#pragma once

#define HOTLINE_VERSION_MAJOR 0
#define HOTLINE_VERSION_MINOR 1
#define HOTLINE_VERSION_PATCH 0

namespace hotline {
inline constexpr const char* version_string = "0.1.0";
}  // namespace hotline
