package dev.onepg.eventstore.kafka;

import dev.onepg.eventstore.OutboundProjection;
import dev.onepg.eventstore.ProjectionTargetUnavailable;
import dev.onepg.eventstore.RecordedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes every event of the global log to Kafka, as an outbound projection: {@link #deliver} sends a batch and
 * returns only once the brokers acknowledged every event of it, and the runner moves the checkpoint past the
 * batch only after that, in a transaction of its own. No database transaction is open while the relay waits for
 * the brokers. After a crash the batch is published again: at least once, never a gap.
 *
 * <p>Within a stream, order holds because the stream's events share a partition and the producer is idempotent:
 * it writes one producer's records to a partition in the order they were sent, without gaps. When the brokers do
 * not acknowledge within the delivery timeout, the relay stops sending at the first failed record and closes the
 * producer, so that no record of the failed attempt is still queued when the batch is sent again (one producer's
 * order does not extend to the next one's); the runner is told that the target is unavailable and retries the
 * batch later. While the brokers are known to be down, a batch is not sent until a short probe finds them back,
 * so that a retry costs a second, not a delivery timeout. A record the brokers refuse for what it is (too large,
 * an invalid topic name) is a failure like any projection's: the runner stops at that event.
 */
public final class KafkaRelay implements OutboundProjection, AutoCloseable {

    public static final String DEFAULT_NAME = "kafka-relay";

    private static final Logger log = LoggerFactory.getLogger(KafkaRelay.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final String name;
    private final TopicNames topics;
    private final ProducerSettings settings;
    private final RelayObserver observer;
    private @Nullable DefaultKafkaProducerFactory<String, String> producers;
    private @Nullable KafkaTemplate<String, String> template;
    private @Nullable Admin probe;
    private volatile @Nullable RelayOutage outage;
    private boolean closed;

    public KafkaRelay(String name, TopicNames topics, ProducerSettings settings, RelayObserver observer) {
        this.name = name;
        this.topics = topics;
        this.settings = settings;
        this.observer = observer;
    }

    @Override
    public String name() {
        return name;
    }

    /** None by name: the relay takes every type (see {@link #handles}). */
    @Override
    public Set<String> eventTypes() {
        return Set.of();
    }

    @Override
    public boolean handles(String eventType) {
        return true;
    }

    /** Since when the brokers have not acknowledged a batch, if they have not. */
    public Optional<RelayOutage> outage() {
        return Optional.ofNullable(outage);
    }

    @Override
    public synchronized void deliver(List<RecordedEvent> events) throws ProjectionTargetUnavailable {
        if (closed) {
            throw new ProjectionTargetUnavailable("the relay is closed", new IllegalStateException("closed"));
        }
        if (outage != null) {
            probe();
        }
        Throwable error = send(events);
        if (error != null) {
            discardProducer();
            if (error instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ProjectionTargetUnavailable("interrupted while waiting for Kafka", error);
            }
            if (refusesTheRecord(error)) {
                throw new KafkaRefusedEvent(
                        "Kafka refused an event of the batch from position "
                                + events.getFirst().position() + ": " + error,
                        error);
            }
            recordOutage(error);
            throw new ProjectionTargetUnavailable(
                    "Kafka did not acknowledge the " + events.size() + " event(s) from position "
                            + events.getFirst().position() + ": " + error,
                    error);
        }
        Instant acknowledgedAt = Instant.now();
        if (outage != null) {
            log.info("Kafka acknowledges again; relay {} publishes from its checkpoint", name);
            outage = null;
        }
        observer.published(events, acknowledgedAt);
    }

    /** Sends the batch and waits for every acknowledgement, within the delivery timeout; returns the first error. */
    private @Nullable Throwable send(List<RecordedEvent> events) {
        long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
        KafkaTemplate<String, String> template = template();
        List<CompletableFuture<SendResult<String, String>>> acknowledgements = new ArrayList<>(events.size());
        AtomicReference<@Nullable Throwable> firstError = new AtomicReference<>();
        try {
            // Metadata first: a send that fails on metadata would leave out one record while later ones go out.
            for (String topic : topicsOf(events)) {
                template.partitionsFor(topic);
            }
            for (RecordedEvent event : events) {
                if (firstError.get() != null) {
                    break;
                }
                CompletableFuture<SendResult<String, String>> acknowledgement =
                        template.send(KafkaMessages.toRecord(event, topics));
                acknowledgement.whenComplete((result, failure) -> {
                    if (failure != null) {
                        firstError.compareAndSet(null, failure);
                    }
                });
                acknowledgements.add(acknowledgement);
            }
            for (CompletableFuture<SendResult<String, String>> acknowledgement : acknowledgements) {
                acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            firstError.compareAndSet(null, e);
        } catch (InterruptedException e) {
            return e;
        }
        Throwable error = firstError.get();
        if (error == null && acknowledgements.size() < events.size()) {
            error = new KafkaException("a send was not acknowledged");
        }
        return error == null ? null : kafkaCause(error);
    }

    /** The client's own error, without the wrappers of futures and spring-kafka around it. */
    private static Throwable kafkaCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null
                && (cause instanceof ExecutionException
                        || cause instanceof CompletionException
                        || cause instanceof org.springframework.kafka.KafkaException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Set<String> topicsOf(List<RecordedEvent> events) {
        Set<String> names = new LinkedHashSet<>();
        for (RecordedEvent event : events) {
            names.add(topics.topicFor(event.stream()));
        }
        return names;
    }

    private static boolean refusesTheRecord(Throwable error) {
        return error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException
                || error instanceof InvalidRecordException
                || error instanceof SerializationException;
    }

    /** Fails fast, without opening a producer, while the brokers do not answer a short describe-cluster. */
    private void probe() throws ProjectionTargetUnavailable {
        try {
            probeClient()
                    .describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                    .nodes()
                    .get();
        } catch (ExecutionException | KafkaException e) {
            Throwable error = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            recordOutage(error);
            throw new ProjectionTargetUnavailable("Kafka is still unavailable: " + error, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionTargetUnavailable("interrupted while probing Kafka", e);
        }
    }

    private void recordOutage(Throwable error) {
        RelayOutage current = outage;
        Instant since = current == null ? Instant.now() : current.since();
        outage = new RelayOutage(since, error.toString());
        if (current == null) {
            log.warn(
                    "Kafka does not acknowledge; relay {} holds its checkpoint and retries: {}",
                    name,
                    error.toString());
        }
        observer.unavailable(error instanceof Exception exception ? exception : new KafkaException(error));
    }

    /** One producer, shared by the relay's sends, until a failed batch discards it. */
    private KafkaTemplate<String, String> template() {
        if (template == null) {
            producers = new DefaultKafkaProducerFactory<>(settings.producerConfig());
            // Closing waits for nothing: a batch is done only when acknowledged, and a failed one is sent again.
            producers.setPhysicalCloseTimeout(0);
            template = new KafkaTemplate<>(producers);
        }
        return template;
    }

    private Admin probeClient() {
        if (probe == null) {
            probe = Admin.create(settings.adminConfig(PROBE_TIMEOUT));
        }
        return probe;
    }

    private void discardProducer() {
        if (producers != null) {
            producers.destroy();
            producers = null;
            template = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        discardProducer();
        if (probe != null) {
            probe.close(Duration.ZERO);
            probe = null;
        }
    }
}
