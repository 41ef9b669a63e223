// Helpers of the suites that run on PostgreSQL (ctest's *_on_pg, inside a throwaway
// cluster): SQL through psql, as an administrator or a forger with the server's
// credentials would run it, and every other session ended, as a restart would.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace hotline::test {

/// Runs `sql` with psql on the database at `location`; its exit status.
inline int psql(const std::string& location, const std::string& sql) {
  return std::system(("psql -q -v ON_ERROR_STOP=1 '" + location + "' -c \"" + sql + "\" >/dev/null").c_str());
}

/// Ends every other session on the database (as a restart or an idle timeout would).
inline void drop_connections(const std::string& location) {
  REQUIRE(psql(location,
               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid()") == 0);
}

}  // namespace hotline::test
