package dev.onepg.benchmarks;

import java.util.List;

/**
 * Memory of the service's JVM and of the PostgreSQL server (postmaster and all backends, including the
 * benchmark's own), in bytes. RSS counts shared memory (PostgreSQL's shared buffers) in every process that
 * touched it; PSS divides it among them, so the PSS sum is what the server really occupies.
 */
record MemorySample(long serviceRss, long servicePss, long postgresRss, long postgresPss, int postgresProcesses) {

    static MemorySample of(long servicePid, long postmasterPid) {
        List<Long> postgres = ProcessMetrics.withChildren(postmasterPid);
        return new MemorySample(
                ProcessMetrics.rss(servicePid),
                ProcessMetrics.pss(servicePid),
                ProcessMetrics.sumRss(postgres),
                ProcessMetrics.sumPss(postgres),
                postgres.size());
    }

    static MemorySample max(MemorySample a, MemorySample b) {
        return new MemorySample(
                Math.max(a.serviceRss, b.serviceRss),
                Math.max(a.servicePss, b.servicePss),
                Math.max(a.postgresRss, b.postgresRss),
                Math.max(a.postgresPss, b.postgresPss),
                Math.max(a.postgresProcesses, b.postgresProcesses));
    }
}
