// The work-order store on PostgreSQL (issue 21): placeholder filled below.
#include "hotline/store.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

using namespace hotline;
using namespace hotline::test::store_cases;

TEST_CASE("a PostgreSQL location opens a store on the server") {
  if (!test::on_pg()) return;
  const auto dir = fresh_dir("pg-open");
  store db(test::location(dir));
  seed_units(db);
  const auto n = full_life(db);
  CHECK(db.get(n)->state == order_state::closed);
  CHECK(db.events(n).size() == 7);
  CHECK(db.verify().ok);
}
