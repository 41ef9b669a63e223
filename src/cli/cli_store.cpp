// src/cli/cli_store.cpp: `hotline store` -- the work-order store (append-only events, in an
// SQLite file or a PostgreSQL database: --db postgresql://user@host/db).
//
//   hotline store --db hotline.db init
//   hotline store --db hotline.db import orders orders.csv    # cli_store_import.cpp
//   hotline store --db hotline.db list --open --limit 20
//   hotline store --db hotline.db show 20251008-00000001 [--reveal]
//   hotline store --db hotline.db events 20251008-00000001
//   hotline store --db hotline.db verify
//   hotline store --db hotline.db rebuild
//   hotline store --db hotline.db copy --to postgresql://hotline@db.example/hotline
//
// Callers' names, phone and ID numbers are masked (138****1234) unless --reveal.
// Every verb but init and import refuses a file that does not exist (it would
// otherwise create an empty store and answer "nothing").  A PostgreSQL database is
// never created here (createdb is the server administrator's): one that is missing is
// the server's error.  Messages show a location's password as "***".
#include "cli_common.hpp"

#include "../store_json.hpp"

#include <hotline/masking.hpp>
#include <hotline/signed_head.hpp>
#include <hotline/store.hpp>
#include <hotline/store_copy.hpp>

#include <filesystem>
#include <memory>

namespace hotline::cli {

store open_store(const std::string& path, bool must_exist) {
  std::error_code ec;
  if (must_exist && !is_postgresql_location(path) && !std::filesystem::exists(path, ec))
    throw error(errc::io_error, path + ": no such store (create it with: hotline store --db " + path + " init)");
  return store(path);
}

namespace {

std::string opt_instant(const std::optional<instant>& t) { return t ? format_instant(*t) : std::string(); }

// The JSON shapes are the library's (src/store_json.hpp), shared with the C ABI.
json order_json(const work_order& w) { return json::parse(detail::order_json(w)); }
json event_json(const event& e) { return json::parse(detail::event_json(e)); }
json chain_json(const chain_report& r) { return json::parse(detail::chain_json(r)); }

struct list_opts {
  std::string state, unit, phone, overdue, from, to;
  bool open = false, reveal = false;
  std::size_t limit = 50;
};

CLI::Validator state_arg() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        try {
          (void)parse_enum<order_state>(s);
          return {};
        } catch (const error& e) {
          return e.what();
        }
      },
      "STATE");
}

}  // namespace

void add_store(CLI::App& app, context& ctx) {
  auto* g = app.add_subcommand(
      "store", "Work orders in SQLite or PostgreSQL: init, import, list, show, events, verify, rebuild, copy");
  auto db = std::make_shared<std::string>();
  g->add_option("--db", *db,
                "The store: an SQLite file, or a PostgreSQL location (postgresql://user@host/db or "
                "\"host=... dbname=...\"); or env HOTLINE_DB")
      ->required()
      ->envname("HOTLINE_DB");

  {
    auto* c = g->add_subcommand("init", "Create the store's file, or migrate it to the latest schema");
    c->callback([&ctx, db] {
      ctx.action = [&ctx, db] {
        const bool pg = is_postgresql_location(*db);
        const bool existed = pg || std::filesystem::exists(*db);
        const auto s = open_store(*db, false);
        const auto shown = redacted_location(*db);
        if (ctx.json)
          print_json(json{{"db", shown}, {"created", !existed}, {"schema_version", s.schema_version()}});
        else
          print_line(shown + ": " + (existed ? "opened" : "created") + ", schema version " +
                     std::to_string(s.schema_version()));
        return exit_ok;
      };
    });
  }
  add_store_import(*g, ctx, db);
  {
    auto* c = g->add_subcommand("list", "Orders, by number (overdue lists: most overdue first)");
    auto o = std::make_shared<list_opts>();
    c->add_option("--state", o->state, "Only orders in this state, e.g. in_progress")->check(state_arg());
    c->add_option("--unit", o->unit, "Only orders of this handling unit");
    c->add_flag("--open", o->open, "Only open orders (not draft, not terminal)");
    c->add_option("--overdue", o->overdue, "Only orders with a running clock due before this instant (or now)")
        ->check(instant_arg());
    c->add_option("--phone", o->phone, "Only orders of this caller phone number");
    c->add_option("--from", o->from, "Received at or after (date or instant)")->check(instant_arg());
    c->add_option("--to", o->to, "Received before (date or instant)")->check(instant_arg());
    c->add_option("--limit", o->limit, "At most this many (0: all; default 50)");
    c->add_flag("--reveal", o->reveal, "Show personal data unmasked");
    c->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        const auto s = open_store(*db, true);
        order_query q;
        if (!o->state.empty()) q.with_state(parse_enum<order_state>(o->state));
        if (!o->unit.empty()) q.in_unit(o->unit);
        if (o->open) q.open();
        if (!o->overdue.empty()) q.overdue(to_instant(o->overdue));
        if (!o->phone.empty()) q.phone(o->phone);
        if (!o->from.empty()) q.received_from = to_instant(o->from);
        if (!o->to.empty()) q.received_before = to_instant(o->to);
        q.at_most(o->limit).revealed(o->reveal);
        const auto orders = s.orders(q);
        if (ctx.json) {
          json arr = json::array();
          for (const auto& w : orders) arr.push_back(order_json(w));
          print_json(json{{"orders", arr}, {"count", orders.size()}});
          return exit_ok;
        }
        report_table t;
        t.title = "orders";
        t.columns = {"number", "state", "type", "received", "unit", "caller", "phone", "next due"};
        for (const auto& w : orders) {
          t.rows.push_back({w.number, std::string(to_string(w.state)), std::string(to_string(w.request_type)),
                            format_instant(w.received_at), w.unit, w.caller_name, w.caller_phone,
                            opt_instant(w.next_due())});
        }
        t.notes.push_back(std::to_string(orders.size()) + " order(s)" +
                          (o->limit != 0 && orders.size() == o->limit ? " (--limit reached)" : ""));
        print_line(to_text(t));
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("show", "One order, every field and clock");
    auto number = std::make_shared<std::string>();
    auto reveal = std::make_shared<bool>(false);
    c->add_option("number", *number, "The order's number")->required();
    c->add_flag("--reveal", *reveal, "Show personal data unmasked");
    c->callback([&ctx, db, number, reveal] {
      ctx.action = [&ctx, db, number, reveal] {
        const auto s = open_store(*db, true);
        const auto w = s.get(*number, *reveal);
        if (!w) throw not_found_error(redacted_location(*db) + ": no order " + mask_text(*number));
        const auto j = order_json(*w);
        if (ctx.json) {
          print_json(j);
          return exit_ok;
        }
        for (const auto& [k, v] : j.items()) {
          if (k == "clocks") continue;
          const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
          if (!text.empty() && text != "0" && text != "none") print_line(k + ": " + text);
        }
        for (const auto& [k, v] : j["clocks"].items())
          if (v["outcome"] != "not_started")
            print_line("clock " + k + ": " + v["outcome"].get<std::string>() + ", due " + v["due"].get<std::string>() +
                       (v["stopped"].get<std::string>().empty() ? "" : ", stopped " + v["stopped"].get<std::string>()));
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("events", "The events of one order, oldest first");
    auto number = std::make_shared<std::string>();
    auto reveal = std::make_shared<bool>(false);
    c->add_option("number", *number, "The order's number")->required();
    c->add_flag("--reveal", *reveal, "Show personal data unmasked");
    c->callback([&ctx, db, number, reveal] {
      ctx.action = [&ctx, db, number, reveal] {
        const auto s = open_store(*db, true);
        const auto events = s.events(*number, *reveal);
        if (events.empty()) throw not_found_error(redacted_location(*db) + ": no order " + mask_text(*number));
        json arr = json::array();
        for (const auto& e : events) {
          if (ctx.json) {
            arr.push_back(event_json(e));
            continue;
          }
          std::string line = "#" + std::to_string(e.id) + " v" + std::to_string(e.seq) + " " + format_instant(e.at) +
                             " " + std::string(to_string(e.action)) + " by " + e.actor + " (" +
                             std::string(to_string(e.role)) + (e.unit.empty() ? "" : ", " + e.unit) + ") " +
                             (e.state_before ? std::string(to_string(*e.state_before)) + " -> " : "") +
                             std::string(to_string(e.state_after));
          print_line(line);
          for (const auto& ch : e.changes)
            if (!ch.field.ends_with("_clock")) print_line("    " + ch.field + ": " + ch.before + " -> " + ch.after);
          if (!e.comment.empty()) print_line("    comment: " + e.comment);
        }
        if (ctx.json) print_json(json{{"order", *number}, {"events", arr}});
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("verify", "Re-hash the event log (exit 1 when the chain is broken)");
    auto key = std::make_shared<std::string>();
    c->add_option("--public-key", *key, "Also check every signed head with this Ed25519 public key (64 hex digits)");
    c->callback([&ctx, db, key] {
      ctx.action = [&ctx, db, key] {
        const auto s = open_store(*db, true);
        chain_report r;
        if (key->empty()) {
          r = s.verify();
        } else {
          const auto k = parse_public_key(*key);
          if (!k) throw usage_error("--public-key: expected 64 hex digits");
          r = s.verify(*k);
        }
        if (ctx.json)
          print_json(chain_json(r));
        else if (r.ok)
          print_line(redacted_location(*db) + ": hash chain verified, " + std::to_string(r.events_checked) + " events");
        if (!r.ok) {
          std::fprintf(stderr, "hotline: %s: hash chain broken at event %lld: %s\n", redacted_location(*db).c_str(),
                       static_cast<long long>(r.first_broken.value_or(0)), r.reason.c_str());
          return exit_data;
        }
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("rebuild", "Replace the orders' projection by a replay of the events");
    c->callback([&ctx, db] {
      ctx.action = [&ctx, db] {
        auto s = open_store(*db, true);
        const auto n = s.rebuild_projection();
        if (ctx.json)
          print_json(json{{"rebuilt_orders", n}});
        else
          print_line(redacted_location(*db) + ": rebuilt " + std::to_string(n) + " orders from the events");
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("copy",
                                "Copy the store (--db) into a new, empty store (--to), SQLite or PostgreSQL either way: "
                                "every row as stored, one transaction, verified after");
    auto to = std::make_shared<std::string>();
    c->add_option("--to", *to, "The target: an SQLite file or a PostgreSQL location; it must hold nothing")->required();
    c->callback([&ctx, db, to] {
      ctx.action = [&ctx, db, to] {
        const auto r = copy_store(*db, *to);
        const auto from = redacted_location(*db), into = redacted_location(*to);
        if (ctx.json) {
          print_json(json{{"from", from},
                          {"to", into},
                          {"units", r.units},
                          {"liaisons", r.liaisons},
                          {"orders", r.orders},
                          {"events", r.events},
                          {"event_blocks", r.event_blocks},
                          {"calls", r.calls},
                          {"signed_heads", r.signed_heads},
                          {"head", to_string(r.head)}});
        } else {
          print_line(from + " -> " + into + ": " + std::to_string(r.orders) + " orders, " + std::to_string(r.events) +
                     " events, " + std::to_string(r.units) + " units, " + std::to_string(r.liaisons) + " liaisons, " +
                     std::to_string(r.calls) + " calls, " + std::to_string(r.signed_heads) + " signed heads");
          print_line("verified: the copy re-hashes to its head, and the source's log begins with it");
          print_line("head: " + to_string(r.head));
        }
        return exit_ok;
      };
    });
  }
}

}  // namespace hotline::cli
