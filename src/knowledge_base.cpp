// knowledge_base's entries, synonyms, service lines and threshold: checked
// input, the exclusive lock, write-through to SQLite before the in-memory
// change (knowledge_io.cpp), and the index kept up to date.
#include "knowledge_impl.hpp"

#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"

namespace hotline {

using namespace detail::kb;

namespace {

void check_text(std::string_view s, const char* field, const std::string& id) {
  const auto off = detail::invalid_utf8_offset(s);
  if (off != std::string_view::npos)
    throw invalid_argument_error("knowledge entry '" + id + "': field " + field + ": invalid UTF-8 at byte " +
                                 std::to_string(off));
}

void validate(const knowledge_entry& e) {
  if (e.id.empty()) throw invalid_argument_error("knowledge entry: empty id");
  check_text(e.id, "id", "");
  for (unsigned char c : e.id)
    if (c < 0x20 || c == 0x7F) throw invalid_argument_error("knowledge entry '" + e.id + "': field id: control character");
  check_text(e.question, "question", e.id);
  if (e.question.empty()) throw invalid_argument_error("knowledge entry '" + e.id + "': field question: empty");
  for (const auto& s : e.similar) check_text(s, "similar", e.id);
  for (const auto& s : e.keywords) check_text(s, "keywords", e.id);
  check_text(e.answer, "answer", e.id);
  check_text(e.category, "category", e.id);
  check_text(e.topic, "topic", e.id);
  if (e.valid_from && e.valid_until && *e.valid_until < *e.valid_from)
    throw invalid_argument_error("knowledge entry '" + e.id + "': field valid_until: before valid_from");
}

}  // namespace

knowledge_base::knowledge_base() : p_(std::make_unique<impl>()) {
  load_char_tables();
  p_->lines = builtin_service_lines();
  p_->set_synonyms_locked(builtin_synonyms());
}
knowledge_base::~knowledge_base() = default;
knowledge_base::knowledge_base(knowledge_base&&) noexcept = default;
knowledge_base& knowledge_base::operator=(knowledge_base&&) noexcept = default;

void knowledge_base::add(knowledge_entry e) {
  validate(e);
  std::unique_lock lock(p_->mu);
  if (p_->by_id.count(e.id)) throw conflict_error("knowledge entry '" + e.id + "' already exists");
  e.version = 1;
  e.retired = false;
  if (storage_) detail::storage_put(*storage_, e);
  const auto ei = static_cast<std::uint32_t>(p_->entries.size());
  p_->by_id.emplace(e.id, ei);
  p_->entries.push_back({std::move(e), {}});
  p_->index_entry(ei);
  ++p_->active;
}

void knowledge_base::update(knowledge_entry e, std::optional<std::int64_t> expected_version) {
  validate(e);
  std::unique_lock lock(p_->mu);
  const auto it = p_->by_id.find(e.id);
  if (it == p_->by_id.end()) throw not_found_error("knowledge entry '" + e.id + "' not found");
  auto& rec = p_->entries[it->second];
  if (expected_version && *expected_version != rec.e.version)
    throw conflict_error("knowledge entry '" + e.id + "': version " + std::to_string(rec.e.version) +
                         " stored, " + std::to_string(*expected_version) + " expected");
  e.version = rec.e.version + 1;
  const bool was_retired = rec.e.retired;
  e.retired = false;
  if (storage_) detail::storage_put(*storage_, e);
  const auto ei = it->second;
  p_->unindex_entry(ei);
  p_->entries[ei].e = std::move(e);
  p_->index_entry(ei);
  if (was_retired) ++p_->active;
}

void knowledge_base::upsert(knowledge_entry e) {
  bool exists;
  {
    std::shared_lock lock(p_->mu);
    exists = p_->by_id.count(e.id) != 0;
  }
  if (exists) update(std::move(e));
  else add(std::move(e));
}

void knowledge_base::retire(std::string_view id) {
  std::unique_lock lock(p_->mu);
  const auto it = p_->by_id.find(std::string(id));
  if (it == p_->by_id.end()) throw not_found_error("knowledge entry '" + std::string(id) + "' not found");
  auto& rec = p_->entries[it->second];
  if (rec.e.retired) return;
  knowledge_entry e = rec.e;
  e.retired = true;
  e.version += 1;
  if (storage_) detail::storage_put(*storage_, e);
  p_->unindex_entry(it->second);
  p_->entries[it->second].e = std::move(e);
  --p_->active;
}

std::optional<knowledge_entry> knowledge_base::get(std::string_view id) const {
  std::shared_lock lock(p_->mu);
  const auto it = p_->by_id.find(std::string(id));
  if (it == p_->by_id.end()) return std::nullopt;
  return p_->entries[it->second].e;
}

std::size_t knowledge_base::size() const {
  std::shared_lock lock(p_->mu);
  return p_->active;
}

std::vector<knowledge_entry> knowledge_base::entries() const {
  std::shared_lock lock(p_->mu);
  std::vector<knowledge_entry> out;
  out.reserve(p_->entries.size());
  for (const auto& r : p_->entries) out.push_back(r.e);
  return out;
}

void knowledge_base::set_answer_threshold(double t) {
  if (!(t >= 0.0 && t <= 1.0)) throw invalid_argument_error("answer threshold must be within [0, 1]");
  threshold_ = t;
}

void knowledge_base::restore(std::vector<knowledge_entry> es, std::optional<std::vector<synonym>> table) {
  std::unique_lock lock(p_->mu);
  auto& I = *p_;
  I.entries.clear();
  I.by_id.clear();
  I.active = 0;
  for (auto& e : es) {
    validate(e);
    if (I.by_id.count(e.id)) throw conflict_error("knowledge entry '" + e.id + "' stored twice");
    I.by_id.emplace(e.id, static_cast<std::uint32_t>(I.entries.size()));
    if (!e.retired) ++I.active;
    I.entries.push_back({std::move(e), {}});
  }
  if (table) I.set_synonyms_locked(std::move(*table));  // re-indexes
  else I.rebuild();
}

// ---- synonyms and lines -----------------------------------------------------

void knowledge_base::set_synonyms(std::vector<synonym> table) {
  for (const auto& s : table) {
    check_text(s.variant, "variant", "synonym");
    check_text(s.canonical, "canonical", "synonym");
  }
  std::unique_lock lock(p_->mu);
  p_->set_synonyms_locked(std::move(table));
  if (storage_) detail::storage_put_synonyms(*storage_, p_->syn_table);
}

void knowledge_base::add_synonyms(const std::vector<synonym>& table) {
  std::vector<synonym> all = synonyms();
  all.insert(all.end(), table.begin(), table.end());
  set_synonyms(std::move(all));
}

std::vector<synonym> knowledge_base::synonyms() const {
  std::shared_lock lock(p_->mu);
  return p_->syn_table;
}

void knowledge_base::set_service_lines(std::vector<service_line> lines) {
  std::unique_lock lock(p_->mu);
  p_->set_lines_locked(std::move(lines));
}

const std::vector<service_line>& knowledge_base::service_lines() const noexcept { return p_->lines; }

}  // namespace hotline
