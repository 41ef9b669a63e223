/* hotline/c/signing.h: the family-doctor signing journal through the C ABI (include
 * hotline/hotline.h).
 *
 * The signing store (hotline/signing/store.hpp; docs/signing.md) keeps a region's
 * residents, institutions, teams, packages, contracts and services as an append-only,
 * hash-chained journal in one SQLite file and replays it into a registry when it opens.
 * Writes cross as one JSON object a call, named by "op", with who made it ("by") and
 * when ("at", an ISO-8601 instant; default now); the call's fields are named as the
 * journal writes them (docs/c-api.md lists each op).  Dates inside JSON are
 * "YYYY-MM-DD"; dates as arguments are int64 days since 1970-01-01.
 *
 *   hotline_signing_store* s = NULL;
 *   char* out = NULL;
 *   hotline_signing_store_open(&s, "signing.db", NULL);
 *   hotline_signing_store_apply(&out, s, "{\"op\":\"sign\",\"by\":\"D01\",\"resident\":\"R1\","
 *                               "\"team\":\"T01\",\"packages\":[\"BASIC\"],\"start\":\"2017-03-01\"}", 0);
 *   hotline_free(out);                       // {"op":"sign","contract":{"id":"C0000001",...},"seq":9}
 *   hotline_signing_store_contracts(&out, s, "R1");
 *   hotline_free(out);
 *   hotline_signing_store_free(s);
 *
 * Errors as in hotline/c/store.h: HOTLINE_E_INVALID_ARGUMENT for a NULL pointer, text
 * that is not UTF-8, an unknown op or field, a missing field or a value of the wrong
 * kind (each naming the argument and the field); HOTLINE_E_PARSE for malformed JSON;
 * the registry's refusals keep their kind (HOTLINE_E_CONFLICT for a second record of
 * one code or a second valid contract, HOTLINE_E_NOT_FOUND for an unknown resident,
 * team or contract, HOTLINE_E_OUT_OF_RANGE / _INVALID_ARGUMENT for a date or term the
 * rules do not allow).  A call that fails stores nothing.
 *
 * Personal data: residents' names and identity numbers, and the digit runs of a
 * service's note, are masked in what comes back unless `flags` holds
 * HOTLINE_SIGNING_REVEAL.  Error messages never quote them.
 *
 * Ownership: `char** out` text is the caller's (hotline_free); *out is NULL after a
 * failure.  A store from hotline_signing_store_open is freed with
 * hotline_signing_store_free().
 *
 * Threads: one store may be used by several threads: each call holds the handle's lock
 * (the C++ signing_store itself is one thread at a time).  Several processes may share
 * the file; hotline_signing_store_refresh() reads the rows the others appended (a
 * write does so by itself).
 */
#ifndef HOTLINE_C_SIGNING_H
#define HOTLINE_C_SIGNING_H

#include "hotline/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotline_signing_store hotline_signing_store;

/* `flags`: REVEAL shows residents' names, identity numbers and notes unmasked. */
enum { HOTLINE_SIGNING_REVEAL = 1 };

/* Opens the journal at `path`, or creates it.  options_json: NULL, or an object with any
 * of "policy" ("guangzhou_2017", the default, or "guangxi_2023": the rules a new file
 * keeps for good), "policy_from_file" (true: an existing file keeps its own policy),
 * "read_only", "busy_timeout_ms", "created_by", "cache_kib", "key_file" (an Ed25519 key
 * file: each write then signs the journal's head), "sign_every_rows".
 * HOTLINE_E_STORAGE: not a signing store, a newer schema, a row that does not replay. */
HOTLINE_API hotline_status hotline_signing_store_open(hotline_signing_store** out, const char* path,
                                                      const char* options_json);
/* Closes the store; NULL is fine.  No call on it may be running. */
HOTLINE_API void hotline_signing_store_free(hotline_signing_store* s);

/* Makes one journalled call: {"op", "by" (required), "at", ...fields}.  The ops and
 * their fields ([optional]):
 *   add_resident      id, [name, id_number, birth, sex], district, [subdistrict, community, insured]
 *   move_resident     id, district, [subdistrict, community]
 *   add_attribute     resident, attribute, from, [to];  end_attribute  resident, attribute, to
 *   set_grade         resident, grade (green, yellow, red), from
 *   join_household / leave_household   household, resident, from / to
 *   add_institution   code, name, [kind], district, [subdistrict]
 *   add_team          code, institution, [name, individual]
 *   add_staff         id, [name], institution, [qualification]
 *   join_team / leave_team   team, staff, role / -, from / to
 *   add_package       code, [name, tier, items, fee_fen, insurance_fen, public_health_fen, resident_fen]
 *   sign              resident, team, [packages], start, [years, channel, application, id]
 *   sign_household    household, team, [packages], start, [years, channel, application]
 *   renew             contract, years, [team, packages]
 *   terminate         contract, on, reason (moved_away, death, resident_request, team_dissolved)
 *   receive_application  order, resident, institution, received
 *   record_service    contract, staff, kind (follow_up, health_assessment, home_visit,
 *                     consultation, long_prescription, referral_up, referral_down), on,
 *                     [months, condition, stable, priority, counterpart, note]
 *   record_survey     contract, on, [reached, aware, satisfied, authentic]
 *   record_slots      hospital, month ("2017-06"), total, opened_to_teams
 * *out (when out is not NULL): {"op", "seq" (the journal's last row), and "contract"
 * (sign, renew, terminate: id, resident, team, institution, packages, start, end,
 * terminated_on, reason, renewal_of, channel, application, valid_until), "contracts"
 * (sign_household) or "service" (record_service: seq, contract, resident, team,
 * institution, staff, kind, on, months, condition, stable, priority, counterpart,
 * note, hash)}. */
HOTLINE_API hotline_status hotline_signing_store_apply(char** out, hotline_signing_store* s, const char* call_json,
                                                       int flags);

/* A resident: {"id", "name", "id_number", "birth", "sex", "district", "subdistrict",
 * "community", "insured"}; HOTLINE_E_NOT_FOUND for an unknown id. */
HOTLINE_API hotline_status hotline_signing_store_resident(char** out, const hotline_signing_store* s, const char* id,
                                                          int flags);
/* Every contract the resident has had, oldest first: {"resident", "contracts": [...]}
 * (the contract shape of hotline_signing_store_apply); HOTLINE_E_NOT_FOUND for an
 * unknown resident. */
HOTLINE_API hotline_status hotline_signing_store_contracts(char** out, const hotline_signing_store* s,
                                                           const char* resident);
/* Signing coverage on day `as_of` by `grouping` ("district", "subdistrict", "community",
 * "institution", "team"; NULL: district): {"as_of", "by", "rows": [{"group", "district",
 * "all": {"population", "signed", "rate"}, "key": {...}, "by_population": {"elderly":
 * {...}, ...}}], "total": {...}, "targets": [{"what", "rate", "previous_rate",
 * "required", "upper", "met", "source"}]} (docs/signing.md for the definitions). */
HOTLINE_API hotline_status hotline_signing_store_coverage(char** out, const hotline_signing_store* s, int64_t as_of,
                                                          const char* grouping);
/* Every signing report as of `as_of` (coverage by district and team, referrals,
 * chronic management, workforce, not served, home visits behind, surveys) as report
 * tables: [{"title", "columns", "rows", "percent_columns", "notes"}]. */
HOTLINE_API hotline_status hotline_signing_store_tables(char** out, const hotline_signing_store* s, int64_t as_of);

/* Recomputes the journal's chain and the services' chain: {"ok", "rows", "first_bad_seq",
 * "reason", "services": {"ok", "services", "first_bad_seq", "reason"}, "heads_checked",
 * "signed_through"}.  public_key (64 hex digits) and receipt (a "hotline-head v1 ..."
 * line) as in hotline_store_verify.  A broken chain is HOTLINE_OK with "ok": false. */
HOTLINE_API hotline_status hotline_signing_store_verify(char** out, const hotline_signing_store* s,
                                                        const char* public_key, const char* receipt);
/* The journal's head: {"event_count" (rows), "head_hash", "signed_at", "key_id",
 * "signed", "receipt"}. */
HOTLINE_API hotline_status hotline_signing_store_head(char** out, const hotline_signing_store* s);
/* Signs the head now if it is not yet signed (needs "key_file"). */
HOTLINE_API hotline_status hotline_signing_store_sign_head(char** out, hotline_signing_store* s);
/* Journal rows seq >= from_seq, at most `limit` (0: all), oldest first: [{"seq", "at",
 * "by", "op", "payload" (the call's JSON), "hash"}]. */
HOTLINE_API hotline_status hotline_signing_store_journal(char** out, const hotline_signing_store* s, uint64_t from_seq,
                                                         size_t limit, int flags);
/* The seq of the last row this store has read or written. */
HOTLINE_API hotline_status hotline_signing_store_last_seq(uint64_t* out, const hotline_signing_store* s);
/* Replays rows other processes appended since; *out (when not NULL): how many. */
HOTLINE_API hotline_status hotline_signing_store_refresh(uint64_t* out, hotline_signing_store* s);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_SIGNING_H */
