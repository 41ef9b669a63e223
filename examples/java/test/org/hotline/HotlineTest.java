// HotlineTest: the Java host over libhotline_c, checked (ctest java_host; no JUnit).
//
//   java -Djna.library.path=build/src -cp hotline-test.jar:hotline.jar:/usr/share/java/jna.jar \
//        org.hotline.HotlineTest data/calendar/cn_national_2004_2026.csv data/knowledge/family_doctor_kb.json
//
// Expectations come from the State Council notices and the reference CSV the built-in
// calendar is generated from (data/calendar), recounted here; from the rules (000 art. 12:
// N working days from the day after receipt, due at the end of the last); from the test's
// own inputs (the orders it creates, the knowledge file it reads); never from the
// library's answers.  Bad input must come back as a HotlineException with the right status and a
// message, never as a crash of the JVM.  Exits 1 if any check fails.
package org.hotline;

import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

public final class HotlineTest {
  private static int passed, failed;

  private static void check(boolean ok, String what) {
    if (ok) {
      ++passed;
    } else {
      ++failed;
      System.err.println("FAILED: " + what);
    }
  }

  private static void equal(Object actual, Object expected, String what) {
    check(expected.equals(actual), what + ": expected " + expected + ", got " + actual);
  }

  /** call must throw a HotlineException of status {@code names} ("a" or "a|b") with a message containing inMessage. */
  private static void fails(String names, String inMessage, Runnable call, String what) {
    try {
      call.run();
      check(false, what + ": no exception, expected " + names);
    } catch (Hotline.HotlineException e) {
      check(e.statusName().matches(names) && !e.detail().isEmpty() && e.detail().contains(inMessage),
            what + ": expected " + names + " mentioning \"" + inMessage + "\", got " + e.getMessage());
    }
  }

  private static LocalDate day(String iso) { return LocalDate.parse(iso); }

  interface Section {
    void run() throws Exception;
  }

  /** Runs a part of the test; an exception it did not expect fails it, and the next part runs. */
  private static void section(String name, Section body) {
    try {
      body.run();
    } catch (Exception e) {
      check(false, name + ": " + e);
      e.printStackTrace();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: HotlineTest data/calendar/cn_national_2004_2026.csv"
                         + " data/knowledge/family_doctor_kb.json");
      System.exit(2);
    }
    equal(Hotline.abiVersion(), HotlineLib.ABI_VERSION, "the library's C ABI is the binding's");
    check(Hotline.version().matches("\\d+\\.\\d+\\.\\d+.*"), "version " + Hotline.version());
    section("exported", HotlineTest::exported);
    Reference ref = new Reference(Path.of(args[0]));
    try (Hotline.Calendar cal = Hotline.Calendar.china()) {
      section("Spring Festival 2025", () -> springFestival2025(cal));
      section("the reference CSV", () -> againstReferenceCsv(cal, ref));
      section("bad input", () -> badInput(cal));
      section("threads", () -> threads(cal));
    }
    section("closed", HotlineTest::closed);
    section("SLA", () -> sla(ref));
    Path dir = Files.createTempDirectory("hotline-java-test-");
    try {
      section("store and reports", () -> storeAndReports(dir, ref));
    } finally {
      removeTree(dir);
    }
    section("knowledge base", () -> knowledge(Path.of(args[1])));
    System.out.printf("%d passed, %d failed%n", passed, failed);
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Each method of HotlineLib names a function libhotline_c exports (JNA would find out only at the call). */
  private static void exported() {
    NativeLibrary lib = NativeLibrary.getInstance("hotline_c");
    List<String> missing = new ArrayList<>();
    int n = 0;
    for (Method m : HotlineLib.class.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers())) continue;
      ++n;
      try {
        lib.getFunction(m.getName());
      } catch (UnsatisfiedLinkError e) {
        missing.add(m.getName());
      }
    }
    check(missing.isEmpty(), "HotlineLib names functions libhotline_c does not export: " + missing);
    check(n >= 100, "HotlineLib binds every header: " + n + " functions");
  }

  /**
   * data/calendar/cn_national_2004_2026.csv (date,kind,name): a {@code holiday} row is off, a
   * {@code workday} row a worked weekend day, other days follow the week.
   */
  private static final class Reference {
    final LocalDate first = day("2004-01-01"), last = day("2026-12-31");
    final Map<LocalDate, String[]> rows = new HashMap<>();
    final List<LocalDate> workdays = new ArrayList<>();

    Reference(Path csv) throws IOException {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", 3);  // date,kind,name
        rows.put(day(f[0]), f);
      }
      for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1))
        if (kind(d) == Hotline.DayKind.WORKING_DAY || kind(d) == Hotline.DayKind.ADJUSTED_WORKING_DAY) workdays.add(d);
    }

    Hotline.DayKind kind(LocalDate d) {
      String[] row = rows.get(d);
      boolean weekend = d.getDayOfWeek() == SATURDAY || d.getDayOfWeek() == SUNDAY;
      return row == null ? (weekend ? Hotline.DayKind.REST_DAY : Hotline.DayKind.WORKING_DAY)
             : row[1].equals("holiday") ? Hotline.DayKind.HOLIDAY
                                        : Hotline.DayKind.ADJUSTED_WORKING_DAY;
    }

    /** The n-th working day strictly after d (n >= 1), counted on the list. */
    LocalDate nthWorkdayAfter(LocalDate d, int n) { return workdays.get(insertionPoint(workdays, d, true) + n - 1); }
  }

  /**
   * 国务院办公厅关于2025年部分节假日安排的通知: 春节 1月28日至2月4日放假调休，共8天。
   * 1月26日（周日）、2月8日（周六）上班.  Saturday 01-25 is not among the worked days.
   */
  private static void springFestival2025(Hotline.Calendar cal) {
    equal(Hotline.parseDay("2025-01-25"), day("2025-01-25"), "parse_day");
    equal(day("2025-01-25").toEpochDay(), 20113L, "2025-01-25 is day 20113 (hotline.h)");
    equal(cal.dayKind(day("2025-01-24")), Hotline.DayKind.WORKING_DAY, "Friday 01-24");
    equal(cal.dayKind(day("2025-01-25")), Hotline.DayKind.REST_DAY, "Saturday 01-25 rests");
    check(!cal.isWorkday(day("2025-01-25")), "Saturday 01-25 is no workday");
    equal(cal.dayKind(day("2025-01-26")), Hotline.DayKind.ADJUSTED_WORKING_DAY, "Sunday 01-26 is worked");
    equal(cal.dayKind(day("2025-01-28")), Hotline.DayKind.HOLIDAY, "01-28 is off");
    equal(cal.dayKind(day("2025-02-01")), Hotline.DayKind.HOLIDAY, "Saturday 02-01 is inside the span");
    equal(cal.dayKind(day("2025-02-08")), Hotline.DayKind.ADJUSTED_WORKING_DAY, "Saturday 02-08 is worked");
    equal(cal.holidayName(day("2025-01-29")), Optional.of("春节"), "name in Chinese");
    equal(cal.holidayName(day("2025-01-29"), true), Optional.of("Spring Festival"), "name in English");
    equal(cal.holidayName(day("2025-01-27")), Optional.empty(), "an ordinary day has no name");
    // 000 art. 12: counted from the day after receipt; 01-26 counts, 01-28..02-04 do not.
    equal(cal.addWorkdays(day("2025-01-25"), 2), day("2025-01-27"), "Saturday 01-25 + 2");
    equal(cal.addWorkdays(day("2025-01-24"), 2), day("2025-01-27"), "Friday 01-24 + 2");
    equal(cal.addWorkdays(day("2025-01-24"), 3), day("2025-02-05"), "Friday 01-24 + 3");
    // 01-26, 01-27, 02-05, 06, 07, 08 (Saturday, worked), 10, 11, 12, 13.
    equal(cal.addWorkdays(day("2025-01-24"), 10), day("2025-02-13"), "a complaint received 01-24");
    equal(cal.workdaysBetween(day("2025-01-24"), day("2025-02-13")), 10L, "(01-24, 02-13]");
    equal(cal.addWorkdays(day("2025-01-29"), 1), day("2025-02-05"), "received on a holiday");
    equal(cal.addWorkdays(day("2025-02-05"), -1), day("2025-01-27"), "one back");
    equal(cal.addWorkdays(day("2025-02-01"), 0), day("2025-02-01"), "n = 0");
  }

  /**
   * Every day of 2004-2026 against the reference CSV.  Deadlines are recounted from its list
   * of working days; one that would land outside it is out_of_range.
   */
  private static void againstReferenceCsv(Hotline.Calendar cal, Reference ref) {
    Map<LocalDate, String[]> rows = ref.rows;
    List<LocalDate> workdays = ref.workdays;
    LocalDate first = ref.first, last = ref.last;
    int kinds = 0, names = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      String[] row = rows.get(d);
      Hotline.DayKind expected = ref.kind(d);
      boolean working = expected == Hotline.DayKind.WORKING_DAY || expected == Hotline.DayKind.ADJUSTED_WORKING_DAY;
      Hotline.DayKind kind = cal.dayKind(d);
      // Each count goes on past 5; only the first five are shown.
      if ((kind != expected || cal.isWorkday(d) != working) && kinds++ < 5)
        System.err.println("  " + d + ": " + kind + ", the CSV says " + expected);
      Optional<String> name = expected == Hotline.DayKind.HOLIDAY ? cal.holidayName(d, true) : null;
      if (name != null && !name.equals(Optional.of(row[2])) && names++ < 5)
        System.err.println("  " + d + ": named " + name + ", the CSV " + row[2]);
    }
    check(kinds == 0, kinds + " of the days 2004-2026 differ from the CSV");
    check(names == 0, names + " holiday names differ from the CSV");

    // add_workdays(d, n) is the n-th working day strictly after d (before, for n < 0).
    int deadlines = 0, edges = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      int after = insertionPoint(workdays, d, true);  // index of the first working day > d
      for (long n : new long[] {1, 2, 10, -1}) {
        long k = n > 0 ? after + n - 1 : insertionPoint(workdays, d, false) + n;  // first >= d, then back
        if (k < 0 || k >= workdays.size()) {
          try {
            cal.addWorkdays(d, n);
            if (edges++ < 5) System.err.println("  " + d + " + " + n + ": no error beyond the data");
          } catch (Hotline.HotlineException e) {
            if (!e.statusName().equals("out_of_range") && edges++ < 5)
              System.err.println("  " + d + " + " + n + ": " + e.getMessage());
          }
          continue;
        }
        LocalDate expected = workdays.get((int) k);
        LocalDate due = cal.addWorkdays(d, n);
        // workdays_between counts (d, due], so it gives n back only forwards: backwards from a
        // rest day the day itself is not counted.
        if ((!due.equals(expected) || n > 0 && cal.workdaysBetween(d, due) != n) && deadlines++ < 5)
          System.err.println("  " + d + " + " + n + ": " + due + ", recounted " + expected);
      }
    }
    check(deadlines == 0, deadlines + " deadlines 2004-2026 differ from the recount");
    check(edges == 0, edges + " deadlines beyond 2004-2026 were not out_of_range");
  }

  /** The index of the first element > d (strictly) or >= d in the sorted list. */
  private static int insertionPoint(List<LocalDate> sorted, LocalDate d, boolean strictly) {
    int i = Collections.binarySearch(sorted, d);
    return i >= 0 ? (strictly ? i + 1 : i) : -i - 1;
  }

  /** Raw calls with bytes, as a host passing a byte buffer it did not check would make them. */
  interface Raw extends Library {
    Raw INSTANCE = Native.load("hotline_c", Raw.class);
    int hotline_parse_day(LongByReference out, Pointer text);
    int hotline_calendar_with_region(PointerByReference out, Pointer cal, Pointer name);
    int hotline_calendar_with_notice_file(PointerByReference out, Pointer cal, Pointer path, int year);
    int hotline_calendar_with_notices(PointerByReference out, Pointer cal, Pointer folder);
    int hotline_store_get(PointerByReference out, Pointer s, Pointer number, int flags);
    int hotline_store_apply(PointerByReference out, Pointer s, Pointer number, Pointer actionJson, int flags);
    int hotline_knowledge_base_match(PointerByReference out, Pointer kb, Pointer query, Pointer optionsJson);
  }

  /** UTF-8 text as a C string, for the raw calls. */
  private static Memory utf8(String text) { return bytes(text.getBytes(StandardCharsets.UTF_8)); }

  /** The byte offset of the marker "@" in text's UTF-8 form: where spliced() puts its bad bytes. */
  private static int badAt(String text) {
    return text.substring(0, text.indexOf('@')).getBytes(StandardCharsets.UTF_8).length;
  }

  /** text's UTF-8 bytes with raw bytes put in place of the marker "@". */
  private static Memory spliced(String text, byte... raw) {
    byte[] head = text.substring(0, text.indexOf('@')).getBytes(StandardCharsets.UTF_8);
    byte[] tail = text.substring(text.indexOf('@') + 1).getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + raw.length + tail.length);
    System.arraycopy(raw, 0, all, head.length, raw.length);
    System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
    return bytes(all);
  }

  private static Memory bytes(byte... text) {
    Memory m = new Memory(text.length + 1);
    m.write(0, text, 0, text.length);
    m.setByte(text.length, (byte) 0);
    return m;
  }

  private static void badInput(Hotline.Calendar cal) throws IOException {
    // Java null where C wants a string: the library's NULL check answers.
    fails("invalid_argument", "NULL", () -> Hotline.parseDay(null), "parseDay(null)");
    fails("invalid_argument", "NULL", () -> cal.withRegion(null), "withRegion(null)");
    fails("invalid_argument", "NULL", () -> cal.withNoticeFile(null, 0), "withNoticeFile(null)");
    // Strings UTF-8 cannot carry unchanged are refused before the call.
    fails("invalid_argument", "NUL", () -> Hotline.parseDay("2025-01-25\0junk"), "an embedded NUL");
    fails("invalid_argument", "surrogate", () -> cal.withRegion("guangxi\uD800"), "a lone surrogate");
    // Invalid UTF-8 bytes (0xFF never occurs in UTF-8; 0xE6 0xB0 is a cut-off 3-byte sequence).
    // docs/c-api.md: a string argument that is not UTF-8 is invalid_argument naming the
    // argument and the offset of the first bad byte.
    LongByReference d = new LongByReference();
    Memory badDay = bytes((byte) '2', (byte) '0', (byte) '2', (byte) '5', (byte) '-', (byte) '0', (byte) '1',
                          (byte) '-', (byte) '2', (byte) 0xFF);
    fails("invalid_argument", "text: not valid UTF-8 at byte 9",
          () -> Hotline.check(Raw.INSTANCE.hotline_parse_day(d, badDay)), "a day in bad UTF-8");
    PointerByReference out = new PointerByReference();
    Memory badRegion = bytes((byte) 'g', (byte) 'x', (byte) 0xE6, (byte) 0xB0);
    fails("invalid_argument", "name: not valid UTF-8 at byte 2",
          () -> Hotline.check(Raw.INSTANCE.hotline_calendar_with_region(out, cal.handle(), badRegion)),
          "a region in bad UTF-8");
    Memory badPath = bytes((byte) 'n', (byte) 'o', (byte) '/', (byte) 0xFF, (byte) '.', (byte) 't', (byte) 'x',
                           (byte) 't');
    fails("invalid_argument", "path: not valid UTF-8 at byte 3",
          () -> Hotline.check(Raw.INSTANCE.hotline_calendar_with_notice_file(out, cal.handle(), badPath, 0)),
          "a path in bad UTF-8");
    fails("invalid_argument", "folder: not valid UTF-8 at byte 3",
          () -> Hotline.check(Raw.INSTANCE.hotline_calendar_with_notices(out, cal.handle(), badPath)),
          "a folder in bad UTF-8");
    // A notice whose text is not UTF-8: the published GBK form of 春节 (B4BA BDDA) in place of UTF-8.
    Path gbk = Files.createTempFile("hotline-notice-gbk", ".txt");
    try {
      byte[] head = "国务院办公厅关于2027年部分节假日安排的通知\n一、".getBytes(StandardCharsets.UTF_8);
      byte[] tail = "：1月1日至3日放假，共3天。\n".getBytes(StandardCharsets.UTF_8);
      byte[] text = Arrays.copyOf(head, head.length + 4 + tail.length);
      System.arraycopy(new byte[] {(byte) 0xB4, (byte) 0xBA, (byte) 0xBD, (byte) 0xDA}, 0, text, head.length, 4);
      System.arraycopy(tail, 0, text, head.length + 4, tail.length);
      Files.write(gbk, text);
      fails("parse", "not valid UTF-8", () -> cal.withNoticeFile(gbk, 0), "a notice in GBK");
    } finally {
      Files.delete(gbk);
    }
    // Files and names that are not there.
    fails("io", "no/such/notice.txt", () -> cal.withNoticeFile(Path.of("no/such/notice.txt"), 0), "a missing notice");
    fails("not_found", "no/such/folder", () -> cal.withNotices(Path.of("no/such/folder")), "a missing folder");
    fails("not_found", "atlantis", () -> cal.withRegion("atlantis"), "an unknown region");
    // Values the library refuses.
    fails("parse", "2026-02-30", () -> Hotline.parseDay("2026-02-30"), "30 February");
    fails("invalid_argument", "option", () -> Hotline.Calendar.china(4), "an unknown option bit");
    fails("out_of_range", "2027", () -> cal.isWorkday(day("2027-01-04")), "a year without data");
  }

  /**
   * One calendar shared by threads (hotline/c/calendar.h allows it), each also failing on
   * purpose: the last error is per thread, so each must read its own message.
   */
  private static void threads(Hotline.Calendar cal) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; ++t) {
        final String bad = "2025-13-0" + (t + 1);  // month 13: each thread its own bad input
        results.add(pool.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < 2000; ++i) {
            if (!cal.addWorkdays(day("2025-01-24"), 10).equals(day("2025-02-13"))) ++wrong;
            try {
              Hotline.parseDay(bad);
              ++wrong;
            } catch (Hotline.HotlineException e) {
              if (!e.detail().contains(bad)) ++wrong;
            }
          }
          return wrong;
        }));
      }
      int wrong = 0;
      for (Future<Integer> r : results) wrong += r.get();
      check(wrong == 0, wrong + " answers or messages wrong under 4 threads");
    } finally {
      pool.shutdown();
    }
  }

  /** A closed calendar refuses calls in Java: its handle is never passed on freed. */
  private static void closed() {
    Hotline.Calendar cal = Hotline.Calendar.china();
    cal.close();
    cal.close();
    try {
      cal.isWorkday(day("2025-01-24"));
      check(false, "a closed calendar answered");
    } catch (IllegalStateException e) {
      check(true, "closed");
    }
  }

  // ---- SLA -------------------------------------------------------------------------------

  /** 00:00 Beijing time of the day after d: the due instant of an end_of_day clock whose last day is d. */
  private static OffsetDateTime endOf(LocalDate d) {
    return d.plusDays(1).atStartOfDay().atOffset(ZoneOffset.ofHours(8));
  }

  /**
   * 000 art. 12 (docs/sla.md): a complaint is due in 10 working days, a consultation in 2,
   * counted from the day after receipt (the receipt's day in Beijing time), due at the end of
   * the last; the days recounted on the reference CSV.
   */
  private static void sla(Reference ref) {
    List<String> presets = new ArrayList<>();
    for (String name : Json.elements(SlaPolicy.presetNames())) presets.add(Json.decode(name));
    check(presets.contains("guangzhou-family-doctor") && presets.contains("tianjin-12320"), "presets " + presets);
    try (SlaPolicy gz = SlaPolicy.preset("guangzhou-family-doctor")) {
      String complaint = "{\"request_type\": \"complaint\"}";
      // Fri 2025-09-26: National Day 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked (2025 notice).
      // Counted: 09-28, 29, 30, 10-09, 10, 11, 13, 14, 15, 16.
      OffsetDateTime received = OffsetDateTime.parse("2025-09-26T09:00:00+08:00");
      LocalDate last = ref.nthWorkdayAfter(day("2025-09-26"), 10);
      equal(last, day("2025-10-16"), "the reference CSV's 10th working day after 09-26");
      SlaPolicy.Due due = gz.due(complaint, received);
      equal(due.lastDay(), last, "a complaint across National Day: the last day");
      equal(due.at(), endOf(last), "a complaint across National Day: late from the next midnight");
      equal(gz.due("{\"request_type\": \"投诉\"}", received).at(), endOf(last), "投诉 is a complaint");
      // Across the Spring Festival, and a receipt whose Beijing day is the next UTC day.
      equal(gz.due(complaint, OffsetDateTime.parse("2025-01-24T10:00:00+08:00")).at(),
            endOf(ref.nthWorkdayAfter(day("2025-01-24"), 10)), "a complaint across the Spring Festival");
      String consultation = "{\"request_type\": \"consultation\"}";
      equal(gz.due(consultation, OffsetDateTime.parse("2025-01-23T16:30:00Z")).lastDay(),
            ref.nthWorkdayAfter(day("2025-01-24"), 2), "16:30Z on 01-23 is received 01-24 in Beijing");
      equal(gz.due(consultation, OffsetDateTime.parse("2025-01-23T15:59:59Z")).lastDay(),
            ref.nthWorkdayAfter(day("2025-01-23"), 2), "15:59:59Z on 01-23 is received 01-23 in Beijing");

      // The deadline explained: the same last day, and every holiday between receipt and it
      // (by the CSV) among the days stepped over.
      String deadline = gz.deadline(complaint, received);
      equal(Json.integer(deadline, "last_day_number"), last.toEpochDay(), "deadline.last_day_number");
      equal(Json.integer(deadline, "target", "amount"), 10L, "deadline.target.amount");
      equal(Json.string(deadline, "counting"), "day_after_start", "deadline.counting");
      List<String> stepped = new ArrayList<>();
      for (String d : Json.elements(Json.raw(deadline, "stepped_over")))
        if ("holiday".equals(Json.string(d, "kind"))) stepped.add(Json.string(d, "date"));
      List<String> holidays = new ArrayList<>();
      for (LocalDate d = received.toLocalDate().plusDays(1); !d.isAfter(last); d = d.plusDays(1))
        if (ref.kind(d) == Hotline.DayKind.HOLIDAY) holidays.add(d.toString());
      check(holidays.size() == 8 && stepped.containsAll(holidays),
            "the holidays stepped over " + stepped + " hold the CSV's " + holidays);

      // The clock over its history: a reply before the due instant meets it, one after breaches it.
      String start = "{\"kind\": \"start\", \"at\": \"2025-09-26T09:00:00+08:00\"}";
      String history = "{\"order\": " + complaint + ", \"as_of\": \"2025-10-20T12:00:00+08:00\", \"events\": [" + start;
      OffsetDateTime lastSecond = endOf(last).minusSeconds(1);
      String inTime = gz.evaluate(history + ", {\"kind\": \"stop\", \"at\": \"" + lastSecond + "\"}]}");
      equal(Json.string(inTime, "state"), "met", "a reply one second before due");
      String late = gz.evaluate(history + ", {\"kind\": \"stop\", \"at\": \"" + endOf(last) + "\"}]}");
      equal(Json.string(late, "state"), "breached", "a reply at the due instant");

      // Refusals.
      fails("not_found", "nowhere", () -> SlaPolicy.preset("nowhere").close(), "an unknown preset");
      fails("parse", "order_json", () -> gz.due("{\"request_type\": ", received), "malformed order JSON");
      fails("invalid_argument", "grumble", () -> gz.due("{\"request_type\": \"grumble\"}", received),
            "an unknown request type");
      fails("invalid_argument", "NULL", () -> gz.due(null, received), "a null order");
      fails("io", "no/such/policy.json", () -> SlaPolicy.fromJsonFile(Path.of("no/such/policy.json")).close(),
            "a missing policy file");
      String resumed = history + ", {\"kind\": \"resume\", \"at\": \"2025-09-29T09:00:00+08:00\"}]}";
      fails("illegal_transition", "", () -> gz.evaluate(resumed), "a resume while running");
      // A policy written out reads back to the same deadlines.
      try (SlaPolicy back = SlaPolicy.fromJson(gz.toJson())) {
        equal(back.due(complaint, received).at(), due.at(), "a policy through its JSON");
      }
    }
  }

  // ---- store and reports ----------------------------------------------------------------

  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

  private static void storeAndReports(Path dir, Reference ref) throws Exception {
    Path file = dir.resolve("hotline.db");
    try (Store store = Store.open(file, "{\"sla_preset\": \"guangzhou-family-doctor\"}")) {
      check(store.schemaVersion() > 0, "schema version");
      store.putUnit("{\"code\": \"YX-BJJ\", \"name\": \"越秀区北京街社区卫生服务中心\", \"kind\": \"institution\","
                    + " \"covers\": [\"越秀区/北京街\"]}");
      check(Json.elements(store.units()).size() == 1, "one unit");

      // Intake: the number, state and version; the caller's phone masked unless revealed.
      String phone = "13812341234";
      String order = store.create("{\"received_at\": \"2025-10-09T09:15:00+08:00\", \"request_type\": \"complaint\","
                                  + " \"agent\": \"A017\", \"caller_phone\": \"" + phone + "\","
                                  + " \"complaint_subject\": \"医疗服务\","
                                  + " \"content\": \"诊所收费不合理\"}");
      String number = Json.string(order, "number");
      check(number != null && !number.isEmpty(), "create gives a number");
      equal(Json.string(order, "state"), "waiting_for_dispatch", "a new complaint waits for dispatch");
      equal(Json.integer(order, "version"), 1L, "a new order's version");
      check(!order.contains(phone) && Json.string(order, "caller_phone").endsWith(phone.substring(7)),
            "the phone masked: " + Json.string(order, "caller_phone"));
      equal(Json.string(store.get(number, Store.REVEAL), "caller_phone"), phone, "the phone revealed");
      equal(Json.string(order, "content"), "诊所收费不合理", "Chinese text there and back (UTF-8 both ways)");
      equal(store.eventCount(), 1L, "one event after create");

      // Dispatch to the unit, then what get() says.
      String dispatch = "{\"action\": \"dispatch\", \"at\": \"2025-10-09T10:00:00+08:00\", \"by\": \"D02\","
                        + " \"role\": \"dispatcher\", \"unit\": \"YX-BJJ\", \"expected_version\": 1}";
      equal(Json.string(store.apply(number, dispatch), "state"), "dispatched", "apply returns the order after it");
      String got = store.get(number);
      equal(Json.string(got, "state"), "dispatched", "get: the state after dispatch");
      equal(Json.string(got, "unit"), "YX-BJJ", "get: the unit dispatched to");
      equal(Json.integer(got, "version"), 2L, "get: the version after one action");
      // The store's reply clock under the preset: the complaint's 10 working days from 10-09.
      equal(OffsetDateTime.parse(Json.string(got, "clocks", "reply", "due")),
            endOf(ref.nthWorkdayAfter(day("2025-10-09"), 10)), "the order's reply clock: 10 working days");
      List<String> events = Json.elements(Json.raw(store.events(number), "events"));
      equal(events.size(), 2, "two events");
      equal(Json.string(events.get(1), "action"), "dispatch", "the second event");
      equal(Json.string(events.get(1), "state_after"), "dispatched", "the second event's state after");
      equal(store.eventCount(), 2L, "the event count");
      String verify = store.verify();
      check(Json.bool(verify, "ok"), "verify ok: " + verify);
      equal(Json.integer(verify, "events_checked"), 2L, "verify checked every event");

      // Refusals: each a HotlineException of its status, and none changes the store.
      String signFor = "{\"action\": \"sign_for\", \"at\": \"2025-10-09T11:00:00+08:00\", \"by\": \"L01\","
                       + " \"role\": \"liaison\", \"by_unit\": \"YX-BJJ\", \"expected_version\": 1}";
      fails("conflict", "expected version 1", () -> store.apply(number, signFor), "a stale expected_version");
      fails("illegal_transition", "dispatched",
            () -> store.apply(number, "{\"action\": \"close\", \"at\": \"2025-10-09T11:00:00+08:00\", \"by\": \"C01\","
                                      + " \"role\": \"call_back_agent\"}"),
            "closing a dispatched order");
      fails("invalid_argument", "frobnicate",
            () -> store.apply(number, "{\"action\": \"frobnicate\", \"at\": \"2025-10-09T11:00:00+08:00\","
                                      + " \"by\": \"D02\", \"role\": \"dispatcher\"}"),
            "an unknown action");
      fails("permission", "role agent",
            () -> store.apply(number, "{\"action\": \"sign_for\", \"at\": \"2025-10-09T11:00:00+08:00\","
                                      + " \"by\": \"A017\", \"role\": \"agent\"}"),
            "an agent signing for the unit");
      fails("parse", "action_json", () -> store.apply(number, "{\"action\": \"dispatch\", \"at\" \"2025-10-09\"}"),
            "malformed JSON");
      fails("not_found", "NO-SUCH", () -> store.get("NO-SUCH"), "an unknown order");
      fails("invalid_argument", "NULL", () -> store.get(null), "a null number");
      fails("invalid_argument", "NULL", () -> store.apply(number, null), "a null action");
      fails("io", "no/such/calls.csv", () -> store.importCalls(Path.of("no/such/calls.csv")), "a missing call log");
      // Invalid UTF-8 in bytes (0xFF never occurs in UTF-8; C3 28 is a broken 2-byte sequence).
      Memory badNumber = spliced("B-@", (byte) 0xC3, (byte) '(');
      fails("invalid_argument", "number: not valid UTF-8 at byte " + badAt("B-@"),
            () -> Hotline.text(out -> Raw.INSTANCE.hotline_store_get(out, store.handle(), badNumber, 0)),
            "a number in bad UTF-8");
      String action = "{\"action\": \"dispatch\", \"at\": \"2025-10-09T11:00:00+08:00\", \"by\": \"D02\","
                      + " \"role\": \"dispatcher\", \"comment\": \"收费 @\"}";
      Memory badAction = spliced(action, (byte) 0xFF, (byte) 0xFE);
      fails("invalid_argument", "action_json: not valid UTF-8 at byte " + badAt(action),
            () -> Hotline.text(out -> Raw.INSTANCE.hotline_store_apply(out, store.handle(), utf8(number), badAction,
                                                                       0)),
            "an action in bad UTF-8");
      equal(store.eventCount(), 2L, "no refusal reached the log");
      equal(Json.integer(store.get(number), "version"), 2L, "no refusal changed the order");

      // The month's other calls, one transaction; then orders beside October's edges.
      String[][] more = {  // received_at, request_type
          {"2025-10-20T09:00:00+08:00", "consultation"},
          {"2025-10-31T23:59:59+08:00", "suggestion"},   // the last second of October
          {"2025-09-30T16:30:00Z", "praise"},            // 00:30 on 10-01 in Beijing
          {"2025-11-01T00:00:00+08:00", "report"},       // November
          {"2025-09-30T15:59:59Z", "consultation"},      // 23:59:59 on 09-30 in Beijing
      };
      StringBuilder records = new StringBuilder("[");
      for (String[] o : more)
        records.append(records.length() > 1 ? ", " : "").append("{\"received_at\": \"").append(o[0])
            .append("\", \"request_type\": \"").append(o[1]).append("\", \"agent\": \"A018\", \"content\": \"x\"}");
      String imported = store.importRecords(records.append("]").toString());
      equal(Json.integer(imported, "created"), (long) more.length, "importRecords created them all");
      equal(store.count(null), (long) more.length + 1, "count of every order");

      // The monthly report counts what was received in October in Beijing time, by type.
      List<String[]> all = new ArrayList<>(Arrays.asList(more));
      all.add(new String[] {"2025-10-09T09:15:00+08:00", "complaint"});
      long total = 0, complaints = 0, consultations = 0;
      for (String[] o : all) {
        YearMonth month = YearMonth.from(OffsetDateTime.parse(o[0]).atZoneSameInstant(BEIJING));
        if (!month.equals(YearMonth.of(2025, 10))) continue;
        ++total;
        if (o[1].equals("complaint")) ++complaints;
        if (o[1].equals("consultation")) ++consultations;
      }
      try (Report monthly = Report.monthly(store, "2025-10", null)) {
        String json = monthly.toJson();
        equal(Json.string(json, "report"), "monthly", "report kind");
        equal(Json.integer(json, "summary", "total"), total, "the monthly total: October's orders");
        equal(Json.integer(json, "summary", "complaints"), complaints, "the monthly complaints");
        equal(Json.integer(json, "summary", "consultations"), consultations, "the monthly consultations");
        equal(monthly.tableCount(), 4, "annex 8 has four tables");
        check(monthly.toText().contains("投诉") && monthly.toCsv(0).contains("咨询"), "the tables in Chinese");
        fails("out_of_range", "", () -> monthly.toCsv(4), "a table past the end");
        fails("out_of_range", "", () -> monthly.toCsv(-1), "a negative table index");
        Path xlsx = dir.resolve("2025-10.xlsx");
        monthly.writeXlsx(xlsx);
        check(Files.size(xlsx) > 0, "the workbook written");
        fails("io", "no/such/dir", () -> monthly.writeXlsx(Path.of("no/such/dir/m.xlsx")), "an unwritable workbook");
      }
      try (Report unit = Report.monthly(store, "2025-10", "{\"unit\": \"YX-BJJ\"}")) {
        equal(Json.integer(unit.toJson(), "summary", "total"), 1L, "one order went to YX-BJJ");
      }
      fails("parse", "2025-13", () -> Report.monthly(store, "2025-13", null).close(), "month 13");
      fails("invalid_argument", "NULL", () -> Report.monthly(null, "2025-10", null).close(), "a null store");

      // One store shared by threads: each creates its orders (in December), none is lost.
      long before = store.eventCount();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 4; ++t) {
          final String agent = "T" + t;
          results.add(pool.submit(() -> {
            int created = 0;
            for (int i = 0; i < 10; ++i) {
              String o = store.create("{\"received_at\": \"2025-12-0" + (i % 9 + 1) + "T10:00:00+08:00\","
                                      + " \"request_type\": \"consultation\", \"agent\": \"" + agent + "\","
                                      + " \"content\": \"x\"}");
              if (Json.integer(o, "version") == 1) ++created;
            }
            return created;
          }));
        }
        int created = 0;
        for (Future<Integer> r : results) created += r.get();
        equal(created, 40, "orders created by 4 threads");
        equal(store.eventCount(), before + 40, "their events");
        equal(store.count("{\"from\": \"2025-12-01\", \"to\": \"2026-01-01\"}"), 40L, "December's orders");
      } finally {
        pool.shutdown();
      }
      check(Json.bool(store.verify(), "ok"), "verify after the threads");
    }
    closedStore(dir.resolve("closed.db"));
    fails("io", "", () -> Store.open(dir.resolve("none.db"), "{\"must_exist\": true}").close(), "must_exist");
    fails("parse", "options_json", () -> Store.open(dir.resolve("x.db"), "{\"busy_timeout_ms\":").close(),
          "malformed options");
  }

  /** A closed store refuses calls in Java: its handle is never passed on freed. */
  private static void closedStore(Path file) {
    Store store = Store.open(file);
    store.close();
    store.close();
    try {
      store.eventCount();
      check(false, "a closed store answered");
    } catch (IllegalStateException e) {
      check(true, "closed store");
    }
  }

  // ---- knowledge base -------------------------------------------------------------------

  /**
   * The project's base, read here as well: every entry's own question finds it first; a
   * caller's question in other words finds the entry on its subject; bad input refused.
   */
  private static void knowledge(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> entries = Json.elements(Json.raw(text, "entries"));
    String on = "2025-10-09";
    try (KnowledgeBase kb = KnowledgeBase.create()) {
      equal(kb.importFile(file), (long) entries.size(), "entries imported: the file's");
      equal(kb.size(), (long) entries.size(), "the base's size");
      check(kb.calibrate() > 0, "calibrated");
      int wrong = 0, valid = 0;
      for (String e : entries) {
        String until = Json.string(e, "valid_until");
        if (until != null && until.compareTo(on) < 0) continue;  // expired by then: never matched
        ++valid;
        String hits = kb.match(Json.string(e, "question"), "{\"k\": 3, \"on\": \"" + on + "\"}");
        List<String> list = Json.elements(hits);
        if (list.isEmpty() || !Json.string(list.get(0), "id").equals(Json.string(e, "id"))) {
          if (wrong++ < 5) System.err.println("  " + Json.string(e, "question") + " -> " + hits);
        }
      }
      check(wrong == 0 && valid > 20, wrong + " of " + valid + " questions did not find their own entry first");

      // Callers' words, not the base's: the entry whose question is on that subject (found in the file).
      String[][] asked = {{"家庭医生签约到期了要怎么续签", "续约"},
                          {"被狗咬了狂犬疫苗到底要打几针", "狂犬病疫苗"},
                          {"宫颈癌九价疫苗在哪里预约", "HPV"}};
      for (String[] a : asked) {
        String expected = null;
        for (String e : entries)
          if (Json.string(e, "question").contains(a[1])) expected = Json.string(e, "id");
        String decision = kb.answer(a[0], "{\"on\": \"" + on + "\"}");
        List<String> hits = Json.elements(Json.raw(decision, "hits"));
        String id = hits.isEmpty() ? null : Json.string(hits.get(0), "id");
        equal(id, expected, "\"" + a[0] + "\" finds the entry on " + a[1]);
        if (id != null) check(Json.string(kb.get(id), "question").contains(a[1]), "get(" + id + ")");
      }
      String sure = kb.answer(Json.string(entries.get(0), "question"));
      check(Json.bool(sure, "answer_now") && Json.number(sure, "threshold") == 0.5, "answer now: " + sure);

      // Refusals.
      fails("invalid_argument", "NULL", () -> kb.match(null), "a null query");
      Memory badQuery = spliced("家庭医生@怎么签", (byte) 0xE6, (byte) 0xB0);
      fails("invalid_argument", "query: not valid UTF-8 at byte " + badAt("家庭医生@"),
            () -> Hotline.text(out -> Raw.INSTANCE.hotline_knowledge_base_match(out, kb.handle(), badQuery, null)),
            "a query in bad UTF-8");
      fails("parse", "options_json", () -> kb.match("家庭医生", "{\"k\": "), "malformed options");
      fails("io", "no/such/kb.json", () -> kb.importFile(Path.of("no/such/kb.json")), "a missing knowledge file");
      fails("not_found", "NO-SUCH", () -> kb.get("NO-SUCH"), "an unknown entry");
      fails("conflict", "", () -> kb.add(entries.get(0)), "an id already in the base");
      fails("invalid_argument", "", () -> kb.setAnswerThreshold(1.5), "a threshold above 1");
      equal(kb.size(), (long) entries.size(), "no refusal changed the base");
    }
  }

  private static void removeTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }
}
