// hotline/sla.hpp: service-level deadlines of work orders -- one include for the concept.
//
//   sla_clock.hpp        clocks: targets, counting, due rules, pauses, extensions, evaluation
//   sla_policy.hpp       policies: rules that give orders their clocks; JSON; presets; batch forms
//   report_schedule.hpp  periodic statistics reports and their due dates
//
//   auto p = hotline::sla_policy::preset("guangzhou-family-doctor");
//   auto d = p.due({.type = hotline::request_type::complaint}, received);   // 10 working days, 000 art. 12
//   std::puts(d.explain().c_str());
#pragma once

#include "hotline/report_schedule.hpp"
#include "hotline/sla_clock.hpp"
#include "hotline/sla_policy.hpp"
