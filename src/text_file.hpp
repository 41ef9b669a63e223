// Reading a whole text file for the parsers, with an error that names it.
#pragma once

#include "hotline/error.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace hotline::detail {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(errc::io_error, path + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw error(errc::io_error, path + ": read failed");
  return std::move(ss).str();
}

}  // namespace hotline::detail
