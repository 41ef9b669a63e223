/* hotline/c/store.h: the work-order store through the C ABI (include hotline/hotline.h).
 *
 * The store (hotline/store.hpp; docs/store.md) keeps work orders in one SQLite file as an
 * append-only, hash-chained event log.  Values cross as UTF-8 JSON text in the shapes of
 * the command line (docs/cli.md "Import files" for what goes in, `--json` for what comes
 * out; docs/c-api.md lists them):
 *
 *   hotline_store* s = NULL;
 *   char* order = NULL;
 *   if (hotline_store_open(&s, "hotline.db", NULL) != HOTLINE_OK) puts(hotline_last_error());
 *   hotline_store_create(&order, s, "{\"received_at\":\"2025-10-09T09:15:00+08:00\","
 *                        "\"request_type\":\"complaint\",\"agent\":\"A017\",\"content\":\"...\"}", NULL, 0);
 *   hotline_free(order);
 *   hotline_store_apply(&order, s, "20251009-00000001",
 *                       "{\"action\":\"dispatch\",\"at\":\"2025-10-09T10:00:00+08:00\","
 *                       "\"by\":\"D02\",\"role\":\"dispatcher\",\"unit\":\"YX-BJJ\"}", 0);
 *   hotline_free(order);
 *   hotline_store_free(s);
 *
 * Errors: every call returns a hotline_status and, on failure, sets hotline_last_error().
 *   HOTLINE_E_INVALID_ARGUMENT  a NULL pointer, text that is not UTF-8 (naming the
 *                               argument and the byte), a field value the call cannot
 *                               take (an unknown action, role or state names itself and
 *                               the words it knows), an unknown field
 *   HOTLINE_E_PARSE             malformed JSON (the argument, line and byte), JSON of the
 *                               wrong kind (an array for an object, an object in a field)
 *   HOTLINE_E_CONFLICT          an expected_version the order has moved past; an order
 *                               number that exists
 *   HOTLINE_E_ILLEGAL_TRANSITION an action the order's state forbids
 *   HOTLINE_E_PERMISSION        a role that may not take the action
 *   HOTLINE_E_NOT_FOUND         an unknown order, unit or co-unit
 *   HOTLINE_E_IO / _STORAGE     a file that cannot be read; the database failed
 * A call that fails leaves the store as it was: every write is one transaction.
 *
 * Personal data (callers' names, phone and ID numbers, digit runs in free text; a
 * liaison's name and phones) is masked in every JSON the store returns ("138****1234")
 * unless `flags` holds HOTLINE_STORE_REVEAL (docs/privacy.md).
 *
 * Ownership: text returned through `char** out` is the caller's, freed with
 * hotline_free(); a store from hotline_store_open is freed with hotline_store_free().
 *
 * Threads: one store may be used by several threads at once; its calls take turns on
 * the store's lock (open a second store on the same file for reads that must overlap a
 * long write: SQLite's WAL lets readers run beside the writer).  Several processes may
 * share the file (busy_timeout_ms).
 */
#ifndef HOTLINE_C_STORE_H
#define HOTLINE_C_STORE_H

#include "hotline/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotline_store hotline_store;

/* `flags` of the calls that return orders, events or liaisons, or-ed together:
 * REVEAL shows personal data unmasked; HISTORY (hotline_store_liaisons) every
 * liaison a unit ever had. */
enum { HOTLINE_STORE_REVEAL = 1, HOTLINE_STORE_HISTORY = 2 };

/* Opens the store at `path`, creating the file or migrating it to the latest schema.
 * options_json: NULL, or an object with any of
 *   "busy_timeout_ms" (10000), "read_only" (false: every write is then
 *   HOTLINE_E_INVALID_ARGUMENT), "cache_kib", "page_size", "mmap_bytes",
 *   "sla_preset" (an SLA policy preset for the order clocks, e.g.
 *   "guangzhou-family-doctor"; default: working-day rules), "key_file" (an Ed25519 key
 *   file: each commit then signs the chain head), "sign_every_events" (1),
 *   "must_exist" (false: true makes a missing file HOTLINE_E_IO instead of a new store).
 * HOTLINE_E_STORAGE: not a database, or a schema newer than this library. */
HOTLINE_API hotline_status hotline_store_open(hotline_store** out, const char* path, const char* options_json);
/* Closes the store; NULL is fine.  No call on it may be running. */
HOTLINE_API void hotline_store_free(hotline_store* s);
/* The schema version of the open file. */
HOTLINE_API hotline_status hotline_store_schema_version(int* out, const hotline_store* s);

/* ---- units and liaisons ------------------------------------------------------------ */
/* Adds or replaces a unit: {"code" (required), "name", "kind" (institution, district,
 * sub_district, service_line, authority, centre), "parent", "covers"
 * (["越秀区/北京街", "越秀区"] or "a;b"), "topics" ([...]), "active" (true)}. */
HOTLINE_API hotline_status hotline_store_put_unit(hotline_store* s, const char* unit_json);
/* Every unit, by code: [{"code", "name", "kind", "parent", "covers", "topics", "active"}]. */
HOTLINE_API hotline_status hotline_store_units(char** out, const hotline_store* s);
/* Records a liaison of a unit from valid_from on (the one serving in that slot before is
 * closed then): {"unit", "name" (required), "slot" ("A"), "title", "department",
 * "office_phone", "mobile", "email", "valid_from" (default now), "reported_by"}. */
HOTLINE_API hotline_status hotline_store_set_liaison(hotline_store* s, const char* liaison_json);
/* The liaisons of `unit` serving at `as_of` (an instant, or NULL for now), or with
 * HOTLINE_STORE_HISTORY in flags every liaison it ever had, oldest first. */
HOTLINE_API hotline_status hotline_store_liaisons(char** out, const hotline_store* s, const char* unit,
                                                  const char* as_of, int flags);

/* ---- orders ------------------------------------------------------------------------- */
/* Creates an order from its intake fields: {"received_at", "request_type" (required;
 * complaint, consultation, ... or 投诉, 咨询, ...), "content", "agent", "number" (given
 * by the store when absent), "caller_name", "caller_phone", "district", "sub_district",
 * "topic", "urgency", "complex", ..., "draft" (true: a draft)}.  actor_json: NULL (the
 * order's agent, as an agent) or {"id", "role", "unit"}.  *out (when out is not NULL)
 * gets the order as stored, with its number and version 1. */
HOTLINE_API hotline_status hotline_store_create(char** out, hotline_store* s, const char* order_json,
                                                const char* actor_json, int flags);
/* Applies one action to order `number`: {"action" (dispatch, sign_for, request_return,
 * approve_return, reject_return, request_extension, approve_extension,
 * reject_extension, suspend, resume, reply, accept_reply, reject_reply, call_back,
 * close, reopen, supervise, mark_urgent, flag, amend, relate, merge, void, answer,
 * submit), "at", "by", "role" (required), "by_unit" (a liaison's unit), and what the
 * action reads: "unit", "co_units", "liaison", "means", "answer", "kb_entries",
 * "reason", "extension_days", "finding", "resolved", "reply_text", "call_back",
 * "level", "warning", "overdue", "target", "comment", "expected_version",
 * "amend": {"field": "text"} (or "amend.<field>")}.  A "number" in the JSON must be
 * `number`.  *out (when out is not NULL) gets the order after the action. */
HOTLINE_API hotline_status hotline_store_apply(char** out, hotline_store* s, const char* number,
                                               const char* action_json, int flags);
/* One order; HOTLINE_E_NOT_FOUND when there is none of that number. */
HOTLINE_API hotline_status hotline_store_get(char** out, const hotline_store* s, const char* number, int flags);
/* Its events, oldest first: {"order", "events": [{"id", "order", "seq", "action", "at",
 * "recorded_at", "actor", "role", "unit", "state_before", "state_after", "changes":
 * [{"field", "before", "after"}], "comment", "hash"}]}; HOTLINE_E_NOT_FOUND for none. */
HOTLINE_API hotline_status hotline_store_events(char** out, const hotline_store* s, const char* number, int flags);
/* Orders matching query_json (NULL or {} for all): {"state", "unit", "open" (true: not
 * draft, not terminal), "overdue_as_of", "warned_as_of", "phone", "from", "to" (received
 * in [from, to); dates or instants), "limit" (0: all)}, by id (overdue lists: most
 * overdue first): {"orders": [...], "count": n}. */
HOTLINE_API hotline_status hotline_store_orders(char** out, const hotline_store* s, const char* query_json, int flags);
/* How many orders match (the same query; "limit" ignored). */
HOTLINE_API hotline_status hotline_store_count(int64_t* out, const hotline_store* s, const char* query_json);

/* ---- integrity ------------------------------------------------------------------------- */
/* How many events the log holds (the head's count). */
HOTLINE_API hotline_status hotline_store_event_count(int64_t* out, const hotline_store* s);
/* Re-hashes the log: {"ok", "events_checked", "first_broken", "reason", "heads_checked",
 * "signed_through"}.  public_key: NULL, or 64 hex digits: every signed head is then
 * checked too.  receipt: NULL, or a receipt line ("hotline-head v1 ...") kept
 * elsewhere: the history up to it must be unchanged.  A broken chain is HOTLINE_OK with
 * "ok": false; a malformed key or receipt is HOTLINE_E_INVALID_ARGUMENT. */
HOTLINE_API hotline_status hotline_store_verify(char** out, const hotline_store* s, const char* public_key,
                                                const char* receipt);
/* The chain head now: {"event_count", "head_hash", "signed_at", "key_id", "signed",
 * "receipt" (the one-line form to keep elsewhere)}. */
HOTLINE_API hotline_status hotline_store_head(char** out, const hotline_store* s);
/* Signs the head now if it is not signed yet (needs "key_file" at open, else
 * HOTLINE_E_INVALID_ARGUMENT) and returns it as hotline_store_head does. */
HOTLINE_API hotline_status hotline_store_sign_head(char** out, hotline_store* s);
/* Replaces the orders' projection by a replay of the events; *out: orders rebuilt. */
HOTLINE_API hotline_status hotline_store_rebuild(int64_t* out, hotline_store* s);

/* ---- imports ------------------------------------------------------------------------------ */
/* The switch's call log, a CSV file (call_id,started_at,answered,wait_seconds,agent,
 * ivr_key,line,unit,work_order): {"added", "already_stored", "warnings": [...]}.  One
 * transaction; HOTLINE_E_IO for a file that cannot be read. */
HOTLINE_API hotline_status hotline_store_import_calls(char** out, hotline_store* s, const char* csv_path);
/* Many orders and actions at once: a JSON array whose elements are orders (as
 * hotline_store_create takes them) or actions (as hotline_store_apply takes them, with
 * their "number"), applied in order in one transaction: nothing is stored unless all
 * are.  Give numbers to the orders that later elements act on.  *out (when out is not
 * NULL): {"created", "applied", "numbers": [...]}.  Errors name the element:
 * "records_json: [3].at: ..." or "records_json[3]: illegal transition ...". */
HOTLINE_API hotline_status hotline_store_import(char** out, hotline_store* s, const char* records_json);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_STORE_H */
