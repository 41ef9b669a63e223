// Store: hotline/c/store.h, the work-order store (docs/store.md, docs/c-api.md).
//
//   try (Store store = Store.open(Path.of("hotline.db"))) {
//     store.putUnit("{\"code\":\"YX-BJJ\",\"name\":\"越秀区北京街社区卫生服务中心\"}");
//     String order = store.create("{\"received_at\":\"2025-10-09T09:15:00+08:00\","
//                                 + "\"request_type\":\"complaint\",\"agent\":\"A017\",\"content\":\"...\"}");
//     String number = Json.string(order, "number");
//     store.apply(number, "{\"action\":\"dispatch\",\"at\":\"2025-10-09T10:00:00+08:00\",\"by\":\"D02\","
//                         + "\"role\":\"dispatcher\",\"unit\":\"YX-BJJ\",\"expected_version\":1}");
//   }
//
// Orders, actions, queries and results are the header's JSON, as String both ways.
// Personal data comes back masked ("138****1234") unless flags hold REVEAL.  Refusals are
// HotlineExceptions: "conflict" (a stale expected_version), "illegal_transition",
// "permission", "not_found", "invalid_argument" (an unknown action, role or field),
// "parse" (malformed JSON), "io"; a call that fails leaves the store as it was.  One store
// may be used by several threads (its calls take turns); close it once they are done.
package org.hotline;

import static org.hotline.Hotline.LIB;
import static org.hotline.Hotline.cstr;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.file.Path;
import java.time.OffsetDateTime;

public final class Store extends NativeHandle {
  /** flags: personal data unmasked (docs/privacy.md). */
  public static final int REVEAL = HotlineLib.HOTLINE_STORE_REVEAL;
  /** flags of liaisons(): every liaison the unit ever had. */
  public static final int HISTORY = HotlineLib.HOTLINE_STORE_HISTORY;

  private Store(Pointer handle) { super(handle, "store"); }

  @Override
  void free(Pointer handle) { LIB.hotline_store_free(handle); }

  /** Opens the store at path, creating the file or migrating it. */
  public static Store open(Path path) { return open(path, null); }

  /**
   * Opens the store with options: {"busy_timeout_ms", "read_only", "sla_preset"
   * ("guangzhou-family-doctor"), "key_file", "must_exist", ...}; null for the defaults.
   */
  public static Store open(Path path, String optionsJson) {
    return new Store(Hotline.handle(out -> LIB.hotline_store_open(out, cstr(path), cstr(optionsJson))));
  }

  public int schemaVersion() {
    IntByReference out = new IntByReference();
    Hotline.check(LIB.hotline_store_schema_version(out, handle()));
    return out.getValue();
  }

  // ---- units and liaisons ----

  /** Adds or replaces a unit: {"code", "name", "kind", "parent", "covers", "topics", "active"}. */
  public void putUnit(String unitJson) { Hotline.check(LIB.hotline_store_put_unit(handle(), cstr(unitJson))); }

  /** Every unit, by code, as a JSON array. */
  public String units() { return Hotline.text(out -> LIB.hotline_store_units(out, handle())); }

  /** Records a unit's liaison: {"unit", "name", "slot", "mobile", "valid_from", ...}. */
  public void setLiaison(String liaisonJson) {
    Hotline.check(LIB.hotline_store_set_liaison(handle(), cstr(liaisonJson)));
  }

  /** The liaisons of unit serving at asOf (null: now), or with HISTORY every one. */
  public String liaisons(String unit, OffsetDateTime asOf, int flags) {
    return Hotline.text(out -> LIB.hotline_store_liaisons(out, handle(), cstr(unit), Hotline.instant(asOf), flags));
  }

  // ---- orders ----

  /** Creates an order from its intake fields, made by its agent; returns it with its number and version 1. */
  public String create(String orderJson) { return create(orderJson, null, 0); }

  /** Creates an order as actorJson ({"id", "role", "unit"}; null: its agent). */
  public String create(String orderJson, String actorJson, int flags) {
    return Hotline.text(out -> LIB.hotline_store_create(out, handle(), cstr(orderJson), cstr(actorJson), flags));
  }

  /** Applies one action ({"action", "at", "by", "role", ...}) to order number; returns the order after it. */
  public String apply(String number, String actionJson) { return apply(number, actionJson, 0); }

  public String apply(String number, String actionJson, int flags) {
    return Hotline.text(out -> LIB.hotline_store_apply(out, handle(), cstr(number), cstr(actionJson), flags));
  }

  /** One order; not_found when there is none of that number. */
  public String get(String number) { return get(number, 0); }

  public String get(String number, int flags) {
    return Hotline.text(out -> LIB.hotline_store_get(out, handle(), cstr(number), flags));
  }

  /** The order's events, oldest first: {"order", "events": [...]}. */
  public String events(String number) { return events(number, 0); }

  public String events(String number, int flags) {
    return Hotline.text(out -> LIB.hotline_store_events(out, handle(), cstr(number), flags));
  }

  /**
   * Orders matching queryJson ({"state", "unit", "open", "from", "to", "limit", ...}; null:
   * all): {"orders", "count"}.
   */
  public String orders(String queryJson) { return orders(queryJson, 0); }

  public String orders(String queryJson, int flags) {
    return Hotline.text(out -> LIB.hotline_store_orders(out, handle(), cstr(queryJson), flags));
  }

  /** How many orders match queryJson (null: all). */
  public long count(String queryJson) {
    return Hotline.int64(out -> LIB.hotline_store_count(out, handle(), cstr(queryJson)));
  }

  // ---- integrity ----

  /** How many events the log holds. */
  public long eventCount() { return Hotline.int64(out -> LIB.hotline_store_event_count(out, handle())); }

  /** Re-hashes the log: {"ok", "events_checked", "first_broken", "reason", ...}; a broken chain is "ok": false. */
  public String verify() { return verify(null, null); }

  /** verify() also checking signed heads (publicKey: 64 hex digits) and a kept receipt line; either may be null. */
  public String verify(String publicKey, String receipt) {
    return Hotline.text(out -> LIB.hotline_store_verify(out, handle(), cstr(publicKey), cstr(receipt)));
  }

  /** The chain head: {"event_count", "head_hash", "signed", "receipt", ...}. */
  public String head() { return Hotline.text(out -> LIB.hotline_store_head(out, handle())); }

  /** Signs the head now (needs "key_file" at open) and returns it. */
  public String signHead() { return Hotline.text(out -> LIB.hotline_store_sign_head(out, handle())); }

  /** Rebuilds the orders from the events; returns how many. */
  public long rebuild() { return Hotline.int64(out -> LIB.hotline_store_rebuild(out, handle())); }

  // ---- imports ----

  /** The switch's call log (CSV): {"added", "already_stored", "warnings"}; an unreadable file is io. */
  public String importCalls(Path csv) {
    return Hotline.text(out -> LIB.hotline_store_import_calls(out, handle(), cstr(csv)));
  }

  /** Orders and actions, a JSON array, in one transaction (hotline_store_import): {"created", "applied", "numbers"}. */
  public String importRecords(String recordsJson) {
    return Hotline.text(out -> LIB.hotline_store_import(out, handle(), cstr(recordsJson)));
  }
}
