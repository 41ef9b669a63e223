// SlaPolicy: hotline/c/sla.h, the deadline clocks of work orders (docs/sla.md).
//
//   try (SlaPolicy gz = SlaPolicy.preset("guangzhou-family-doctor")) {
//     SlaPolicy.Due due = gz.due("{\"request_type\": \"complaint\"}",
//                                OffsetDateTime.parse("2025-09-26T09:00:00+08:00"));
//     due.at();       // 2025-10-17T00:00+08:00: 10 working days from the day after receipt
//     due.lastDay();  // 2025-10-16, the last of them
//   }
//
// An order is described by its attributes as JSON ({"request_type": "complaint"} plus
// "complexity", "urgency", "channel", "service_line"); the explained deadline and the
// evaluation of a clock come back as the header's JSON.  A policy is immutable: any
// number of threads may use one at once.
package org.hotline;

import static org.hotline.Hotline.LIB;
import static org.hotline.Hotline.cstr;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;

public final class SlaPolicy extends NativeHandle {
  private SlaPolicy(Pointer handle) { super(handle, "SLA policy"); }

  @Override
  void free(Pointer handle) { LIB.hotline_sla_policy_free(handle); }

  /** A built-in preset: "guangzhou-family-doctor", "tianjin-12320", "tianjin-12320-annex8"; else not_found. */
  public static SlaPolicy preset(String name) {
    return new SlaPolicy(Hotline.handle(out -> LIB.hotline_sla_policy_new_preset(out, cstr(name))));
  }

  /** A policy from its JSON text (docs/sla.md); a bad one is a parse error naming the field. */
  public static SlaPolicy fromJson(String policyJson) {
    return new SlaPolicy(Hotline.handle(out -> LIB.hotline_sla_policy_from_json(out, cstr(policyJson))));
  }

  /** A policy from a JSON file; a missing file is an io error naming it. */
  public static SlaPolicy fromJsonFile(Path path) {
    return new SlaPolicy(Hotline.handle(out -> LIB.hotline_sla_policy_from_json_file(out, cstr(path))));
  }

  /** The preset names, a JSON array of strings. */
  public static String presetNames() { return Hotline.text(LIB::hotline_sla_policy_preset_names); }

  /** The same rules counted on cal (a region, loaded notices); cal may be closed afterwards. */
  public SlaPolicy withCalendar(Hotline.Calendar cal) {
    return new SlaPolicy(Hotline.handle(out -> LIB.hotline_sla_policy_with_calendar(out, handle(), cal.handle())));
  }

  /** The policy as JSON that fromJson reads back. */
  public String toJson() { return Hotline.text(out -> LIB.hotline_sla_policy_to_json(out, handle())); }

  /** When a clock falls due: the first instant the order is late, and the last day it runs on. */
  public static final class Due {
    private final OffsetDateTime at;
    private final LocalDate lastDay;

    Due(OffsetDateTime at, LocalDate lastDay) {
      this.at = at;
      this.lastDay = lastDay;
    }

    /** The first instant at which the order is late (Beijing time); a reply strictly before it is in time. */
    public OffsetDateTime at() { return at; }
    /** The day the clock runs out on. */
    public LocalDate lastDay() { return lastDay; }
    @Override
    public String toString() { return at + " (last day " + lastDay + ")"; }
  }

  /** The primary clock of the order's rule started at start, on the policy's calendar. */
  public Due due(String orderJson, OffsetDateTime start) { return due(orderJson, start, null, null); }

  /** Clock clock ("reply", "transfer"; null: the primary) started at start, counted on cal (null: the policy's). */
  public Due due(String orderJson, OffsetDateTime start, String clock, Hotline.Calendar cal) {
    PointerByReference at = new PointerByReference();
    LongByReference lastDay = new LongByReference();
    Hotline.check(LIB.hotline_sla_policy_due(at, lastDay, handle(), cal == null ? null : cal.handle(),
                                             cstr(orderJson), Hotline.instant(start), cstr(clock)));
    return new Due(OffsetDateTime.parse(Hotline.takeText(at)), LocalDate.ofEpochDay(lastDay.getValue()));
  }

  /** The deadline with how it was reached: rule, article, target, the holidays stepped over, an explanation. */
  public String deadline(String orderJson, OffsetDateTime start) { return deadline(orderJson, start, null, null); }

  public String deadline(String orderJson, OffsetDateTime start, String clock, Hotline.Calendar cal) {
    return Hotline.text(out -> LIB.hotline_sla_policy_deadline(out, handle(), cal == null ? null : cal.handle(),
                                                                cstr(orderJson), Hotline.instant(start), cstr(clock)));
  }

  /**
   * A clock over its history as of an instant: {"order", "clock", "as_of", "events": [{"kind":
   * "start" | "pause" | "resume" | "extend" | "stop" | "reopen", "at", ...}]} in, the state
   * (running, paused, met, breached), due, remaining and late-by out.
   */
  public String evaluate(String inputJson) { return evaluate(inputJson, null); }

  public String evaluate(String inputJson, Hotline.Calendar cal) {
    return Hotline.text(out -> LIB.hotline_sla_policy_evaluate(out, handle(), cal == null ? null : cal.handle(),
                                                                cstr(inputJson)));
  }
}
