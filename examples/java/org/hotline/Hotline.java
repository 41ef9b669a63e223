// Hotline: the C ABI of libhotline_c (through HotlineLib) in Java's terms.
//
//   try (Hotline.Calendar cal = Hotline.Calendar.china()) {
//     LocalDate due = cal.addWorkdays(LocalDate.of(2025, 1, 24), 2);  // 2025-01-27
//   } catch (Hotline.HotlineException e) {
//     System.err.println(e.statusName() + ": " + e.detail());
//   }
//
// This file holds what every part shares and the calendar; SlaPolicy, Store, KnowledgeBase
// and Report wrap the other headers the same way, JSON crossing as String both ways.
//
// Dates are LocalDate (days since 1970-01-01 across the boundary), failures a
// HotlineException with the status's name and the library's message, handles
// AutoCloseable.  Strings cross as UTF-8; one that UTF-8 cannot carry whole (a NUL, which
// C would take for the end, or a lone surrogate, which the encoder would turn into '?') is
// refused before the call rather than sent altered.
package org.hotline;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.ToIntFunction;

public final class Hotline {
  private Hotline() {}

  static final HotlineLib LIB = load();

  private static HotlineLib load() {
    HotlineLib lib = HotlineLib.INSTANCE;
    // A library of another ABI would answer some calls with other meanings: refuse it whole.
    int abi = lib.hotline_abi_version();
    if (abi != HotlineLib.ABI_VERSION)
      throw new UnsatisfiedLinkError("libhotline_c has C ABI " + abi + ", this binding is for "
                                     + HotlineLib.ABI_VERSION);
    return lib;
  }

  /** A call that did not succeed: the hotline_status, its stable name, the library's message. */
  public static final class HotlineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String statusName;
    private final String detail;

    HotlineException(int status, String statusName, String detail) {
      super(statusName + ": " + detail);
      this.status = status;
      this.statusName = statusName;
      this.detail = detail;
    }

    /** The hotline_status, a HotlineLib.HOTLINE_E_* value. */
    public int status() { return status; }
    /** "invalid_argument", "parse", "io", ... (hotline_status_name). */
    public String statusName() { return statusName; }
    /** hotline_last_error() of the failed call: what was wrong and where. */
    public String detail() { return detail; }
  }

  /** Throws a HotlineException unless status is HOTLINE_OK (for calls made on HotlineLib directly). */
  public static void check(int status) {
    if (status != HotlineLib.HOTLINE_OK) throw failure(status);
  }

  /** The exception of a failed call, made at once: the message is per thread, and the next call clears it. */
  static HotlineException failure(int status) {
    String detail = LIB.hotline_last_error();
    return new HotlineException(status, LIB.hotline_status_name(status), detail);
  }

  /** A call on HotlineLib with one {@code char** out}: checked, the text taken (and freed). */
  static String text(ToIntFunction<PointerByReference> call) {
    PointerByReference out = new PointerByReference();
    int status = call.applyAsInt(out);
    if (status != HotlineLib.HOTLINE_OK) {
      HotlineException e = failure(status);
      // The library leaves *out NULL after a failure; should it not, the text is still freed.
      if (out.getValue() != null) LIB.hotline_free(out.getValue());
      throw e;
    }
    return takeText(out);
  }

  /** A call on HotlineLib with one {@code T** out} handle: checked, the handle returned. */
  static Pointer handle(ToIntFunction<PointerByReference> call) {
    PointerByReference out = new PointerByReference();
    check(call.applyAsInt(out));
    return out.getValue();
  }

  /** A call on HotlineLib with a {@code size_t* out}: checked, the count returned. */
  static long count(ToIntFunction<HotlineLib.SizeTByReference> call) {
    HotlineLib.SizeTByReference out = new HotlineLib.SizeTByReference();
    check(call.applyAsInt(out));
    return out.getValue();
  }

  /** A call on HotlineLib with an {@code int64_t* out}: checked, the value returned. */
  static long int64(ToIntFunction<LongByReference> call) {
    LongByReference out = new LongByReference();
    check(call.applyAsInt(out));
    return out.getValue();
  }

  /** An instant as the C ABI reads it: ISO-8601 with its offset, "2025-10-09T09:15:00+08:00". */
  static String instant(OffsetDateTime at) {
    return at == null ? null : at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /** A string argument, refused if UTF-8 cannot carry it unchanged; null goes on (the library answers it). */
  static String cstr(String text) {
    if (text != null && text.indexOf('\0') >= 0)
      throw invalidArgument("text contains a NUL character, where C would end it");
    if (text != null && !StandardCharsets.UTF_8.newEncoder().canEncode(text))
      throw invalidArgument("text is not valid UTF-16 (a lone surrogate), so it has no UTF-8 form");
    return text;
  }

  private static HotlineException invalidArgument(String detail) {
    int status = HotlineLib.HOTLINE_E_INVALID_ARGUMENT;
    return new HotlineException(status, LIB.hotline_status_name(status), detail);
  }

  static String cstr(Path path) { return cstr(path == null ? null : path.toString()); }

  /** Takes a {@code char** out} result: the text as a String, and the library's copy freed. */
  static String takeText(PointerByReference out) {
    Pointer p = out.getValue();
    if (p == null) return null;
    try {
      return p.getString(0, "UTF-8");
    } finally {
      LIB.hotline_free(p);
    }
  }

  /** The library's version, "0.9.0". */
  public static String version() { return LIB.hotline_version(); }

  /** HOTLINE_ABI_VERSION of the library loaded. */
  public static int abiVersion() { return LIB.hotline_abi_version(); }

  /** "YYYY-MM-DD" read by the library (hotline_parse_day). */
  public static LocalDate parseDay(String text) {
    LongByReference out = new LongByReference();
    check(LIB.hotline_parse_day(out, cstr(text)));
    return LocalDate.ofEpochDay(out.getValue());
  }

  /** hotline::day_kind, in the order of HOTLINE_WORKING_DAY.. */
  public enum DayKind { WORKING_DAY, REST_DAY, HOLIDAY, ADJUSTED_WORKING_DAY }

  /**
   * A workday calendar (hotline_calendar*).  Immutable: with* return a new calendar, and one
   * calendar may be used by any number of threads at once; close it once they are done.
   */
  public static final class Calendar implements AutoCloseable {
    /** Options of china(): beyond the years with data, the plain Monday-Friday rule. */
    public static final int WEEKENDS_BEYOND_DATA = HotlineLib.HOTLINE_CALENDAR_WEEKENDS_BEYOND_DATA;
    /** Options of china(): beyond the years with data, the statutory days (provisional). */
    public static final int STATUTORY_BEYOND_DATA = HotlineLib.HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA;

    private volatile Pointer handle;

    private Calendar(PointerByReference out) { handle = out.getValue(); }

    /** China's national calendar; a date beyond the years with data is an out_of_range error. */
    public static Calendar china() { return china(0); }

    /** China's national calendar with WEEKENDS_BEYOND_DATA / STATUTORY_BEYOND_DATA or-ed in options. */
    public static Calendar china(int options) {
      PointerByReference out = new PointerByReference();
      check(LIB.hotline_calendar_new_china(out, options));
      return new Calendar(out);
    }

    /** This calendar with a State Council holiday notice (UTF-8 text as published) on top; year 0 reads it from the text. */
    public Calendar withNoticeFile(Path path, int year) {
      PointerByReference out = new PointerByReference();
      check(LIB.hotline_calendar_with_notice_file(out, handle(), cstr(path), year));
      return new Calendar(out);
    }

    /** This calendar with every notice of a folder on top: how a host loads them at start. */
    public Calendar withNotices(Path folder) {
      PointerByReference out = new PointerByReference();
      check(LIB.hotline_calendar_with_notices(out, handle(), cstr(folder)));
      return new Calendar(out);
    }

    /** This calendar with a built-in region's days on top ("guangxi"). */
    public Calendar withRegion(String name) {
      PointerByReference out = new PointerByReference();
      check(LIB.hotline_calendar_with_region(out, handle(), cstr(name)));
      return new Calendar(out);
    }

    public DayKind dayKind(LocalDate day) {
      IntByReference out = new IntByReference();
      check(LIB.hotline_calendar_day_kind(out, handle(), day.toEpochDay()));
      return DayKind.values()[out.getValue()];
    }

    public boolean isWorkday(LocalDate day) {
      IntByReference out = new IntByReference();
      check(LIB.hotline_calendar_is_workday(out, handle(), day.toEpochDay()));
      return out.getValue() != 0;
    }

    /**
     * The n-th working day strictly after day (n >= 1): "n working days from the day after
     * receipt"; n <= -1 counts back, n = 0 gives day.
     */
    public LocalDate addWorkdays(LocalDate day, long n) {
      LongByReference out = new LongByReference();
      check(LIB.hotline_calendar_add_workdays(out, handle(), day.toEpochDay(), n));
      return LocalDate.ofEpochDay(out.getValue());
    }

    /** The working days in (a, b]; negative when b is before a. */
    public long workdaysBetween(LocalDate a, LocalDate b) {
      LongByReference out = new LongByReference();
      check(LIB.hotline_calendar_workdays_between(out, handle(), a.toEpochDay(), b.toEpochDay()));
      return out.getValue();
    }

    /** The holiday's name in Chinese ("春节"), or empty on an ordinary day. */
    public Optional<String> holidayName(LocalDate day) { return holidayName(day, false); }

    /** The holiday's name in Chinese or English ("Spring Festival"), or empty on an ordinary day. */
    public Optional<String> holidayName(LocalDate day, boolean english) {
      byte[] buf = new byte[64];
      HotlineLib.SizeTByReference needed = new HotlineLib.SizeTByReference();
      int status = holidayName(buf, needed, day, english);
      if (status == HotlineLib.HOTLINE_E_BUFFER_TOO_SMALL) {
        buf = new byte[Math.toIntExact(needed.getValue())];
        status = holidayName(buf, needed, day, english);
      }
      check(status);
      String name = new String(buf, 0, Math.toIntExact(needed.getValue()) - 1, StandardCharsets.UTF_8);
      return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    private int holidayName(byte[] buf, HotlineLib.SizeTByReference needed, LocalDate day, boolean english) {
      return LIB.hotline_calendar_holiday_name(buf, new HotlineLib.SizeT(buf.length), needed, handle(),
                                               day.toEpochDay(), english ? 1 : 0);
    }

    /** The hotline_calendar* for calls on HotlineLib directly. */
    Pointer handle() {
      Pointer h = handle;
      if (h == null) throw new IllegalStateException("the calendar is closed");
      return h;
    }

    /** Frees the calendar; later calls throw IllegalStateException.  Closing twice is fine. */
    @Override
    public synchronized void close() {
      if (handle != null) {
        LIB.hotline_calendar_free(handle);
        handle = null;
      }
    }
  }
}
