// Private: how the work-order store shows what it keeps (store_masking.cpp): an event's
// changes made readable (instants ISO-8601, clocks spelled out) and personal fields
// masked unless the caller asks to reveal them; a liaison's contacts masked the same way.
// Back-end-neutral: applied to events and liaisons once read, whatever read them.
#pragma once

#include "hotline/store.hpp"
#include "hotline/units.hpp"
#include "work_order_fields.hpp"

#include <string>
#include <string_view>

namespace hotline::detail {

/// What kind of personal data a field of work_order holds (none for an unknown name).
personal personal_kind(std::string_view field);
/// `v` masked as `p` says (mask_name, mask_phone...), unchanged for personal::none.
std::string mask_as(personal p, const std::string& v);
/// Changes shown readable (instants ISO-8601) and masked unless `reveal`.
void finish_event(event& e, bool reveal);
/// `l` with its name, phones and mailbox masked.
liaison masked(liaison l);

}  // namespace hotline::detail
