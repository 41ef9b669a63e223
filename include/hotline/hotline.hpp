// hotline/hotline.hpp: everything, for those who want one include.
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/calendar_overlay.hpp"
#include "hotline/error.hpp"
#include "hotline/staffed_hours.hpp"
#include "hotline/time.hpp"
#include "hotline/version.hpp"
#include "hotline/sla.hpp"
#include "hotline/masking.hpp"
#include "hotline/store.hpp"
#include "hotline/units.hpp"
#include "hotline/work_order.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "hotline/knowledge.hpp"
