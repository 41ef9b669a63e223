// The store's order cache (src/store_order_cache.hpp) against a plain map: entries found
// by number, kept in place while the index grows and shrinks, detached entries kept until
// their transaction is dropped, slots reused.
#include "../src/store_order_cache.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

struct entry {
  std::string number;
  int value = 0;
  std::uint32_t cache_slot = 0;
  std::string_view key() const { return number; }
};

std::string number_of(int i) { return "20250303-" + std::to_string(10000000 + i); }

}  // namespace

TEST_CASE("the order cache finds what a map finds, through growth, detaching and drops") {
  hotline::detail::order_cache<entry> cache;
  struct model_entry {
    entry* where;
    int value;
    std::int64_t handoff;
  };
  std::map<std::string, model_entry> indexed;           // number -> the entry the cache must find
  std::multimap<std::int64_t, entry*> detached;         // handoff -> detached entries, still in place
  std::mt19937 rng(42);
  std::int64_t handed = 0, written = 0;
  std::size_t max_size = 0;
  for (int step = 0; step < 60000; ++step) {
    const int op = static_cast<int>(rng() % 100);
    max_size = std::max(max_size, indexed.size());
    const int i = static_cast<int>(rng() % 3000);
    if (step % 20000 == 19999) {  // now and then, a clear
      cache.clear();
      indexed.clear();
      detached.clear();
      continue;
    }
    const auto no = number_of(i);
    if (op < 40) {  // emplace
      const int v = static_cast<int>(rng());
      auto [e, fresh] = cache.emplace(no, entry{no, v});
      const auto it = indexed.find(no);
      CHECK(fresh == (it == indexed.end()));
      if (fresh) {
        indexed[no] = {e, v, 0};
      } else {
        CHECK(e == it->second.where);
        CHECK(e->value == it->second.value);
      }
    } else if (op < 70) {  // find: a number the map holds, or any
      auto wanted = no;
      if (!indexed.empty() && rng() % 2)
        wanted = std::next(indexed.begin(), static_cast<long>(rng() % indexed.size()))->first;
      entry* e = cache.find(wanted);
      const auto it = indexed.find(wanted);
      REQUIRE((e != nullptr) == (it != indexed.end()));
      if (e) {
        CHECK(e == it->second.where);  // never moved
        CHECK(e->value == it->second.value);
        CHECK(cache.handoff_of(*e) == it->second.handoff);
      }
    } else if (op < 82) {  // hand over an indexed entry with the next transaction
      const auto it = indexed.find(no);
      if (it == indexed.end()) continue;
      it->second.handoff = handed + 1;
      cache.handed(*it->second.where, handed + 1);
      if (rng() % 4 == 0) ++handed;
    } else if (op < 99 || rng() % 40 != 0) {  // detach an entry that was handed over
      const auto it = indexed.find(no);
      if (it == indexed.end() || it->second.handoff == 0) continue;
      cache.detach(*it->second.where);
      detached.emplace(it->second.handoff, it->second.where);
      indexed.erase(it);
      CHECK(cache.find(no) == nullptr);
    } else {  // a transaction commits; the next hand-over drops what is done
      if (written < handed) ++written;
      cache.drop_handed(written);
      for (auto it = indexed.begin(); it != indexed.end();)
        it = it->second.handoff <= written ? indexed.erase(it) : std::next(it);
      detached.erase(detached.begin(), detached.upper_bound(written));
    }
    REQUIRE(cache.size() == indexed.size());
    // Detached entries stay where they were, with what they held.
    for (const auto& [no_, d] : detached) CHECK(d->number.rfind("20250303-", 0) == 0);
  }
  CHECK(max_size > 1000);  // the index grew well past its first sizes
  // Everything the map holds is found at its place, and nothing else.
  for (const auto& [no, m] : indexed) CHECK(cache.find(no) == m.where);
  for (int i = 0; i < 3000; ++i)
    if (!indexed.count(number_of(i))) CHECK(cache.find(number_of(i)) == nullptr);
}

TEST_CASE("the order cache reuses the slots it drops") {
  hotline::detail::order_cache<entry> cache;
  std::vector<entry*> first;
  for (int i = 0; i < 100; ++i) {
    auto [e, fresh] = cache.emplace(number_of(i), entry{number_of(i), i});
    REQUIRE(fresh);
    cache.handed(*e, 1);
    first.push_back(e);
  }
  cache.drop_handed(0);  // transaction 1 not written: all stay
  CHECK(cache.size() == 100);
  cache.drop_handed(1);
  CHECK(cache.size() == 0);
  for (int i = 100; i < 200; ++i) {
    auto [e, fresh] = cache.emplace(number_of(i), entry{number_of(i), i});
    REQUIRE(fresh);
    CHECK(std::find(first.begin(), first.end(), e) != first.end());  // a dropped slot
    CHECK(cache.handoff_of(*e) == 0);
    CHECK(e->value == i);
  }
  for (int i = 0; i < 100; ++i) CHECK(cache.find(number_of(i)) == nullptr);
}
