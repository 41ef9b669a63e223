// How the work-order store shows events and liaisons (store_masking.hpp): readable and
// masked.  Back-end-neutral, apart from the SQLite files that read what it shows.
#include "store_masking.hpp"

#include "hotline/masking.hpp"

#include <optional>
#include <unordered_map>

namespace hotline::detail {

personal personal_kind(std::string_view field) {
  static const std::unordered_map<std::string, personal> m = [] {
    std::unordered_map<std::string, personal> r;
    work_order o;
    for_each_field(o, [&](const char* n, auto&, personal p) { r.emplace(n, p); });
    return r;
  }();
  const auto it = m.find(std::string(field));
  return it == m.end() ? personal::none : it->second;
}

std::string mask_as(personal p, const std::string& v) {
  switch (p) {
    case personal::none: return v;
    case personal::name: return mask_name(v);
    case personal::phone: return mask_phone(v);
    case personal::id_number: return mask_id_number(v);
    case personal::free_text: return mask_text(v);
  }
  return v;
}

void finish_event(event& e, bool reveal) {
  for (auto& c : e.changes) {  // stored compact, shown readable
    if (c.field.size() > 6 && c.field.compare(c.field.size() - 6, 6, "_clock") == 0) {
      c.before = clock_display(c.before);
      c.after = clock_display(c.after);
    } else if (is_instant_field(c.field)) {
      for (auto* v : {&c.before, &c.after}) {
        std::optional<instant> t;
        from_text(c.field, *v, t);
        if (t) *v = format_instant_fast(*t);
      }
    }
  }
  if (!reveal) {
    for (auto& c : e.changes) {
      const auto p = personal_kind(c.field);
      c.before = mask_as(p, c.before);
      c.after = mask_as(p, c.after);
    }
    e.comment = mask_text(e.comment);
  }
}

liaison masked(liaison l) {
  l.name = mask_name(l.name);
  l.office_phone = mask_phone(l.office_phone);
  l.mobile = mask_phone(l.mobile);
  l.email = mask_text(l.email);  // a mailbox named by a phone number (13812341234@163.com)
  return l;
}

}  // namespace hotline::detail
