// hotline/intake_prefill.hpp: a draft work order filled from what the caller said
// (issue 20): the request type and the line the intake guessed, the words as the
// content, and urgency when triage flagged a crisis.  The agent confirms or corrects
// before the order is created; an urgent draft makes store::create() call the host's
// on_urgent hook (000 art. 10), so a crisis reaches the on-duty desk at once.
//
//   const auto g = kb.classify(words);
//   hotline::work_order w;
//   w.received_at = now; w.caller_phone = ...;
//   hotline::prefill(w, g, words);          // request_type, topic, content, urgency
//   db.create(w, agent);                    // urgent: on_urgent fires after commit
#pragma once

#include "hotline/knowledge.hpp"
#include "hotline/work_order.hpp"

#include <string_view>

namespace hotline {

/// Fills the fields of `o` the intake can guess and leaves the rest as they are:
///  * request_type: the guess, when there is one (unreadable text leaves it);
///  * topic, when empty: the line ("psychological-aid"), or out of scope the channel's
///    name ("police"); "unsure" leaves it empty for the agent;
///  * content, when empty: the caller's words;
///  * urgency: urgent when triage flagged a crisis (never lowered: an agent's urgent stays).
inline void prefill(work_order& o, const line_guess& g, std::string_view words) {
  if (!g.request_type.empty()) o.request_type = parse_enum<request_type>(g.request_type);
  if (o.topic.empty() && g.line != "unsure") o.topic = g.line == "out-of-scope" ? g.topic : g.line;
  if (o.content.empty()) o.content = std::string(words);
  if (g.triage.urgent) o.urgency = urgency::urgent;
}

}  // namespace hotline
