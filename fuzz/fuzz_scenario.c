/*
** fuzz_scenario.c — libFuzzer target: the simulator's scenario parser.
** Whatever it accepts is copied as a baseline and freed; a rejection must
** carry a message.  (Running the accepted scenarios is left to the tests:
** a valid scenario may ask for a century of daily steps.)  Seeds:
** fuzz/seeds-scenario/ (every intervention type and key); dictionary:
** fuzz/scenario.dict.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sarx_scenario *sc = NULL, *base = NULL;
    sarx_error err;
    if (sarx_scenario_from_json((const char *)data, size, &sc, &err) == SARX_OK) {
        if (sarx_scenario_baseline(sc, &base) == SARX_OK && sarx_scenario_intervention_count(base) != 0)
            abort();
        sarx_scenario_free(base);
        sarx_scenario_free(sc);
    } else if (err.message[0] == '\0' || sc != NULL) {
        abort();
    }
    return 0;
}
