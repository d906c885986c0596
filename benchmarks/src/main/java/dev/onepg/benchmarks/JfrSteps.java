package dev.onepg.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of the service for docs/benchmarks.md: of the CPU samples ({@code
 * jdk.ExecutionSample}) of the threads whose name starts with a prefix, the share per innermost {@code dev.onepg}
 * frame (the step) and per top frame (the hot method).
 *
 * <pre>java -cp benchmarks/target/classes dev.onepg.benchmarks.JfrSteps recording.jfr onepg-rebuild</pre>
 */
public final class JfrSteps {

    private JfrSteps() {}

    public static void main(String[] args) throws Exception {
        String prefix = args.length > 1 ? args[1] : "onepg-";
        Map<String, Integer> steps = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getThread("sampledThread") == null
                    || event.getThread("sampledThread").getJavaName() == null
                    || !event.getThread("sampledThread").getJavaName().startsWith(prefix)
                    || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            methods.merge(name(frames.getFirst()), 1, Integer::sum);
            String step = frames.stream()
                    .map(JfrSteps::name)
                    .filter(name -> name.startsWith("dev.onepg."))
                    .findFirst()
                    .orElse("(outside dev.onepg)");
            steps.merge(step.replace("dev.onepg.", ""), 1, Integer::sum);
        }
        System.out.printf("%,d CPU samples of threads %s*%n%n", samples, prefix);
        print("step (innermost dev.onepg frame)", steps, samples);
        print("hot method (top frame)", methods, samples);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples) {
        System.out.printf("| %s | samples | share |%n|---|--:|--:|%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(12)
                .forEach(entry -> System.out.printf(
                        java.util.Locale.ROOT,
                        "| %s | %d | %.1f %% |%n",
                        entry.getKey(),
                        entry.getValue(),
                        100.0 * entry.getValue() / Math.max(1, samples)));
        System.out.println();
    }
}
