package dev.onepg.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A closed loop: a fixed number of threads, each starting its next operation as soon as the previous one
 * returned. Operations that return within the measured window count; warm-up is not recorded.
 */
final class ClosedLoop {

    /** One operation of one worker; {@code n} counts the worker's operations from 0. */
    interface Operation {
        void run(int worker, long n) throws Exception;
    }

    /** What one run achieved. */
    record Result(
            int threads,
            long operations,
            long failures,
            long nanos,
            Distribution latency,
            @Nullable String firstFailure) {

        double perSecond() {
            return operations / (nanos / 1e9);
        }
    }

    private ClosedLoop() {}

    static Result run(int threads, Duration warmup, Duration measurement, Operation operation)
            throws InterruptedException {
        Phase phase = new Phase();
        List<Worker> workers = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker worker = new Worker(i, phase, operation);
            workers.add(worker);
            running.add(Thread.ofPlatform().name("load-" + i).start(worker));
        }
        Thread.sleep(warmup);
        phase.startMeasuring();
        Thread.sleep(measurement);
        phase.stopMeasuring();
        for (Thread thread : running) {
            thread.join();
        }
        LongList latencies = new LongList();
        long failures = 0;
        String firstFailure = null;
        for (Worker worker : workers) {
            for (int i = 0; i < worker.latencies.size(); i++) {
                latencies.add(worker.latencies.get(i));
            }
            failures += worker.failures;
            if (firstFailure == null && worker.firstFailure != null) {
                firstFailure = worker.firstFailure;
            }
        }
        return new Result(
                threads,
                latencies.size(),
                failures,
                phase.measureUntil() - phase.measureFrom(),
                Distribution.of(latencies.toArray()),
                firstFailure);
    }

    private static final class Worker implements Runnable {

        private final int index;
        private final Phase phase;
        private final Operation operation;
        private final LongList latencies = new LongList();
        private long failures;
        private @Nullable String firstFailure;

        Worker(int index, Phase phase, Operation operation) {
            this.index = index;
            this.phase = phase;
            this.operation = operation;
        }

        @Override
        public void run() {
            for (long n = 0; !phase.stopped(); n++) {
                long start = System.nanoTime();
                try {
                    operation.run(index, n);
                } catch (Exception e) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = e.toString();
                    }
                    continue;
                }
                long end = System.nanoTime();
                if (phase.measures(end)) {
                    latencies.add(end - start);
                }
            }
        }
    }
}
