// One register_<concept> function per concept file; module.cpp calls them all.
#pragma once

#include <pybind11/pybind11.h>

namespace hotline::python {

void register_errors(pybind11::module_& m);
void register_masking(pybind11::module_& m);  // mask_phone, mask_text, ... (hotline/_privacy.py uses them)
void register_calendar(pybind11::module_& m);
void register_statutory(pybind11::module_& m);
void register_sla(pybind11::module_& m);
void register_triage(pybind11::module_& m);     // triage(), IntakeClassifier (before register_knowledge)
void register_knowledge(pybind11::module_& m);
void register_signed_heads(pybind11::module_& m);  // HeadReceipt, key files (before register_store)
void register_work_order(pybind11::module_& m);  // WorkOrder, Event, ChainReport (before register_store)
void register_store(pybind11::module_& m);
void register_store_copy(pybind11::module_& m);  // copy_store, CopyReport (after register_signed_heads)
void register_reports(pybind11::module_& m);
void register_assessment(pybind11::module_& m);
void register_signing(pybind11::module_& m);           // vocabulary, policy, records, registry
void register_signing_store(pybind11::module_& m);     // the journal store, bulk loading (after register_signing)
void register_signing_payments(pybind11::module_& m);  // work points, fees, settlements (from register_signing_analysis)
void register_signing_analysis(pybind11::module_& m);  // reports, work points, fees (after register_signing)

}  // namespace hotline::python
