package dev.onepg.eventstore.kafka;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.benchmarks.Percentiles;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Kafka relay's catch-up rate against two baselines in the same JVM, on the same database and in-JVM broker
 * (KRaft, 4 partitions): a producer of the relay's settings sending the same records from memory, and a projection
 * that does nothing through the same engine. Then its latency from an event's recording to the brokers'
 * acknowledgement against the no-op projection's to its apply, at a steady append rate. In the relay's package
 * (of this module) to build the producer baseline's records with the relay's own mapping.
 */
public final class KafkaRelayBenchmark {

    private static final int BATCH = 500;

    private KafkaRelayBenchmark() {}

    /** Returns catch-up rates (events/s) and latency percentiles (ms). */
    public static Map<String, Object> run(HikariDataSource dataSource, int events, int rate, int seconds)
            throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4);
        broker.afterPropertiesSet();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getBrokersAsString()))) {
            String bootstrap = broker.getBrokersAsString();
            admin.createTopics(List.of("base.user", "relay.user", "live.user").stream()
                            .map(topic -> new NewTopic(topic, 4, (short) 1))
                            .toList())
                    .all()
                    .get();
            PostgresEventStore store = new PostgresEventStore(dataSource);
            for (int i = 0; i < events / 50; i++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int n = 0; n < 50; n++) {
                    batch.add(NewEvent.of(
                            UUID.randomUUID(),
                            "Happened",
                            "{\"n\": " + n + ", \"text\": \"" + "x".repeat(100) + "\"}"));
                }
                store.append(StreamId.of("user", UUID.randomUUID()), ExpectedVersion.noStream(), batch);
            }
            List<RecordedEvent> log = store.readAfter(Checkpoint.START, events);
            Checkpoint head = log.getLast().checkpoint();
            ProjectionSettings settings = ProjectionSettings.defaults().withBatchSize(BATCH);

            long started = System.nanoTime();
            try (var producer = new KafkaProducer<String, String>(
                    ProducerSettings.of(bootstrap).producerConfig())) {
                for (int from = 0; from < log.size(); from += BATCH) {
                    List<Future<RecordMetadata>> acks = new ArrayList<>();
                    for (RecordedEvent event : log.subList(from, Math.min(log.size(), from + BATCH))) {
                        acks.add(producer.send(KafkaMessages.toRecord(event, new TopicNames("base.", Map.of()))));
                    }
                    producer.flush();
                    for (Future<RecordMetadata> ack : acks) {
                        ack.get();
                    }
                }
            }
            double producer = log.size() / ((System.nanoTime() - started) / 1e9);
            double noOp = catchUp(dataSource, settings, new NoOp("no-op", null), head, log.size());
            double relay = catchUp(
                    dataSource,
                    settings,
                    new KafkaRelay(
                            "relay",
                            new TopicNames("relay.", Map.of()),
                            ProducerSettings.of(bootstrap),
                            RelayObserver.NONE),
                    head,
                    log.size());

            Histogram relayLatency = new Histogram(3);
            Histogram noOpLatency = new Histogram(3);
            KafkaRelay live = new KafkaRelay(
                    "live-relay",
                    new TopicNames("live.", Map.of()),
                    ProducerSettings.of(bootstrap),
                    new RelayObserver() {
                        @Override
                        public void published(List<RecordedEvent> published, Instant acknowledgedAt) {
                            record(relayLatency, published, acknowledgedAt);
                        }
                    });
            int written = 0;
            try (ProjectionEngine engine = new ProjectionEngine(
                    dataSource,
                    List.of(live, new NoOp("live-no-op", noOpLatency)),
                    settings.withPollInterval(Duration.ofSeconds(1)))) {
                engine.start();
                await(() -> engine.lag("live-relay").events() == 0
                        && engine.lag("live-no-op").events() == 0);
                relayLatency.reset();
                noOpLatency.reset();
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                for (long next = System.nanoTime(); next < until; next += interval) {
                    store.append(
                            StreamId.of("user", UUID.randomUUID()),
                            ExpectedVersion.noStream(),
                            List.of(NewEvent.of(UUID.randomUUID(), "Happened", "{\"live\": true}")));
                    engine.wakeUp(); // as the service's notifier does after each commit
                    written++;
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, next + interval - System.nanoTime()));
                }
                int total = written;
                await(() -> relayLatency.getTotalCount() >= total && noOpLatency.getTotalCount() >= total);
                live.close();
            }
            return Map.of(
                    "events", log.size(),
                    "catchUpEventsPerSecond", Map.of("producerAlone", producer, "noOpProjection", noOp, "relay", relay),
                    "latency",
                            Map.of(
                                    "appends",
                                    written,
                                    "aimedPerSecond",
                                    rate,
                                    "reachedPerSecond",
                                    written / (double) seconds,
                                    "noOpProjectionMs",
                                    Percentiles.of(noOpLatency),
                                    "relayMs",
                                    Percentiles.of(relayLatency)));
        } finally {
            broker.destroy();
        }
    }

    private static double catchUp(
            HikariDataSource dataSource,
            ProjectionSettings settings,
            Projection projection,
            Checkpoint head,
            int events)
            throws Exception {
        long started = System.nanoTime();
        try (ProjectionEngine engine = new ProjectionEngine(dataSource, List.of(projection), settings)) {
            engine.start();
            await(() ->
                    engine.status(projection.name()).orElseThrow().checkpoint().equals(head));
        } finally {
            if (projection instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        return events / ((System.nanoTime() - started) / 1e9);
    }

    private static void record(Histogram histogram, List<RecordedEvent> events, Instant at) {
        for (RecordedEvent event : events) {
            histogram.recordValue(
                    Math.max(0, Duration.between(event.recordedAt(), at).toNanos() / 1000));
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached in 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    /** Applies nothing; records, when given a histogram, each event's time from recording to its apply. */
    private record NoOp(String name, @Nullable Histogram latency) implements Projection {

        @Override
        public Set<String> eventTypes() {
            return Set.of();
        }

        @Override
        public boolean handles(String eventType) {
            return true;
        }

        @Override
        public void apply(RecordedEvent event, ProjectionTransaction transaction) {
            apply(List.of(event), transaction);
        }

        @Override
        public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) {
            if (latency != null) {
                record(latency, events, Instant.now());
            }
        }
    }
}
