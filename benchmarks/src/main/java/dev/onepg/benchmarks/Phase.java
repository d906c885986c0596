package dev.onepg.benchmarks;

/** The phases of one run as the appenders see them: warm-up, measurement, stop. */
final class Phase {

    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;
    private volatile boolean stopped;

    void startMeasuring() {
        measureFrom = System.nanoTime();
    }

    void stopMeasuring() {
        measureUntil = System.nanoTime();
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Whether an append that returned at this time counts. */
    boolean measures(long returnedAt) {
        return returnedAt >= measureFrom && returnedAt < measureUntil;
    }

    long measureFrom() {
        return measureFrom;
    }

    long measureUntil() {
        return measureUntil;
    }
}
