// The signing store (store.hpp): the registry's calls in an append-only SQLite journal,
// replayed into the registry on open.  The rows' JSON and replay are in store_codec.cpp;
// reading, verifying and signing the journal in store_journal.cpp.
#include "store_impl.hpp"

namespace hotline::signing {

// ---- construction ------------------------------------------------------------------

signing_store::signing_store(const std::filesystem::path& file, policy p, signing_store_options options)
    : p_(std::make_unique<impl>(file, std::move(options))) {
  auto& s = *p_;
  try {
    const bool created = s.identify_or_create(p);
    s.configure();
    policy stored = s.stored_policy();
    if (!created && !s.opt.policy_from_file) {
      if (const auto field = signing::detail::policy_difference(stored, p); !field.empty())
        throw conflict_error("signing store " + file.string() + ": the file's policy is " + in_quotes(stored.name) +
                             " and the one given is " + in_quotes(p.name) + " (field '" + field +
                             "' differs); open it with the stored policy, or with options.policy_from_file");
    }
    s.reg = registry(std::move(stored));
    s.applied = s.replay(s.reg, 1);
    if (created && s.opt.signer) sign_head();  // a new file is signed from its first row
  } catch (...) {
    // A file refused here stays as it was: no checkpoint when the connection closes,
    // which would copy the WAL (of a newer schema, say) into the file and delete it.
    (void)sqlite3_db_config(s.db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    throw;
  }
}

signing_store::~signing_store() = default;
signing_store::signing_store(signing_store&&) noexcept = default;
signing_store& signing_store::operator=(signing_store&&) noexcept = default;

const registry& signing_store::view() const noexcept { return p_->reg; }
const std::filesystem::path& signing_store::path() const noexcept { return p_->path; }
std::uint64_t signing_store::last_seq() const noexcept { return p_->applied; }

// ---- the calls ---------------------------------------------------------------------

void signing_store::add_resident(const stamp& who, const resident& r) {
  auto j = p_->begin("add_resident", who);
  signing::detail::put(j, r);
  j.close();
  p_->write("add_resident", who, [&] { p_->reg.add_resident(r); });
}

std::size_t signing_store::add_residents(const stamp& who, const resident_rows& rows) {
  auto& p = *p_;
  p.writable("add_residents");
  impl::check_stamp("add_residents", who);
  signing::detail::check_text(rows, "add_residents");
  if (rows.ids.empty()) {
    // Nothing to record; the registry's own error when the other columns are not empty too.
    if (!rows.birth.empty() || !rows.place.empty() || !rows.sex.empty() || !rows.insured.empty())
      return p.reg.add_residents(rows);
    return 0;
  }
  const std::string at = format_instant(who.at ? *who.at : impl::now());
  impl::tx t(p, "add_residents");
  p.reg.add_residents(rows);  // all or none; its error passes unchanged
  p.commit_rows(t, "add_residents", [&] {
    for (std::size_t i = 0; i < rows.ids.size(); ++i) {
      p.buf.clear();
      json_out j(p.buf, "add_residents", static_cast<std::ptrdiff_t>(i));
      signing::detail::put_row(j, rows, i);
      j.close();
      t.append(at, who.by, "add_residents", p.buf);
    }
  });
  return rows.ids.size();
}

void signing_store::move_resident(const stamp& who, const std::string& id, const std::string& district,
                                  const std::string& subdistrict, const std::string& community) {
  auto j = p_->begin("move_resident", who);
  j.text("id", id).text("district", district).text("subdistrict", subdistrict).text("community", community).close();
  p_->write("move_resident", who, [&] { p_->reg.move_resident(id, district, subdistrict, community); });
}

void signing_store::add_attribute(const stamp& who, const std::string& resident, attribute a, day from,
                                  std::optional<day> to) {
  auto j = p_->begin("add_attribute", who);
  j.text("resident", resident).word("attribute", a).date("from", from);
  if (to) j.date("to", *to);
  j.close();
  p_->write("add_attribute", who, [&] { p_->reg.add_attribute(resident, a, from, to); });
}

void signing_store::end_attribute(const stamp& who, const std::string& resident, attribute a, day to) {
  auto j = p_->begin("end_attribute", who);
  j.text("resident", resident).word("attribute", a).date("to", to).close();
  p_->write("end_attribute", who, [&] { p_->reg.end_attribute(resident, a, to); });
}

void signing_store::set_grade(const stamp& who, const std::string& resident, elderly_grade g, day from) {
  auto j = p_->begin("set_grade", who);
  j.text("resident", resident).word("grade", g).date("from", from).close();
  p_->write("set_grade", who, [&] { p_->reg.set_grade(resident, g, from); });
}

void signing_store::join_household(const stamp& who, const std::string& household, const std::string& resident,
                                   day from) {
  auto j = p_->begin("join_household", who);
  j.text("household", household).text("resident", resident).date("from", from).close();
  p_->write("join_household", who, [&] { p_->reg.join_household(household, resident, from); });
}

void signing_store::leave_household(const stamp& who, const std::string& household, const std::string& resident,
                                    day to) {
  auto j = p_->begin("leave_household", who);
  j.text("household", household).text("resident", resident).date("to", to).close();
  p_->write("leave_household", who, [&] { p_->reg.leave_household(household, resident, to); });
}

void signing_store::add_institution(const stamp& who, const institution& i) {
  auto j = p_->begin("add_institution", who);
  signing::detail::put(j, i);
  j.close();
  p_->write("add_institution", who, [&] { p_->reg.add_institution(i); });
}

void signing_store::add_team(const stamp& who, const team& t) {
  auto j = p_->begin("add_team", who);
  signing::detail::put(j, t);
  j.close();
  p_->write("add_team", who, [&] { p_->reg.add_team(t); });
}

void signing_store::add_staff(const stamp& who, const staff_member& s) {
  auto j = p_->begin("add_staff", who);
  signing::detail::put(j, s);
  j.close();
  p_->write("add_staff", who, [&] { p_->reg.add_staff(s); });
}

void signing_store::join_team(const stamp& who, const std::string& team, const std::string& staff, team_role role,
                              day from) {
  auto j = p_->begin("join_team", who);
  j.text("team", team).text("staff", staff).word("role", role).date("from", from).close();
  p_->write("join_team", who, [&] { p_->reg.join_team(team, staff, role, from); });
}

void signing_store::leave_team(const stamp& who, const std::string& team, const std::string& staff, day to) {
  auto j = p_->begin("leave_team", who);
  j.text("team", team).text("staff", staff).date("to", to).close();
  p_->write("leave_team", who, [&] { p_->reg.leave_team(team, staff, to); });
}

void signing_store::add_package(const stamp& who, const package& p) {
  auto j = p_->begin("add_package", who);
  signing::detail::put(j, p);
  j.close();
  p_->write("add_package", who, [&] { p_->reg.add_package(p); });
}

contract signing_store::sign(const stamp& who, const sign_request& req) {
  auto j = p_->begin("sign", who);
  signing::detail::put(j, req);
  return p_->write("sign", who, [&] {
    contract c = p_->reg.sign(req);
    j.text("contract", c.id).close();
    return c;
  });
}

std::size_t signing_store::sign_all(const stamp& who, std::span<const sign_request> reqs) {
  auto& p = *p_;
  p.writable("sign_all");
  impl::check_stamp("sign_all", who);
  for (std::size_t i = 0; i < reqs.size(); ++i)
    signing::detail::check_text(reqs[i], "sign_all", static_cast<std::ptrdiff_t>(i));
  if (reqs.empty()) return 0;
  const std::string at = format_instant(who.at ? *who.at : impl::now());
  impl::tx t(p, "sign_all");
  const auto first = static_cast<std::uint32_t>(p.reg.contract_count());
  p.reg.sign_all(reqs);  // all or none; its error passes unchanged
  p.commit_rows(t, "sign_all", [&] {
    const auto& data = p.reg.data();
    const auto n = static_cast<std::int64_t>(reqs.size());
    for (std::size_t i = 0; i < reqs.size(); ++i) {
      p.buf.clear();
      json_out j(p.buf, "sign_all", static_cast<std::ptrdiff_t>(i));
      signing::detail::put(j, reqs[i]);
      j.number("i", static_cast<std::int64_t>(i)).number("n", n);
      j.text("contract", data.contract_id(first + static_cast<std::uint32_t>(i))).close();
      t.append(at, who.by, "sign_all", p.buf);
    }
  });
  return reqs.size();
}

std::vector<contract> signing_store::sign_household(const stamp& who, const std::string& household,
                                                    const sign_request& req) {
  auto j = p_->begin("sign_household", who);
  j.text("household", household);
  signing::detail::put(j, req);
  return p_->write("sign_household", who, [&] {
    auto cs = p_->reg.sign_household(household, req);
    std::vector<std::string> ids;
    ids.reserve(cs.size());
    for (const auto& c : cs) ids.push_back(c.id);
    j.texts("contracts", ids).close();
    return cs;
  });
}

contract signing_store::renew(const stamp& who, const std::string& contract_id, int years, const std::string& team,
                              std::vector<std::string> packages) {
  auto j = p_->begin("renew", who);
  j.text("contract", contract_id).number("years", years).text_if("team", team);
  if (!packages.empty()) j.texts("packages", packages);
  return p_->write("renew", who, [&] {
    contract c = p_->reg.renew(contract_id, years, team, std::move(packages));
    j.text("renewal", c.id).close();
    return c;
  });
}

contract signing_store::terminate(const stamp& who, const std::string& contract_id, day on, termination_reason why) {
  auto j = p_->begin("terminate", who);
  j.text("contract", contract_id).date("on", on).word("reason", why).close();
  return p_->write("terminate", who, [&] { return p_->reg.terminate(contract_id, on, why); });
}

void signing_store::receive_application(const stamp& who, const application& a) {
  auto j = p_->begin("receive_application", who);
  signing::detail::put(j, a);
  j.close();
  p_->write("receive_application", who, [&] { p_->reg.receive_application(a); });
}

const service_record& signing_store::record_service(const stamp& who, service_record s) {
  // The payload is the record as the registry completed it (seq, hash, the resident,
  // team and institution): the text is checked here, before the registry takes it.
  {
    auto check = p_->begin("record_service", who);
    check.text("contract", s.contract).text("staff", s.staff).text("counterpart", s.counterpart).text("note", s.note);
  }
  return p_->write("record_service", who, [&]() -> const service_record& {
    const service_record& done = p_->reg.record_service(std::move(s));
    p_->buf.clear();
    json_out j(p_->buf, "record_service");
    signing::detail::put(j, done);
    j.close();
    return done;
  });
}

void signing_store::record_survey(const stamp& who, const survey_answer& a) {
  auto j = p_->begin("record_survey", who);
  signing::detail::put(j, a);
  j.close();
  p_->write("record_survey", who, [&] { p_->reg.record_survey(a); });
}

void signing_store::record_slots(const stamp& who, const specialist_slots& s) {
  auto j = p_->begin("record_slots", who);
  signing::detail::put(j, s);
  j.close();
  p_->write("record_slots", who, [&] { p_->reg.record_slots(s); });
}

}  // namespace hotline::signing
