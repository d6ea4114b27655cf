package dev.switchboard.bench.scenario;

import picocli.CommandLine.Option;

/**
 * {@code --repeats} of the headline scenarios (fanout, latency, rpc): on a shared machine one run
 * moves by tens of percent, so the report gives the median and spread over several.
 */
final class RepeatOptions {

    @Option(
            names = "--repeats",
            description = "Full runs per system, interleaved (run 1 of every system, then run 2, ...); the report "
                    + "gives each figure's median and min-max (default: 1 alone, 3 in `all`).")
    Integer repeats;

    int repeats() {
        return repeats == null ? 1 : Math.max(1, repeats);
    }
}
