package dev.onepg.eventstore.kafka;

import static dev.onepg.eventstore.kafka.RelayFixture.eventually;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The relay's throughput and its latency from an event's recording to the brokers' acknowledgement, each against
 * a baseline measured in the same JVM on the same database and broker. Not part of the build: run it by name
 * (see docs/benchmarks.md).
 */
class KafkaRelayBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.kafka.events", 50_000);
    private static final int EVENTS_PER_APPEND = 50;
    private static final int BATCH = 500;
    private static final int RATE = Integer.getInteger("bench.kafka.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.kafka.seconds", 10);

    @Test
    void relayThroughputAndLatency() throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4);
        broker.afterPropertiesSet();
        StringBuilder report = new StringBuilder();
        try (RelayFixture fixture = new RelayFixture()) {
            String bootstrap = broker.getBrokersAsString();
            Topics.create(bootstrap, 4, "base.user", "relay.user", "live.user");
            ProjectionSettings settings = ProjectionSettings.defaults().withBatchSize(BATCH);

            long writeStarted = System.nanoTime();
            for (int i = 0; i < EVENTS / EVENTS_PER_APPEND; i++) {
                List<NewEvent> events = new ArrayList<>(EVENTS_PER_APPEND);
                for (int n = 0; n < EVENTS_PER_APPEND; n++) {
                    events.add(NewEvent.of(
                            UUID.randomUUID(),
                            "Happened",
                            "{\"n\": " + n + ", \"text\": \"" + "x".repeat(100) + "\"}"));
                }
                fixture.store.append(
                        AppendRequest.of(StreamId.of("user", UUID.randomUUID()), ExpectedVersion.noStream(), events));
            }
            double writeSeconds = seconds(writeStarted);
            List<RecordedEvent> log = fixture.store.readAfter(Checkpoint.START, EVENTS);
            Checkpoint head = log.getLast().checkpoint();

            // Baseline 1: the same records, already in memory, sent in batches by a producer of the same settings.
            long producerStarted = System.nanoTime();
            try (Producer<String, String> producer =
                    new KafkaProducer<>(ProducerSettings.of(bootstrap).producerConfig())) {
                TopicNames topics = new TopicNames("base.", Map.of());
                for (int from = 0; from < log.size(); from += BATCH) {
                    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
                    for (RecordedEvent event : log.subList(from, Math.min(log.size(), from + BATCH))) {
                        acks.add(producer.send(KafkaMessages.toRecord(event, topics)));
                    }
                    producer.flush();
                    for (var ack : acks) {
                        ack.get();
                    }
                }
            }
            double producerSeconds = seconds(producerStarted);

            // Baseline 2: a projection that does nothing, through the same engine: reading and checkpointing.
            double noOpSeconds = catchUp(fixture, settings, new NoOp("no-op"), head);

            // The relay catching up over the whole log.
            KafkaRelay relay = fixture.track(new KafkaRelay(
                    "relay", new TopicNames("relay.", Map.of()), ProducerSettings.of(bootstrap), RelayObserver.NONE));
            double relaySeconds = catchUp(fixture, settings, relay, head);

            report.append("uptime: ").append(uptime()).append("\n\n");
            report.append(String.format(
                    "Catch-up over %,d events (%d-event appends written at %,.0f events/s), batches of %d:%n%n",
                    log.size(), EVENTS_PER_APPEND, log.size() / writeSeconds, BATCH));
            report.append("| run | events/s | relay's rate / this rate |\n|---|---:|---:|\n");
            row(
                    report,
                    "producer alone (records in memory, same settings)",
                    log.size() / producerSeconds,
                    producerSeconds / relaySeconds);
            row(report, "no-op projection (read + checkpoint)", log.size() / noOpSeconds, noOpSeconds / relaySeconds);
            row(report, "**relay**", log.size() / relaySeconds, 1.0);

            // Latency: live single-event appends at a steady rate, with the relay and a no-op projection awake.
            Histogram relayLatency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            Histogram projectionLatency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            CoalescingNotifier notifier = fixture.track(
                    new CoalescingNotifier(fixture.dataSource, "onepg_bench", () -> {}, Duration.ofMillis(1)));
            PostgresEventStore store = new PostgresEventStore(fixture.dataSource, notifier);
            KafkaRelay live = fixture.track(new KafkaRelay(
                    "live-relay",
                    new TopicNames("live.", Map.of()),
                    ProducerSettings.of(bootstrap),
                    new RelayObserver() {
                        @Override
                        public void published(List<RecordedEvent> events, Instant acknowledgedAt) {
                            record(relayLatency, events, acknowledgedAt);
                        }
                    }));
            NoOp timed = new NoOp("live-no-op") {
                @Override
                public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) {
                    record(projectionLatency, events, Instant.now());
                }
            };
            ProjectionEngine engine = fixture.track(new ProjectionEngine(
                    fixture.dataSource, List.of(live, timed), settings.withPollInterval(Duration.ofSeconds(1))));
            // Start after the backlog: only the live events are measured.
            engine.start();
            eventually(() -> engine.lag("live-relay").events() == 0, Duration.ofMinutes(5));
            eventually(() -> engine.lag("live-no-op").events() == 0, Duration.ofMinutes(5));
            relayLatency.reset();
            projectionLatency.reset();
            long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
            long next = System.nanoTime();
            int written = 0;
            long until = next + TimeUnit.SECONDS.toNanos(SECONDS);
            while (System.nanoTime() < until) {
                // Wakes the engine at once, as the application's notifier does after each commit.
                store.append(
                        StreamId.of("user", UUID.randomUUID()),
                        ExpectedVersion.noStream(),
                        List.of(NewEvent.of(UUID.randomUUID(), "Happened", "{\"live\": true}")));
                engine.wakeUp();
                written++;
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            double achieved = written / (double) SECONDS;
            int total = written;
            eventually(() -> relayLatency.getTotalCount() >= total && projectionLatency.getTotalCount() >= total);
            report.append(String.format(
                    "%nLatency from recording to acknowledgement (relay) and to apply (no-op projection), "
                            + "%,d single-event appends in %d s (aimed at %d/s, reached %.0f/s), in ms:%n%n",
                    written, SECONDS, RATE, achieved));
            report.append("| path | p50 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|\n");
            latencyRow(report, "no-op projection (wake-up, read, apply)", projectionLatency);
            latencyRow(report, "**relay** (wake-up, read, send, ack)", relayLatency);
        } finally {
            broker.destroy();
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "kafka-relay-benchmark.md"), report);
    }

    private static double catchUp(
            RelayFixture fixture, ProjectionSettings settings, Projection projection, Checkpoint head)
            throws InterruptedException {
        ProjectionEngine engine = new ProjectionEngine(fixture.dataSource, List.of(projection), settings);
        long started = System.nanoTime();
        engine.start();
        try {
            eventually(
                    () -> !engine.status(projection.name())
                                    .orElseThrow()
                                    .checkpoint()
                                    .isAfter(head)
                            && engine.status(projection.name())
                                    .orElseThrow()
                                    .checkpoint()
                                    .equals(head),
                    Duration.ofMinutes(10));
            return seconds(started);
        } finally {
            engine.close();
        }
    }

    private static void record(Histogram histogram, List<RecordedEvent> events, Instant at) {
        for (RecordedEvent event : events) {
            histogram.recordValue(
                    Math.max(0, Duration.between(event.recordedAt(), at).toNanos() / 1000));
        }
    }

    private static void row(StringBuilder report, String run, double rate, double ratio) {
        report.append(String.format("| %s | %,.0f | %.2f |%n", run, rate, ratio));
    }

    private static void latencyRow(StringBuilder report, String path, Histogram histogram) {
        report.append(String.format(
                "| %s | %.1f | %.1f | %.1f | %.1f |%n",
                path,
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static String uptime() {
        try {
            return new String(new ProcessBuilder("uptime")
                            .start()
                            .getInputStream()
                            .readAllBytes())
                    .strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static class NoOp implements Projection {

        private final String name;

        NoOp(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of();
        }

        @Override
        public boolean handles(String eventType) {
            return true;
        }

        @Override
        public void apply(RecordedEvent event, ProjectionTransaction transaction) throws Exception {
            apply(List.of(event), transaction);
        }

        @Override
        public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) {}
    }
}
