// 000 art. 8.2: a signing application on the family-doctor line becomes a work order
// handed to the institution, and closes when the contract is signed.
#include "hotline/signing/applications.hpp"
#include "signing_test_support.hpp"
#include "store_test_support.hpp"

using namespace hotline;
using namespace hotline::signing;
using hotline::test::add_region;
using hotline::test::contains_error;
using hotline::test::d;
using hotline::test::resident_at;
using hotline::test::signing_of;

TEST_CASE("an application is dispatched to the institution and closes with the contract") {
  hotline::store orders(hotline::test::fresh_db("signing_app"));
  registry reg;
  add_region(reg);
  reg.add_resident(resident_at("R1", d(1950, 1, 1)));
  application_call call;
  call.resident = "R1";
  call.institution = "YX-BJ";
  call.agent = "A03";
  call.caller_phone = "13812341234";
  call.received_at = parse_instant("2017-03-01T09:12:00+08:00");
  const auto wo = take_application(orders, reg, call);
  CHECK(wo.state == order_state::dispatched);
  CHECK(wo.unit == "YX-BJ");
  CHECK(wo.line == "family_doctor");
  CHECK(wo.request_type == request_type::help_request);
  CHECK(wo.agent == "A03");  // the first-question owner
  REQUIRE(reg.applications(true).size() == 1);
  CHECK(reg.applications()[0].order == wo.number);
  CHECK(reg.applications()[0].received == d(2017, 3, 1));

  // not signed yet: nothing to close
  CHECK(close_signed_applications(orders, reg, parse_instant("2017-03-02T10:00:00+08:00")).empty());
  CHECK(orders.get(wo.number)->state == order_state::dispatched);

  auto q = signing_of("R1", "T1", d(2017, 3, 3));
  q.application = wo.number;
  q.channel = signing_channel::hotline_application;
  const auto c = reg.sign(q);
  const auto closed = close_signed_applications(orders, reg, parse_instant("2017-03-03T16:00:00+08:00"));
  REQUIRE(closed.size() == 1);
  const auto after = orders.get(wo.number, /*reveal=*/true);  // masked text hides runs of 7+ digits
  CHECK(after->state == order_state::closed);
  CHECK(after->reply_text.find(c.id) != std::string::npos);
  CHECK(after->resolved);
  CHECK(orders.verify().ok);
  // a second pass leaves it as it is
  CHECK(close_signed_applications(orders, reg, parse_instant("2017-03-04T16:00:00+08:00")).empty());
}

TEST_CASE("an application outside the resident's district creates nothing") {
  hotline::store orders(hotline::test::fresh_db("signing_app_bad"));
  registry reg;
  add_region(reg);
  reg.add_resident(resident_at("R1", d(1950, 1, 1)));
  application_call call;
  call.resident = "R1";
  call.institution = "HZ-01";
  call.agent = "A03";
  call.received_at = parse_instant("2017-03-01T09:12:00+08:00");
  CHECK(contains_error([&] { take_application(orders, reg, call); }, "outside the resident's district 越秀区"));
  call.institution = "YX-BJ";
  call.resident = "R9";
  CHECK(contains_error([&] { take_application(orders, reg, call); }, "no resident 'R9'"));
  CHECK(orders.count(order_query{}) == 0);
  CHECK(reg.applications().empty());
}
