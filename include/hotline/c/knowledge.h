/* hotline/c/knowledge.h: the knowledge base and question matching through the
 * C ABI (include hotline/hotline.h).  docs/knowledge.md has the rules.
 *
 *   hotline_knowledge_base* kb = NULL;
 *   size_t n = 0;
 *   hotline_knowledge_base_new(&kb);
 *   hotline_knowledge_base_import_file(&n, kb, "data/knowledge/family_doctor_kb.json");
 *   hotline_knowledge_base_calibrate(&n, kb);
 *   char* decision = NULL;
 *   hotline_knowledge_base_answer(&decision, kb, "请问家庭医生在哪里签", NULL);
 *   // {"hits": [{"id": "FD-001", "confidence": 0.93, ...}], "answer_now": true, ...}
 *   hotline_free(decision);
 *   hotline_knowledge_base_free(kb);
 *
 * Threads (as knowledge_base in C++): matching, answering, classifying and
 * reading entries may run from any number of threads at once on one handle;
 * adding, importing, retiring and calibrating take an exclusive lock and may
 * interleave with them.  hotline_knowledge_base_set_answer_threshold is not
 * synchronised: set it before the handle is shared.
 *
 * Entry JSON (add, upsert, get):
 *   {"id": "FD-001", "question": "家庭医生怎么签约？", "similar": ["..."], "answer": "...",
 *    "category": "family-doctor", "topic": "signing", "keywords": ["..."],
 *    "valid_from": "YYYY-MM-DD", "valid_until": "YYYY-MM-DD"}
 * id and question are required; get adds "version" and "retired".
 *
 * Match options, `options_json` (NULL: the defaults):
 *   {"k": 5 (0..1000), "on": "YYYY-MM-DD" (or days since 1970-01-01; default today in Beijing),
 *    "explain": false}
 *
 * Errors: a query or any text that is not UTF-8 is HOTLINE_E_INVALID_ARGUMENT
 * naming the argument and the byte offset; malformed JSON, an unknown key or a
 * wrong type is HOTLINE_E_PARSE naming the argument and the field; a file that
 * cannot be read is HOTLINE_E_IO naming the path, a bad line in it
 * HOTLINE_E_PARSE naming the file, the line and the field; an id already in the
 * base is HOTLINE_E_CONFLICT; an unknown id HOTLINE_E_NOT_FOUND.
 */
#ifndef HOTLINE_C_KNOWLEDGE_H
#define HOTLINE_C_KNOWLEDGE_H

#include "hotline/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotline_knowledge_base hotline_knowledge_base;

/* An empty base with the built-in synonyms, fillers and service lines.
 * *out: free with hotline_knowledge_base_free. */
HOTLINE_API hotline_status hotline_knowledge_base_new(hotline_knowledge_base** out);
/* A base stored in an SQLite file (written by an earlier open or by the command
 * line's `kb import`); every later change is written through to it.  A missing
 * file is created empty.  *out: free with hotline_knowledge_base_free. */
HOTLINE_API hotline_status hotline_knowledge_base_open(hotline_knowledge_base** out, const char* sqlite_path);
/* NULL is fine. */
HOTLINE_API void hotline_knowledge_base_free(hotline_knowledge_base* kb);

/* Imports a .tsv, .csv or .json file (by its extension; docs/knowledge.md
 * "Files"): every entry is added or replaced, all or nothing.  *out_count: the
 * entries read (may be NULL). */
HOTLINE_API hotline_status hotline_knowledge_base_import_file(size_t* out_count, hotline_knowledge_base* kb,
                                                              const char* path);
/* The same from text; format is "tsv", "csv" or "json".  `source` names the text
 * in error messages (NULL: "text"). */
HOTLINE_API hotline_status hotline_knowledge_base_import_text(size_t* out_count, hotline_knowledge_base* kb,
                                                              const char* text, const char* format,
                                                              const char* source);
/* Adds one entry (entry JSON above, version 1); HOTLINE_E_CONFLICT when the id
 * is in the base (retired entries too). */
HOTLINE_API hotline_status hotline_knowledge_base_add(hotline_knowledge_base* kb, const char* entry_json);
/* Adds the entry, or replaces the one with its id (version + 1, un-retired). */
HOTLINE_API hotline_status hotline_knowledge_base_upsert(hotline_knowledge_base* kb, const char* entry_json);
/* Retires an entry: kept, never matched again. */
HOTLINE_API hotline_status hotline_knowledge_base_retire(hotline_knowledge_base* kb, const char* id);
/* One entry as JSON (entry JSON above plus version and retired).  *out: free
 * with hotline_free. */
HOTLINE_API hotline_status hotline_knowledge_base_get(char** out, const hotline_knowledge_base* kb, const char* id);
/* Entries not retired. */
HOTLINE_API hotline_status hotline_knowledge_base_size(size_t* out, const hotline_knowledge_base* kb);
/* Reads "variant<TAB>canonical" lines into the synonym table.  *out_count: the
 * synonyms read (may be NULL). */
HOTLINE_API hotline_status hotline_knowledge_base_load_synonyms(size_t* out_count, hotline_knowledge_base* kb,
                                                                const char* path);
/* Fits the confidence to this base (docs/knowledge.md); without it built-in
 * coefficients apply.  *out_count: pseudo-queries used (may be NULL). */
HOTLINE_API hotline_status hotline_knowledge_base_calibrate(size_t* out_count, hotline_knowledge_base* kb);
/* The confidence at or above which an agent answers now (default 0.5); outside
 * [0, 1] is HOTLINE_E_INVALID_ARGUMENT. */
HOTLINE_API hotline_status hotline_knowledge_base_set_answer_threshold(hotline_knowledge_base* kb, double threshold);

/* The entries that best answer `query`, best first, as a JSON array:
 *   [{"id", "score", "confidence" (calibrated probability that it answers, 0..1),
 *     "category", "topic", "phrasing" (0 the question, 1.. a similar question, ...),
 *     "matched" (that phrasing's text), "intent", "terms": [{"term", "weight"}] (explain only)}]
 * *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_knowledge_base_match(char** out, const hotline_knowledge_base* kb,
                                                        const char* query, const char* options_json);
/* What to do with a caller's question (000 art. 10), as a JSON object:
 *   {"hits": [as match], "answer_now": bool (hits[0].confidence >= threshold),
 *    "threshold": 0.5, "line": {as classify: the work order's line otherwise}}
 * *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_knowledge_base_answer(char** out, const hotline_knowledge_base* kb,
                                                         const char* query, const char* options_json);
/* The service line and request type of what a caller says, crises first:
 *   {"line": "family-doctor" | ... | "out-of-scope" | "unsure", "topic", "confidence",
 *    "channel" (where to send an out-of-scope caller), "cues": [...],
 *    "request_type": "consultation" | ..., "request_type_confidence",
 *    "triage": {"urgent": bool, "kind": "none" | "suicide_self_harm" | ..., "route",
 *               "confidence", "evidence": [...], "line", "advice"}}
 * When triage.urgent, route the call by triage.route at once.  *out: free with
 * hotline_free. */
HOTLINE_API hotline_status hotline_knowledge_base_classify(char** out, const hotline_knowledge_base* kb,
                                                           const char* query);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_KNOWLEDGE_H */
