// Main: a hospital system's side of the hotline, in Java over libhotline_c (docs/java.md).
//
//   java -Djna.library.path=build/src -cp build/examples/java/hotline.jar:/usr/share/java/jna.jar \
//        org.hotline.Main data/knowledge/family_doctor_kb.json
//
// One working day of the line, each step a method over the resources opened in main():
// the deadlines on the national calendar, a complaint's due date under the Guangzhou
// preset, a store in a temporary folder where a complaint is taken and dispatched to a
// unit, a caller's question matched in the knowledge base, and October's monthly tables.
package org.hotline;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.TextStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

public final class Main {
  // UTF-8 whatever the locale: Java 17 writes System.out in the platform's charset, which
  // under LANG=C turns every holiday name into question marks.
  private static final PrintStream out =
      new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

  private static final String PRESET = "guangzhou-family-doctor";

  public static void main(String[] args) throws IOException {
    Path kbFile = Path.of(args.length > 0 ? args[0] : "data/knowledge/family_doctor_kb.json");
    out.printf("hotline %s through JNA (C ABI %d)%n", Hotline.version(), Hotline.abiVersion());
    Path dir = Files.createTempDirectory("hotline-java-");
    boolean ok = false;
    try (Hotline.Calendar cal = Hotline.Calendar.china();
         SlaPolicy sla = SlaPolicy.preset(PRESET);
         Store store = Store.open(dir.resolve("hotline.db"), "{\"sla_preset\": \"" + PRESET + "\"}");
         KnowledgeBase kb = KnowledgeBase.create()) {
      deadlines(cal);
      complaintDue(sla);
      complaint(store);
      question(kb, kbFile);
      monthlyTables(store);
      ok = true;
    } catch (Hotline.HotlineException e) {
      System.err.println("hotline: " + e.getMessage());
    } finally {
      removeTree(dir);
    }
    if (!ok) System.exit(1);
  }

  /**
   * Deadlines "in working days from the day after receipt" (自收到次日起, 000 art. 12) for a
   * call received on the Friday before the Spring Festival 2025, and the days they step over.
   */
  static void deadlines(Hotline.Calendar cal) {
    heading("The calendar");
    LocalDate received = LocalDate.of(2025, 1, 24);
    LocalDate consultation = cal.addWorkdays(received, 2);
    LocalDate complaint = cal.addWorkdays(received, 10);
    out.printf("received %s (%s)%n", received, weekday(received));
    out.printf("  family-doctor consultation, 2 working days: due %s (%s)%n", consultation, weekday(consultation));
    out.printf("  complaint, 10 working days:                due %s (%s)%n", complaint, weekday(complaint));
    for (LocalDate d = received.plusDays(1); !d.isAfter(complaint); d = d.plusDays(1)) {
      Hotline.DayKind kind = cal.dayKind(d);
      String name = kind == Hotline.DayKind.HOLIDAY
                        ? cal.holidayName(d).orElse("") + " (" + cal.holidayName(d, true).orElse("") + ")"
                        : "";
      out.println(String.format("    %s %s  %-20s %s", d, weekday(d), kind.name().toLowerCase(Locale.ROOT), name)
                      .stripTrailing());
    }
    out.printf("  working days in (%s, %s]: %d%n", received, complaint, cal.workdaysBetween(received, complaint));
  }

  /** The preset's reply clock of a complaint received the Friday before National Day 2025. */
  static void complaintDue(SlaPolicy sla) {
    heading("A complaint's deadline (" + PRESET + ")");
    String order = "{\"request_type\": \"complaint\"}";
    OffsetDateTime received = OffsetDateTime.parse("2025-09-26T09:00:00+08:00");
    SlaPolicy.Due due = sla.due(order, received);
    String deadline = sla.deadline(order, received);
    out.printf("received %s: late from %s, the last day %s (%s)%n", received, due.at(), due.lastDay(),
               weekday(due.lastDay()));
    out.printf("  %s, %s %s counted %s%n", Json.string(deadline, "cite"), Json.raw(deadline, "target", "amount"),
               Json.string(deadline, "target", "unit"), Json.string(deadline, "counting"));
    StringBuilder holidays = new StringBuilder();
    for (String day : Json.elements(Json.raw(deadline, "stepped_over")))
      if (Json.string(day, "kind").equals("holiday"))
        holidays.append(' ').append(Json.string(day, "date").substring(5));
    out.printf("  holidays stepped over:%s%n", holidays);
    out.printf("  %s%n", Json.string(deadline, "explanation"));
  }

  /** A store: the unit first, then a complaint taken by agent A017 and dispatched to it. */
  static void complaint(Store store) {
    heading("A complaint in the store");
    store.putUnit("{\"code\": \"YX-BJJ\", \"name\": \"越秀区北京街社区卫生服务中心\", \"kind\": \"institution\","
                  + " \"covers\": [\"越秀区/北京街\"]}");
    String order = store.create("{\"received_at\": \"2025-10-09T09:15:00+08:00\", \"request_type\": \"投诉\","
                                + " \"agent\": \"A017\", \"caller_name\": \"张三丰\", \"caller_phone\": \"13812341234\","
                                + " \"district\": \"越秀区\", \"sub_district\": \"北京街\", \"complaint_subject\": \"医疗服务\","
                                + " \"content\": \"诊所收费不合理，请回电13812341234\"}");
    String number = Json.string(order, "number");
    out.printf("created %s: %s, version %d, caller %s %s%n", number, Json.string(order, "state"),
               Json.integer(order, "version"), Json.string(order, "caller_name"), Json.string(order, "caller_phone"));
    store.apply(number, "{\"action\": \"dispatch\", \"at\": \"2025-10-09T10:00:00+08:00\", \"by\": \"D02\","
                        + " \"role\": \"dispatcher\", \"unit\": \"YX-BJJ\", \"expected_version\": 1}");
    order = store.get(number);
    out.printf("dispatched: %s to %s, version %d; reply due %s%n", Json.string(order, "state"),
               Json.string(order, "unit"), Json.integer(order, "version"),
               Json.string(order, "clocks", "reply", "due"));
    for (String event : Json.elements(Json.raw(store.events(number), "events")))
      out.printf("  event %d  %-8s %s -> %s by %s (%s)%n", Json.integer(event, "seq"), Json.string(event, "action"),
                 Json.string(event, "state_before"), Json.string(event, "state_after"), Json.string(event, "actor"),
                 Json.string(event, "role"));

    // The rest of the month's calls, in one transaction: a consultation answered on the
    // spot, a report and a suggestion.
    String imported = store.importRecords(
        "[{\"number\": \"Q-1\", \"received_at\": \"2025-10-20T09:00:00+08:00\", \"request_type\": \"consultation\","
        + " \"agent\": \"A018\", \"topic\": \"家庭医生\", \"content\": \"家庭医生怎么签约\"},"
        + " {\"received_at\": \"2025-10-21T14:00:00+08:00\", \"request_type\": \"report\", \"agent\": \"A017\","
        + " \"content\": \"无证行医\"},"
        + " {\"received_at\": \"2025-10-31T16:00:00+08:00\", \"request_type\": \"suggestion\", \"agent\": \"A018\","
        + " \"content\": \"建议延长门诊时间\"}]");
    String verify = store.verify();
    out.printf("imported %d orders; the log: %d events, verify %s (%d checked)%n", Json.integer(imported, "created"),
               store.eventCount(), Json.bool(verify, "ok") ? "ok" : "BROKEN", Json.integer(verify, "events_checked"));
  }

  /** A caller's question matched in the family-doctor knowledge base (000 art. 10: answer now or take an order). */
  static void question(KnowledgeBase kb, Path file) {
    heading("A question in the knowledge base");
    long entries = kb.importFile(file);
    kb.calibrate();
    out.printf("%d entries from %s%n", entries, file.getFileName());
    String question = "家庭医生签约到期了要怎么续签";
    String decision = kb.answer(question);
    List<String> hits = Json.elements(Json.raw(decision, "hits"));
    out.printf("caller: %s%n", question);
    if (hits.isEmpty()) {
      out.println("  no entry answers it: a work order instead");
      return;
    }
    String best = hits.get(0);
    String entry = kb.get(Json.string(best, "id"));
    out.printf("  %s (confidence %.2f, %s): %s%n", Json.string(best, "id"), Json.number(best, "confidence"),
               Json.bool(decision, "answer_now") ? "answer now" : "not sure enough: a work order",
               Json.string(entry, "question"));
    out.printf("  %s%n", Json.string(entry, "answer"));
  }

  /** 001 annex 8, tables 1-4, for October 2025 from the store. */
  static void monthlyTables(Store store) {
    heading("The monthly tables, 2025-10");
    try (Report monthly = Report.monthly(store, "2025-10", null)) {
      out.print(monthly.toText());
      out.printf("%d tables, %d orders%n", monthly.tableCount(), Json.integer(monthly.toJson(), "summary", "total"));
    }
  }

  private static void heading(String title) { out.printf("%n== %s ==%n", title); }

  private static String weekday(LocalDate d) { return d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH); }

  private static void removeTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }
}
