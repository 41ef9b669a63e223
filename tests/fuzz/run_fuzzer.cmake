# Runs one fuzz target for SECONDS over its seeds (cmake -P, from ctest).
# New inputs go to WORK/corpus, never into the repository's seed directory:
# libFuzzer writes only to the first corpus directory it is given.  A crash
# leaves its input in WORK/ (crash-*, leak-*, timeout-*) and fails the test.
foreach(v FUZZER SEEDS WORK SECONDS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_fuzzer.cmake: ${v} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus)
# -timeout: one input taking this long is a finding (a quadratic parser), not a slow machine.
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=30 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix=${WORK}/ ${WORK}/corpus ${SEEDS}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the input is in ${WORK}/. "
                      "Fix it and keep the input in ${SEEDS}/ as crash-<what> (tests/fuzz/README.md).")
endif()
