package dev.onepg.benchmarks;

import java.util.Arrays;

/** Sorted samples in nanoseconds, with nearest-rank percentiles. */
final class Distribution {

    private final long[] sorted;

    private Distribution(long[] sorted) {
        this.sorted = sorted;
    }

    static Distribution of(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Distribution(sorted);
    }

    static Distribution pooled(Iterable<Distribution> distributions) {
        int size = 0;
        for (Distribution distribution : distributions) {
            size += distribution.sorted.length;
        }
        long[] all = new long[size];
        int at = 0;
        for (Distribution distribution : distributions) {
            System.arraycopy(distribution.sorted, 0, all, at, distribution.sorted.length);
            at += distribution.sorted.length;
        }
        return of(all);
    }

    int count() {
        return sorted.length;
    }

    /** The nearest-rank percentile, {@code fraction} between 0 and 1; 0 without samples. */
    long percentile(double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    double mean() {
        return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
    }

    /** How many samples are below zero. */
    long negatives() {
        return Arrays.stream(sorted).filter(value -> value < 0).count();
    }
}
