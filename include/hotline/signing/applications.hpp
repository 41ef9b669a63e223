// hotline/signing/applications.hpp: signing applications taken on the family-doctor line.
//
// 000 art. 8.2 (签约申请): the line takes a resident's application and passes it to the
// institution of the resident's sub-district, which then signs the resident.  Here the
// application is a work order (store.hpp) handed to the institution's unit, and the
// registry remembers it; the order closes when a contract naming it is signed.
//
//   hotline::store orders("hotline.db");
//   hotline::signing::registry reg;   ...
//   hotline::signing::application_call call;
//   call.resident = "R17"; call.institution = "YX-BJ"; call.agent = "A03";
//   call.received_at = hotline::parse_instant("2017-03-01T09:12:00+08:00");
//   auto wo = hotline::signing::take_application(orders, reg, call);   // dispatched to YX-BJ
//   ...   reg.sign({... .application = wo.number ...});
//   hotline::signing::close_signed_applications(orders, reg, now);     // closes wo
//
// The rules, spelled out once:
//  * The work order is a help request (求助, which 000 art. 11 always makes a work order)
//    on the family-doctor line, topic 家庭医生签约 / 签约申请, dispatched by the system to
//    the unit whose code is the institution's code, in the same store transaction as
//    its creation.  The resident must exist and the institution must be in the
//    resident's district (the signing rule of 002 §2.2), or nothing is created.
//  * Closing: for every application whose contract is signed and whose order is still
//    open, the institution's liaison signs for it if it has not, replies with the
//    contract id (resolved), the centre accepts the reply and the system closes it.
//    The contract is the answer, so no call-back is made; an order that someone has
//    already closed or voided is left as it is.
#pragma once

#include "hotline/signing/registry.hpp"
#include "hotline/store.hpp"

#include <string>
#include <vector>

namespace hotline::signing {

struct application_call {
  std::string resident;     ///< the registry's resident id
  std::string institution;  ///< the institution asked for (its code is the handling unit's code)
  instant received_at{};
  std::string agent;        ///< the agent who took the call (first-question owner, 001 §4.2)
  std::string caller_phone;
  std::string content = "申请签约家庭医生";
  std::string call_ref;
};

/// Creates and dispatches the work order, then records the application in `reg`.
work_order take_application(hotline::store& orders, registry& reg, const application_call& call);

/// Closes the work orders of applications that have been signed; returns their numbers.
std::vector<std::string> close_signed_applications(hotline::store& orders, const registry& reg, instant at);

}  // namespace hotline::signing
