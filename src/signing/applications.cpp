// Signing applications as work orders (applications.hpp; 000 art. 8.2).
#include "hotline/signing/applications.hpp"

#include "registry_impl.hpp"

namespace hotline::signing {

work_order take_application(hotline::store& orders, registry& reg, const application_call& call) {
  const std::string where = "signing application of resident '" + call.resident + "'";
  const auto& p = reg.data();
  // Check what the registry will check before the order exists, so that a refused
  // application leaves neither an order nor a registry record.
  const auto r = p.resident_of(call.resident, where);
  const auto i = p.institution_of(call.institution, where);
  if (p.i_district[i] != p.r_district[r])
    throw invalid_argument_error(where + ": institution '" + call.institution + "' is outside the resident's district " +
                                 p.districts.str(p.r_district[r]) + " (002 §2.2)");
  if (call.agent.empty()) throw invalid_argument_error(where + ": no agent (the first-question owner, 001 §4.2)");
  if (!orders.find_unit(call.institution)) {
    // The institution becomes a handling unit the first time an application goes to it.
    unit u;
    u.code = call.institution;
    u.name = p.institutions[i].name;
    u.kind = unit_kind::institution;
    orders.put_unit(u);
  }
  work_order in;
  in.line = "family_doctor";
  in.request_type = request_type::help_request;
  in.topic = "家庭医生签约";
  in.sub_topic = "签约申请";
  in.received_at = call.received_at;
  in.agent = call.agent;
  in.caller_phone = call.caller_phone;
  in.content = call.content;
  in.call_ref = call.call_ref;
  in.district = p.districts.str(p.r_district[r]);
  auto b = orders.begin_batch();
  auto wo = orders.create(in, {call.agent, role::agent, {}});
  command c;
  c.action = action::dispatch;
  c.by = {"system", role::system, {}};
  c.at = call.received_at;
  c.unit = call.institution;
  c.means = transfer_means::system;
  c.comment = "签约申请转基层医疗卫生机构（000 第八条(二)）";
  wo = orders.apply(wo.number, c);
  application a;
  a.order = wo.number;
  a.resident = call.resident;
  a.institution = call.institution;
  a.received = local_day(call.received_at);
  reg.receive_application(a);  // checked above: does not throw but for a repeated order number
  b.commit();
  return wo;
}

std::vector<std::string> close_signed_applications(hotline::store& orders, const registry& reg, instant at) {
  std::vector<std::string> closed;
  for (const auto& a : reg.applications()) {
    if (a.contract.empty()) continue;
    auto wo = orders.get(a.order);
    if (!wo || !is_open(wo->state)) continue;
    auto step = [&](action act, actor by) {
      command c;
      c.action = act;
      c.by = std::move(by);
      c.at = at;
      if (act == action::reply) {
        c.finding = finding::not_applicable;
        c.resolved = true;
        c.reply_text = "已签约，协议 " + a.contract;
      }
      c.comment = "签约完成（协议 " + a.contract + "）";
      wo = orders.apply(a.order, c);
    };
    const actor liaison{"signing:" + a.institution, role::liaison, a.institution};
    auto b = orders.begin_batch();
    if (wo->state == order_state::dispatched) step(action::sign_for, liaison);
    if (wo->state == order_state::in_progress) step(action::reply, liaison);
    if (wo->state == order_state::replied) step(action::accept_reply, {"system", role::dispatcher, {}});
    if (wo->state == order_state::waiting_for_call_back) step(action::close, {"system", role::system, {}});
    b.commit();
    if (wo->state == order_state::closed) closed.push_back(a.order);
  }
  return closed;
}

}  // namespace hotline::signing
