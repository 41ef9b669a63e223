// HotlineLib: the C ABI of libhotline_c (include/hotline/hotline.h) as a JNA interface.
//
// One Java method per C function of every header, same name, same argument order.  Most
// hosts use the wrappers (Hotline.java, SlaPolicy, Store, KnowledgeBase, Report) instead;
// this interface is for what they leave out (assessment.h and signing.h, flags, buffers).
//
//   HotlineLib lib = HotlineLib.INSTANCE;
//   PointerByReference cal = new PointerByReference();
//   if (lib.hotline_calendar_new_china(cal, 0) != HotlineLib.HOTLINE_OK)
//     System.err.println(lib.hotline_last_error());
//   LongByReference due = new LongByReference();
//   lib.hotline_calendar_add_workdays(due, cal.getValue(), 20113, 2);  // 2025-01-25 + 2
//   lib.hotline_calendar_free(cal.getValue());
//
// Mapping: `hotline_status` and `int` are int; `int64_t` is long; a date is a long of days
// since 1970-01-01 (LocalDate.toEpochDay()); `size_t` is SizeT; a handle is a Pointer; a
// `T** out` is a PointerByReference; `int64_t*` LongByReference, `int*` IntByReference,
// `size_t*` SizeTByReference; `uint64_t` is long too (read it unsigned).
//
// Text: `const char*` arguments are String, sent as UTF-8 by the type mapper below.  JNA 5
// encodes a String argument in `jna.encoding` or the platform's charset (US-ASCII under
// LANG=C, GBK on a Chinese Windows) whatever Library.OPTION_STRING_ENCODING says: that
// option covers only String results, the `const char*` the common functions return (the
// library's own, copied into a String).  Text the library allocates (`char** out`) comes
// back as a Pointer the caller must give to hotline_free().
package org.hotline;

import com.sun.jna.DefaultTypeMapper;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ToNativeContext;
import com.sun.jna.ToNativeConverter;
import com.sun.jna.TypeMapper;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public interface HotlineLib extends Library {
  /** Loaded on first use: found through -Djna.library.path, then the system's paths. */
  HotlineLib INSTANCE = Native.load("hotline_c", HotlineLib.class,
                                    Map.of(Library.OPTION_STRING_ENCODING, "UTF-8",
                                           Library.OPTION_TYPE_MAPPER, Utf8.MAPPER));

  /**
   * Every String argument as a NUL-terminated UTF-8 copy (null stays NULL), whatever the
   * platform's charset.  The copy lives as long as the call's arguments, then the collector
   * frees it.
   */
  final class Utf8 {
    private Utf8() {}

    static final TypeMapper MAPPER = mapper();

    private static TypeMapper mapper() {
      DefaultTypeMapper mapper = new DefaultTypeMapper();
      mapper.addToNativeConverter(String.class, new ToNativeConverter() {
        @Override
        public Object toNative(Object value, ToNativeContext context) {
          byte[] bytes = ((String) value).getBytes(StandardCharsets.UTF_8);
          Memory text = new Memory(bytes.length + 1);
          text.write(0, bytes, 0, bytes.length);
          text.setByte(bytes.length, (byte) 0);
          return text;
        }

        @Override
        public Class<?> nativeType() { return Pointer.class; }
      });
      return mapper;
    }
  }

  /** HOTLINE_ABI_VERSION of the header this binding mirrors. */
  int ABI_VERSION = 1;

  // hotline_status (hotline/c/common.h)
  int HOTLINE_OK = 0;
  int HOTLINE_E_INVALID_ARGUMENT = -1;
  int HOTLINE_E_OUT_OF_RANGE = -2;
  int HOTLINE_E_PARSE = -3;
  int HOTLINE_E_CONFLICT = -4;
  int HOTLINE_E_NOT_FOUND = -5;
  int HOTLINE_E_ILLEGAL_TRANSITION = -6;
  int HOTLINE_E_PERMISSION = -7;
  int HOTLINE_E_IO = -8;
  int HOTLINE_E_STORAGE = -9;
  int HOTLINE_E_BUFFER_TOO_SMALL = -20;
  int HOTLINE_E_INTERNAL = -99;

  // Day kinds, overlay layers and calendar options (hotline/c/calendar.h)
  int HOTLINE_WORKING_DAY = 0;
  int HOTLINE_REST_DAY = 1;
  int HOTLINE_HOLIDAY = 2;
  int HOTLINE_ADJUSTED_WORKING_DAY = 3;
  int HOTLINE_LAYER_NATIONAL = 1;
  int HOTLINE_LAYER_REGIONAL = 2;
  int HOTLINE_LAYER_ORGANISATION = 3;
  int HOTLINE_CALENDAR_WEEKENDS_BEYOND_DATA = 1;
  int HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA = 2;

  // `flags` of the store's and the signing journal's calls (hotline/c/store.h, signing.h)
  int HOTLINE_STORE_REVEAL = 1;
  int HOTLINE_STORE_HISTORY = 2;
  int HOTLINE_SIGNING_REVEAL = 1;

  /** C's size_t: 4 or 8 bytes by platform, which a Java long would get wrong on 32 bits. */
  final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;
    public SizeT() { this(0); }
    public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
  }

  /** A {@code size_t*} out-parameter. */
  final class SizeTByReference extends ByReference {
    public SizeTByReference() { super(Native.SIZE_T_SIZE); }
    public long getValue() {
      return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xFFFFFFFFL;
    }
  }

  // ---- common.h -----------------------------------------------------------------------
  String hotline_last_error();
  int hotline_last_error_code();
  String hotline_status_name(int status);
  String hotline_version();
  int hotline_abi_version();
  void hotline_free(Pointer text);

  // ---- calendar.h ---------------------------------------------------------------------
  int hotline_calendar_new_china(PointerByReference out, int options);
  void hotline_calendar_free(Pointer cal);
  int hotline_calendar_with_notice_file(PointerByReference out, Pointer cal, String path, int year);
  int hotline_calendar_with_notices(PointerByReference out, Pointer cal, String folder);
  int hotline_calendar_with_region(PointerByReference out, Pointer cal, String name);
  int hotline_calendar_is_provisional(IntByReference out, Pointer cal, long day);
  int hotline_calendar_with_overlay_file(PointerByReference out, Pointer cal, String path, int layer);
  int hotline_calendar_day_kind(IntByReference out, Pointer cal, long day);
  int hotline_calendar_is_workday(IntByReference out, Pointer cal, long day);
  int hotline_calendar_add_workdays(LongByReference out, Pointer cal, long day, long n);
  int hotline_calendar_workdays_between(LongByReference out, Pointer cal, long a, long b);
  int hotline_calendar_add_workdays_batch(long[] out, Pointer cal, long[] days, SizeT count, long[] n,
                                          SizeT nCount);
  int hotline_calendar_holiday_name(byte[] buf, SizeT size, SizeTByReference needed, Pointer cal, long day,
                                    int english);
  int hotline_parse_day(LongByReference out, String text);

  // ---- sla.h --------------------------------------------------------------------------
  int hotline_sla_policy_new_preset(PointerByReference out, String name);
  int hotline_sla_policy_from_json(PointerByReference out, String policyJson);
  int hotline_sla_policy_from_json_file(PointerByReference out, String path);
  int hotline_sla_policy_with_calendar(PointerByReference out, Pointer policy, Pointer cal);
  void hotline_sla_policy_free(Pointer policy);
  int hotline_sla_policy_to_json(PointerByReference out, Pointer policy);
  int hotline_sla_policy_preset_names(PointerByReference out);
  int hotline_sla_policy_due(PointerByReference outDue, LongByReference outLastDay, Pointer policy, Pointer cal,
                             String orderJson, String start, String clock);
  int hotline_sla_policy_deadline(PointerByReference out, Pointer policy, Pointer cal, String orderJson,
                                  String start, String clock);
  int hotline_sla_policy_evaluate(PointerByReference out, Pointer policy, Pointer cal, String inputJson);

  // ---- store.h ------------------------------------------------------------------------
  int hotline_store_open(PointerByReference out, String path, String optionsJson);
  void hotline_store_free(Pointer s);
  int hotline_store_schema_version(IntByReference out, Pointer s);
  int hotline_store_put_unit(Pointer s, String unitJson);
  int hotline_store_units(PointerByReference out, Pointer s);
  int hotline_store_set_liaison(Pointer s, String liaisonJson);
  int hotline_store_liaisons(PointerByReference out, Pointer s, String unit, String asOf, int flags);
  int hotline_store_create(PointerByReference out, Pointer s, String orderJson, String actorJson, int flags);
  int hotline_store_apply(PointerByReference out, Pointer s, String number, String actionJson, int flags);
  int hotline_store_get(PointerByReference out, Pointer s, String number, int flags);
  int hotline_store_events(PointerByReference out, Pointer s, String number, int flags);
  int hotline_store_orders(PointerByReference out, Pointer s, String queryJson, int flags);
  int hotline_store_count(LongByReference out, Pointer s, String queryJson);
  int hotline_store_event_count(LongByReference out, Pointer s);
  int hotline_store_verify(PointerByReference out, Pointer s, String publicKey, String receipt);
  int hotline_store_head(PointerByReference out, Pointer s);
  int hotline_store_sign_head(PointerByReference out, Pointer s);
  int hotline_store_rebuild(LongByReference out, Pointer s);
  int hotline_store_import_calls(PointerByReference out, Pointer s, String csvPath);
  int hotline_store_import(PointerByReference out, Pointer s, String recordsJson);

  // ---- knowledge.h --------------------------------------------------------------------
  int hotline_knowledge_base_new(PointerByReference out);
  int hotline_knowledge_base_open(PointerByReference out, String sqlitePath);
  void hotline_knowledge_base_free(Pointer kb);
  int hotline_knowledge_base_import_file(SizeTByReference outCount, Pointer kb, String path);
  int hotline_knowledge_base_import_text(SizeTByReference outCount, Pointer kb, String text, String format,
                                         String source);
  int hotline_knowledge_base_add(Pointer kb, String entryJson);
  int hotline_knowledge_base_upsert(Pointer kb, String entryJson);
  int hotline_knowledge_base_retire(Pointer kb, String id);
  int hotline_knowledge_base_get(PointerByReference out, Pointer kb, String id);
  int hotline_knowledge_base_size(SizeTByReference out, Pointer kb);
  int hotline_knowledge_base_load_synonyms(SizeTByReference outCount, Pointer kb, String path);
  int hotline_knowledge_base_calibrate(SizeTByReference outCount, Pointer kb);
  int hotline_knowledge_base_set_answer_threshold(Pointer kb, double threshold);
  int hotline_knowledge_base_match(PointerByReference out, Pointer kb, String query, String optionsJson);
  int hotline_knowledge_base_answer(PointerByReference out, Pointer kb, String query, String optionsJson);
  int hotline_knowledge_base_classify(PointerByReference out, Pointer kb, String query);

  // ---- report.h -----------------------------------------------------------------------
  int hotline_report_monthly(PointerByReference out, Pointer store, String period, String scopeJson);
  int hotline_report_quarterly(PointerByReference out, Pointer store, String period);
  int hotline_report_timeliness(PointerByReference out, Pointer store, String period, String asOf,
                                String scopeJson);
  int hotline_report_receipts(PointerByReference out, Pointer store, String period, String scopeJson);
  int hotline_report_monthly_from_orders(PointerByReference out, String ordersJson, String period,
                                         String scopeJson);
  int hotline_report_quarterly_from_orders(PointerByReference out, String ordersJson, String period);
  int hotline_report_timeliness_from_orders(PointerByReference out, String ordersJson, String period,
                                            String asOf, String scopeJson);
  void hotline_report_free(Pointer report);
  int hotline_report_table_count(SizeTByReference out, Pointer report);
  int hotline_report_to_json(PointerByReference out, Pointer report);
  int hotline_report_to_csv(PointerByReference out, Pointer report, SizeT index);
  int hotline_report_to_text(PointerByReference out, Pointer report);
  int hotline_report_write_csv(Pointer report, String path);
  int hotline_report_write_xlsx(Pointer report, String path);

  // ---- assessment.h (no wrapper: call these directly) ---------------------------------
  int hotline_rubric_new_preset(PointerByReference out, String name);
  int hotline_rubric_from_json(PointerByReference out, String rubricJson);
  int hotline_rubric_from_json_file(PointerByReference out, String path);
  void hotline_rubric_free(Pointer rubric);
  int hotline_rubric_preset_names(PointerByReference out);
  int hotline_rubric_gaps(PointerByReference out, Pointer rubric);
  int hotline_rubric_score(PointerByReference out, Pointer rubric, String unit, String factsJson);
  /** *out is a report: Report.adopt() takes it. */
  int hotline_rubric_assess_units(PointerByReference out, Pointer rubric, Pointer store, String period,
                                  String enteredJson, String optionsJson);

  // ---- signing.h (no wrapper: call these directly) ------------------------------------
  int hotline_signing_store_open(PointerByReference out, String path, String optionsJson);
  void hotline_signing_store_free(Pointer s);
  int hotline_signing_store_apply(PointerByReference out, Pointer s, String callJson, int flags);
  int hotline_signing_store_resident(PointerByReference out, Pointer s, String id, int flags);
  int hotline_signing_store_contracts(PointerByReference out, Pointer s, String resident);
  int hotline_signing_store_coverage(PointerByReference out, Pointer s, long asOf, String grouping);
  int hotline_signing_store_tables(PointerByReference out, Pointer s, long asOf);
  int hotline_signing_store_verify(PointerByReference out, Pointer s, String publicKey, String receipt);
  int hotline_signing_store_head(PointerByReference out, Pointer s);
  int hotline_signing_store_sign_head(PointerByReference out, Pointer s);
  int hotline_signing_store_journal(PointerByReference out, Pointer s, long fromSeq, SizeT limit, int flags);
  int hotline_signing_store_last_seq(LongByReference out, Pointer s);
  int hotline_signing_store_refresh(LongByReference out, Pointer s);
}
