package dev.onepg.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A latency histogram recorded in microseconds, as milliseconds for the results. */
public final class Percentiles {

    private Percentiles() {}

    public static Map<String, Object> of(Histogram micros) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", micros.getTotalCount());
        result.put("p50", micros.getValueAtPercentile(50) / 1000.0);
        result.put("p90", micros.getValueAtPercentile(90) / 1000.0);
        result.put("p99", micros.getValueAtPercentile(99) / 1000.0);
        result.put("p99.9", micros.getValueAtPercentile(99.9) / 1000.0);
        result.put("max", micros.getMaxValue() / 1000.0);
        return result;
    }
}
