/* The C ABI of the knowledge base, from C: the project's own base
 * (data/knowledge/family_doctor_kb.json) imported and matched with real
 * questions, validity days, the answer-now decision, classification with
 * triage first, entries added and retired, and bad input. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The id of the first hit of a match/answer result ("" when none). */
static void first_id(const char* json, char* out, size_t size) {
  out[0] = '\0';
  const char* p = json ? strstr(json, "\"id\":\"") : NULL;
  if (!p) return;
  p += 6;
  size_t n = 0;
  while (p[n] && p[n] != '"' && n + 1 < size) ++n;
  memcpy(out, p, n);
  out[n] = '\0';
}

static size_t count_of(const char* text, const char* piece) {
  size_t n = 0;
  for (const char* p = text ? strstr(text, piece) : NULL; p; p = strstr(p + 1, piece)) ++n;
  return n;
}

int main(void) {
  char path[1024], id[64];
  data_path(path, sizeof path, "knowledge", "family_doctor_kb.json");
  FILE* probe = fopen(path, "rb");
  if (!probe) {
    fprintf(stderr, "cannot find %s\n", path);
    return 1;
  }
  /* How many entries the file holds, counted here: each has one "id" key. */
  size_t in_file = 0;
  {
    fseek(probe, 0, SEEK_END);
    const long len = ftell(probe);
    fseek(probe, 0, SEEK_SET);
    char* text = malloc((size_t)len + 1);
    CHECK(text != NULL && fread(text, 1, (size_t)len, probe) == (size_t)len);
    if (text) {
      text[len] = '\0';
      in_file = count_of(text, "\"id\":");
    }
    free(text);
    fclose(probe);
  }

  hotline_knowledge_base* kb = NULL;
  CHECK(hotline_knowledge_base_new(&kb) == HOTLINE_OK);
  size_t n = 0, size = 0;
  CHECK(hotline_knowledge_base_import_file(&n, kb, path) == HOTLINE_OK);
  CHECK(n == in_file && n > 20);
  CHECK(hotline_knowledge_base_size(&size, kb) == HOTLINE_OK && size == n);
  CHECK(hotline_knowledge_base_calibrate(&n, kb) == HOTLINE_OK && n > 0);

  /* A caller's question word for word as FD-001 lists it: FD-001 first, through
   * that phrasing (its first similar question). */
  char* out = NULL;
  CHECK(hotline_knowledge_base_match(&out, kb, "怎么签家庭医生", "{\"k\": 3, \"explain\": true}") == HOTLINE_OK);
  first_id(out, id, sizeof id);
  CHECK(strcmp(id, "FD-001") == 0);
  CHECK(out && strstr(out, "\"matched\":\"怎么签家庭医生\"") && strstr(out, "\"phrasing\":1"));
  CHECK(out && strstr(out, "\"terms\":[{\"term\""));
  CHECK(count_of(out, "\"confidence\":") <= 3);
  hotline_free(out);

  /* Real questions in other words (the 12320 line's callers): the rabies
   * vaccine's doses, where to get the HPV vaccine, how to renew. */
  const struct {
    const char* query;
    const char* entry;
  } asked[] = {
      {"被狗咬了狂犬疫苗到底要打几针", "IM-001"},
      {"宫颈癌九价疫苗在哪里预约", "IM-002"},
      {"家庭医生签约到期了要怎么续签", "FD-005"},
  };
  for (size_t i = 0; i < sizeof asked / sizeof asked[0]; ++i) {
    out = NULL;
    CHECK(hotline_knowledge_base_match(&out, kb, asked[i].query, NULL) == HOTLINE_OK);
    first_id(out, id, sizeof id);
    if (strcmp(id, asked[i].entry) != 0) fprintf(stderr, "%s -> %s\n", asked[i].query, out ? out : "(null)");
    CHECK(strcmp(id, asked[i].entry) == 0);
    hotline_free(out);
  }

  /* Answer now for a question the base holds; the entry's answer by its id. */
  out = NULL;
  CHECK(hotline_knowledge_base_answer(&out, kb, "狂犬疫苗一共打几剂", NULL) == HOTLINE_OK);
  first_id(out, id, sizeof id);
  CHECK(strcmp(id, "IM-001") == 0 && strstr(out, "\"answer_now\":true") && strstr(out, "\"threshold\":0.5"));
  hotline_free(out);
  out = NULL;
  CHECK(hotline_knowledge_base_get(&out, kb, "IM-001") == HOTLINE_OK);
  CHECK(out && strstr(out, "\"question\":\"狂犬病疫苗要打几针？\"") && strstr(out, "\"version\":1") &&
        strstr(out, "\"retired\":false"));
  hotline_free(out);
  /* With a threshold of 1 nothing is sure enough: a work order instead. */
  CHECK(hotline_knowledge_base_set_answer_threshold(kb, 1.0) == HOTLINE_OK);
  out = NULL;
  CHECK(hotline_knowledge_base_answer(&out, kb, "狂犬疫苗一共打几剂", NULL) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"answer_now\":false") && strstr(out, "\"line\":{"));
  hotline_free(out);
  CHECK(hotline_knowledge_base_set_answer_threshold(kb, 0.5) == HOTLINE_OK);

  /* Validity: FD-900 ran until 2017-12-31; it matches on a day within it only. */
  out = NULL;
  CHECK(hotline_knowledge_base_match(&out, kb, "家庭医生签约率目标", "{\"on\": \"2017-06-01\"}") == HOTLINE_OK);
  CHECK(out && strstr(out, "\"id\":\"FD-900\""));
  hotline_free(out);
  out = NULL;
  int64_t later = 0;
  hotline_parse_day(&later, "2018-01-01");
  char on[64];
  snprintf(on, sizeof on, "{\"on\": %lld}", (long long)later);
  CHECK(hotline_knowledge_base_match(&out, kb, "家庭医生签约率目标", on) == HOTLINE_OK);
  CHECK(out && !strstr(out, "\"id\":\"FD-900\""));
  hotline_free(out);

  /* Classification, crises first (triage.hpp: suicide -> the crisis line). */
  out = NULL;
  CHECK(hotline_knowledge_base_classify(&out, kb, "我活着没什么意思了，不想活了") == HOTLINE_OK);
  CHECK(out && strstr(out, "\"urgent\":true") && strstr(out, "\"kind\":\"suicide_self_harm\"") &&
        strstr(out, "\"route\":\"psychological_crisis_line\""));
  hotline_free(out);
  out = NULL;
  CHECK(hotline_knowledge_base_classify(&out, kb, "我想签约家庭医生，社区卫生服务中心在哪里") == HOTLINE_OK);
  CHECK(out && strstr(out, "\"line\":\"family-doctor\"") && strstr(out, "\"urgent\":false") &&
        strstr(out, "\"suggestion\":\"\""));
  hotline_free(out);

  /* An entry of one's own: added, matched, refused twice, replaced, retired. */
  const char* entry =
      "{\"id\": \"T-001\", \"question\": \"献血后多久可以再次献血？\", \"similar\": [\"两次献血要间隔多久\"], "
      "\"answer\": \"全血献血间隔不少于6个月。\", \"category\": \"blood\", \"valid_from\": \"2020-01-01\"}";
  CHECK(hotline_knowledge_base_add(kb, entry) == HOTLINE_OK);
  out = NULL;
  CHECK(hotline_knowledge_base_match(&out, kb, "两次献血要间隔多久", "{\"k\": 1}") == HOTLINE_OK);
  first_id(out, id, sizeof id);
  CHECK(strcmp(id, "T-001") == 0 && count_of(out, "\"id\":") == 1);
  hotline_free(out);
  CHECK_ERROR(hotline_knowledge_base_add(kb, entry), HOTLINE_E_CONFLICT, "T-001");
  CHECK(hotline_knowledge_base_upsert(kb, entry) == HOTLINE_OK);
  out = NULL;
  CHECK(hotline_knowledge_base_get(&out, kb, "T-001") == HOTLINE_OK && strstr(out, "\"version\":2") &&
        strstr(out, "\"valid_from\":\"2020-01-01\""));
  hotline_free(out);
  CHECK(hotline_knowledge_base_retire(kb, "T-001") == HOTLINE_OK);
  out = NULL;
  CHECK(hotline_knowledge_base_match(&out, kb, "两次献血要间隔多久", NULL) == HOTLINE_OK);
  CHECK(out && !strstr(out, "T-001"));
  hotline_free(out);

  /* JSON's escapes in what a hit carries back (the hits are written without a JSON
     library): a quote, a backslash, a tab and a control character in the phrasing. */
  CHECK(hotline_knowledge_base_add(kb,
                                   "{\"id\": \"T-\\\"q\\\"\", \"question\": \"口罩\\\"N95\\\"和\\\\医用外科口罩\\t有什么\\u0001区别\", "
                                   "\"answer\": \"见说明。\", \"category\": \"mask\"}") == HOTLINE_OK);
  out = NULL;
  CHECK(hotline_knowledge_base_match(&out, kb, "口罩N95和医用外科口罩有什么区别", "{\"k\": 1, \"explain\": true}") ==
        HOTLINE_OK);
  CHECK(out && strstr(out, "\"id\":\"T-\\\"q\\\"\"") &&
        strstr(out, "\"matched\":\"口罩\\\"N95\\\"和\\\\医用外科口罩\\t有什么\\u0001区别\"") &&
        strstr(out, "\"terms\":[{\"term\":"));
  hotline_free(out);
  CHECK(hotline_knowledge_base_retire(kb, "T-\"q\"") == HOTLINE_OK);

  /* Text import: TSV with its header. */
  CHECK(hotline_knowledge_base_import_text(&n, kb,
                                           "id\tquestion\tanswer\tcategory\n"
                                           "T-002\t医保卡丢了怎么补办\t到医保经办机构补办。\tinsurance\n",
                                           "tsv", NULL) == HOTLINE_OK &&
        n == 1);

  /* An SQLite base: what is added is written through and there on reopening. */
  {
    const char* db = "c_api_knowledge.db";
    remove(db);
    hotline_knowledge_base* stored = NULL;
    CHECK(hotline_knowledge_base_open(&stored, db) == HOTLINE_OK);
    CHECK(hotline_knowledge_base_add(stored, entry) == HOTLINE_OK);
    hotline_knowledge_base_free(stored);
    stored = NULL;
    CHECK(hotline_knowledge_base_open(&stored, db) == HOTLINE_OK);
    CHECK(hotline_knowledge_base_size(&size, stored) == HOTLINE_OK && size == 1);
    hotline_knowledge_base_free(stored);
    remove(db);
  }

  /* ---- bad input ---- */
  CHECK_ERROR(hotline_knowledge_base_match(NULL, kb, "x", NULL), HOTLINE_E_INVALID_ARGUMENT, "must not be NULL");
  CHECK_ERROR(hotline_knowledge_base_new(NULL), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_knowledge_base_add(NULL, entry), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  {
    const char* bad = "家庭医生\xE5\xAE";
    char piece[64];
    snprintf(piece, sizeof piece, "query: not valid UTF-8 at byte %d", (int)strlen("家庭医生"));
    out = NULL;
    CHECK_ERROR(hotline_knowledge_base_match(&out, kb, bad, NULL), HOTLINE_E_INVALID_ARGUMENT, piece);
    CHECK_ERROR(hotline_knowledge_base_classify(&out, kb, bad), HOTLINE_E_INVALID_ARGUMENT, piece);
    CHECK(out == NULL);
    const char* overlong = "{\"id\": \"T-9\", \"question\": \"\xC0\x80\"}";
    snprintf(piece, sizeof piece, "entry_json: not valid UTF-8 at byte %d", (int)(strchr(overlong, '\xC0') - overlong));
    CHECK_ERROR(hotline_knowledge_base_add(kb, overlong), HOTLINE_E_INVALID_ARGUMENT, piece);
  }
  CHECK_ERROR(hotline_knowledge_base_add(kb, "{\"id\": \"T-9\", \"question\": }"), HOTLINE_E_PARSE,
              "entry_json: malformed JSON");
  CHECK_ERROR(hotline_knowledge_base_add(kb, "{\"id\": \"T-9\"}"), HOTLINE_E_PARSE, "entry_json: missing 'question'");
  CHECK_ERROR(hotline_knowledge_base_add(kb, "{\"id\": \"T-9\", \"question\": \"q\", \"similar\": \"s\"}"),
              HOTLINE_E_PARSE, "entry_json.similar: expected an array of strings");
  CHECK_ERROR(hotline_knowledge_base_add(kb, "{\"id\": \"T-9\", \"question\": \"q\", \"valid_from\": \"2020-13-01\"}"),
              HOTLINE_E_PARSE, "entry_json.valid_from");
  CHECK_ERROR(hotline_knowledge_base_match(&out, kb, "x", "{\"top\": 3}"), HOTLINE_E_PARSE, "unknown key 'top'");
  CHECK_ERROR(hotline_knowledge_base_import_file(&n, kb, "no/such/kb.json"), HOTLINE_E_IO, "no/such/kb.json");
  CHECK_ERROR(hotline_knowledge_base_import_file(&n, kb, "kb.xml"), HOTLINE_E_INVALID_ARGUMENT, "kb.xml");
  CHECK_ERROR(hotline_knowledge_base_import_text(&n, kb, "{}", "xml", NULL), HOTLINE_E_INVALID_ARGUMENT, "'xml'");
  CHECK_ERROR(hotline_knowledge_base_import_text(&n, kb, "[{\"id\": \"T-3\",\n \"question\": ]", "json", "upload"),
              HOTLINE_E_PARSE, "upload:2");
  /* Bad bytes inside imported text: the parser names the line and the field. */
  CHECK_ERROR(hotline_knowledge_base_import_text(&n, kb, "id\tquestion\nT-4\t\xE5\xAE?\n", "tsv", "upload.tsv"),
              HOTLINE_E_PARSE, "upload.tsv:2: field question");
  CHECK_ERROR(hotline_knowledge_base_load_synonyms(&n, kb, "no/such/synonyms.tsv"), HOTLINE_E_IO,
              "no/such/synonyms.tsv");
  CHECK_ERROR(hotline_knowledge_base_retire(kb, "NO-SUCH"), HOTLINE_E_NOT_FOUND, "NO-SUCH");
  CHECK_ERROR(hotline_knowledge_base_get(&out, kb, "NO-SUCH"), HOTLINE_E_NOT_FOUND, "NO-SUCH");
  CHECK_ERROR(hotline_knowledge_base_set_answer_threshold(kb, 1.5), HOTLINE_E_INVALID_ARGUMENT, "[0, 1]");
  /* The base is unchanged by all of that. */
  CHECK(hotline_knowledge_base_size(&n, kb) == HOTLINE_OK && n == in_file + 1);  /* T-001 retired, T-002 in */

  hotline_knowledge_base_free(kb);
  hotline_knowledge_base_free(NULL);
  return check_summary();
}
