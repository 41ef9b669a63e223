// Private: the C ABI's handle structs that more than one c_*.cpp needs (hotline/c/*.h
// declare them opaque).  Each holds the C++ value as its member `db`, so that another
// part of the C ABI (reports over a store, say) reaches it as `s->db`.
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/signing/store.hpp"
#include "hotline/store.hpp"

#include <mutex>

/// hotline_calendar (hotline/c/calendar.h; c_calendar.cpp): the SLA policies count on it
/// (c_sla.cpp).  Immutable, so its member is `cal`, read by any number of threads.
struct hotline_calendar {
  hotline::calendar cal;
};

/// hotline_store (hotline/c/store.h): a work-order store (it serialises its own calls).
struct hotline_store {
  hotline::store db;
};

/// hotline_signing_store (hotline/c/signing.h): the signing journal.  The C++ store is
/// one thread at a time; every C call holds `lock` so that a host may share the handle.
struct hotline_signing_store {
  hotline::signing::signing_store db;
  mutable std::mutex lock;
};
