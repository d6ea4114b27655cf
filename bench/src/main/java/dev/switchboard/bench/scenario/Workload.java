package dev.switchboard.bench.scenario;

import picocli.CommandLine.Option;

/** Subscribers, channels and message size of a publish run ({@code fanout}, {@code latency}, {@code transports}). */
final class Workload {

    @Option(
            names = "--subscribers",
            defaultValue = "1000",
            description = "Subscriber connections (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--channels", defaultValue = "10", description = "Channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(
            names = "--size",
            defaultValue = "100",
            description = "Publication data size in bytes (default: ${DEFAULT-VALUE}).")
    int size;
}
