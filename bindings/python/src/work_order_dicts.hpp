// A work order and an event as Python dicts: WorkOrder.to_dict(), Event.to_dict() and
// the rows of Store.orders_frame()/events_frame() (register_work_order.cpp).
#pragma once

#include "hotline/store.hpp"

#include "casters.hpp"

#include <pybind11/pybind11.h>

#include <optional>

namespace hotline::python {

/// An optional instant as a timezone-aware datetime, or None.
inline pybind11::object opt_dt(const std::optional<instant>& t) { return t ? pybind11::cast(*t) : pybind11::none(); }

/// One key per WorkOrder property; the clocks as dicts.
pybind11::dict order_dict(const work_order& o);
/// One key per Event property.
pybind11::dict event_dict(const event& e);

}  // namespace hotline::python
