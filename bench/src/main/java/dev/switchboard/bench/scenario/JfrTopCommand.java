package dev.switchboard.bench.scenario;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "jfr-top",
        mixinStandardHelpOptions = true,
        description = "Hot spots of a JFR recording (from --jfr): methods by self samples and by total samples, "
                + "and allocation by class.")
public final class JfrTopCommand implements Callable<Integer> {

    @Parameters(description = "Recording files.")
    List<Path> files;

    @Option(names = "--top", defaultValue = "25", description = "Rows per table (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(
            names = "--filter",
            description = "Only count samples whose stack holds a frame with this text (e.g. dev.switchboard).")
    String filter;

    @Override
    public Integer call() throws Exception {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        long samples = 0;
        for (Path f : files) {
            for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                String type = e.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    if (filter != null && st.getFrames().stream().noneMatch(fr -> name(fr).contains(filter))) {
                        continue;
                    }
                    samples++;
                    self.merge(name(st.getFrames().get(0)), 1L, Long::sum);
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (RecordedFrame fr : st.getFrames()) {
                        if (seen.add(name(fr))) {
                            total.merge(name(fr), 1L, Long::sum);
                        }
                    }
                    String thread = e.getThread("sampledThread") == null
                            ? "?"
                            : e.getThread("sampledThread").getJavaName();
                    threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1L, Long::sum);
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    alloc.merge(e.getClass("objectClass").getName(), e.getLong("weight"), Long::sum);
                }
            }
        }
        System.out.printf("%d execution samples%n", samples);
        print("self (top of stack)", self, samples);
        print("total (anywhere on the stack)", total, samples);
        print("threads", threads, samples);
        long allocTotal = alloc.values().stream().mapToLong(Long::longValue).sum();
        print("allocation by class (sampled weight)", alloc, allocTotal);
        return 0;
    }

    private void print(String title, Map<String, Long> m, long all) {
        System.out.printf("%n== %s ==%n", title);
        m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(
                        e -> System.out.printf("%6.2f%%  %s%n", all == 0 ? 0 : 100.0 * e.getValue() / all, e.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
