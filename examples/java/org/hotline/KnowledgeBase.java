// KnowledgeBase: hotline/c/knowledge.h, the knowledge base and question matching
// (docs/knowledge.md).
//
//   try (KnowledgeBase kb = KnowledgeBase.create()) {
//     kb.importFile(Path.of("data/knowledge/family_doctor_kb.json"));
//     kb.calibrate();
//     String decision = kb.answer("家庭医生签约到期了要怎么续签");
//     // {"hits": [{"id": "FD-005", "confidence": ...}], "answer_now": true, ...}
//   }
//
// Entries and results are the header's JSON.  Matching, answering, classifying and
// reading may run on many threads at once; adding, importing and calibrating take the
// base's own lock.  Set the answer threshold before sharing the base.
package org.hotline;

import static org.hotline.Hotline.LIB;
import static org.hotline.Hotline.cstr;

import com.sun.jna.Pointer;
import java.nio.file.Path;

public final class KnowledgeBase extends NativeHandle {
  private KnowledgeBase(Pointer handle) { super(handle, "knowledge base"); }

  @Override
  void free(Pointer handle) { LIB.hotline_knowledge_base_free(handle); }

  /** An empty base with the built-in synonyms, fillers and service lines. */
  public static KnowledgeBase create() { return new KnowledgeBase(Hotline.handle(LIB::hotline_knowledge_base_new)); }

  /** A base kept in an SQLite file (created empty when missing); changes are written through. */
  public static KnowledgeBase open(Path sqlite) {
    return new KnowledgeBase(Hotline.handle(out -> LIB.hotline_knowledge_base_open(out, cstr(sqlite))));
  }

  /** Imports a .tsv, .csv or .json file, all or nothing; returns the entries read. */
  public long importFile(Path path) {
    return Hotline.count(n -> LIB.hotline_knowledge_base_import_file(n, handle(), cstr(path)));
  }

  /** Imports text of format "tsv", "csv" or "json"; source names it in errors (null: "text"). */
  public long importText(String text, String format, String source) {
    return Hotline.count(n -> LIB.hotline_knowledge_base_import_text(n, handle(), cstr(text), cstr(format),
                                                                      cstr(source)));
  }

  /** Adds an entry ({"id", "question", "similar", "answer", ...}); conflict when the id is there. */
  public void add(String entryJson) { Hotline.check(LIB.hotline_knowledge_base_add(handle(), cstr(entryJson))); }

  /** Adds the entry or replaces the one of its id (version + 1). */
  public void upsert(String entryJson) {
    Hotline.check(LIB.hotline_knowledge_base_upsert(handle(), cstr(entryJson)));
  }

  /** Retires an entry: kept, never matched again. */
  public void retire(String id) { Hotline.check(LIB.hotline_knowledge_base_retire(handle(), cstr(id))); }

  /** One entry with its version and retired flag; not_found for an unknown id. */
  public String get(String id) { return Hotline.text(out -> LIB.hotline_knowledge_base_get(out, handle(), cstr(id))); }

  /** Entries not retired. */
  public long size() { return Hotline.count(n -> LIB.hotline_knowledge_base_size(n, handle())); }

  /** Reads "variant<TAB>canonical" lines into the synonyms; returns how many. */
  public long loadSynonyms(Path path) {
    return Hotline.count(n -> LIB.hotline_knowledge_base_load_synonyms(n, handle(), cstr(path)));
  }

  /** Fits the confidence to this base; returns the pseudo-queries used. */
  public long calibrate() { return Hotline.count(n -> LIB.hotline_knowledge_base_calibrate(n, handle())); }

  /** The confidence at or above which an agent answers now (default 0.5). */
  public void setAnswerThreshold(double threshold) {
    Hotline.check(LIB.hotline_knowledge_base_set_answer_threshold(handle(), threshold));
  }

  /** The entries that best answer query, best first: [{"id", "score", "confidence", "matched", ...}]. */
  public String match(String query) { return match(query, null); }

  /** match() with options: {"k": 5, "on": "YYYY-MM-DD", "explain": false}. */
  public String match(String query, String optionsJson) {
    return Hotline.text(out -> LIB.hotline_knowledge_base_match(out, handle(), cstr(query), cstr(optionsJson)));
  }

  /** What to do with a caller's question: {"hits", "answer_now", "threshold", "line"}. */
  public String answer(String query) { return answer(query, null); }

  public String answer(String query, String optionsJson) {
    return Hotline.text(out -> LIB.hotline_knowledge_base_answer(out, handle(), cstr(query), cstr(optionsJson)));
  }

  /** The service line and request type of what a caller says, crises first ("triage"). */
  public String classify(String query) {
    return Hotline.text(out -> LIB.hotline_knowledge_base_classify(out, handle(), cstr(query)));
  }
}
