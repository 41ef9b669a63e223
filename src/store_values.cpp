// The work-order store's small back-end-neutral conversions (store_values.hpp): hex,
// comma lists, the counted actions' JSON.  Apart from the SQLite files so that another
// back end can share them.
#include "store_values.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hotline::detail {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (char c : bytes) {
    s.push_back(digits[(static_cast<unsigned char>(c) >> 4) & 0xF]);
    s.push_back(digits[static_cast<unsigned char>(c) & 0xF]);
  }
  return s;
}

std::string comma_join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s.push_back(',');
    s.append(x);
  }
  return s;
}

std::vector<std::string> comma_split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto j = std::min(s.find(',', i), s.size());
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void count_action(std::string& actions, std::string_view name) {
  auto j = actions.empty() ? nlohmann::json::object() : nlohmann::json::parse(actions);
  const std::string key(name);
  j[key] = j.value(key, 0) + 1;
  actions = j.dump();
}

std::string counted_actions_json(const std::map<std::string, int>& counts) {
  if (counts.empty()) return {};
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : counts) j[k] = v;
  return j.dump();
}

}  // namespace hotline::detail
