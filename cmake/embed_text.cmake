# Writes a text file into a C++ source as a raw string literal, so the library
# carries data it needs (the triage corpus the intake classifier trains on) with
# no path to find at run time.  Run by src/CMakeLists.txt at build time:
#   cmake -DIN=<text file> -DOUT=<.cpp> -DNAME=<function> -P embed_text.cmake
# The function is hotline::detail::<NAME>() returning std::string_view.
file(READ "${IN}" content)
string(FIND "${content}" ")hotline_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} holds the raw-string delimiter )hotline_embed\"")
endif()
get_filename_component(name "${IN}" NAME)
file(WRITE "${OUT}.tmp" "// Generated at build time from ${name} by cmake/embed_text.cmake; do not edit.
#include <string_view>
namespace hotline::detail {
std::string_view ${NAME}() noexcept {
  static constexpr char text[] = R\"hotline_embed(${content})hotline_embed\";
  return {text, sizeof(text) - 1};
}
}  // namespace hotline::detail
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
