package dev.onepg.eventstore.kafka;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTargetUnavailable;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every event of the global log to Kafka, as a projection: each batch is sent, flushed and
 * acknowledged by the brokers before {@link #apply} returns, so the runner moves the checkpoint only past
 * events the brokers have. After a crash the batch is published again: at least once, never a gap.
 *
 * <p>Within a stream, order holds because the stream's events share a partition and the producer is idempotent:
 * it writes one producer's records to a partition in the order they were sent, without gaps. When the brokers do
 * not acknowledge, the relay stops sending at the first failed record and closes the producer, so that no
 * record of the failed attempt is still queued when the batch is sent again (one producer's order does not
 * extend to the next one's); the runner is told that the target is unavailable and retries the batch later.
 * While the brokers are known to be down, a batch is not sent until a short probe finds them back, because the
 * runner's transaction stays open while the relay waits. A record the brokers refuse for what it is (too large,
 * an invalid topic name) is a failure like any projection's: the runner stops at that event.
 */
public final class KafkaRelay implements Projection, AutoCloseable {

    public static final String DEFAULT_NAME = "kafka-relay";

    private static final Logger log = LoggerFactory.getLogger(KafkaRelay.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final TopicNames topics;
    private final ProducerSettings settings;
    private final RelayObserver observer;
    private @Nullable Producer<String, String> producer;
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
    public void apply(RecordedEvent event, ProjectionTransaction transaction) throws ProjectionTargetUnavailable {
        apply(List.of(event), transaction);
    }

    @Override
    public synchronized void apply(List<RecordedEvent> events, ProjectionTransaction transaction)
            throws ProjectionTargetUnavailable {
        if (closed) {
            throw new ProjectionTargetUnavailable("the relay is closed", new IllegalStateException("closed"));
        }
        if (outage != null) {
            probe();
        }
        Producer<String, String> producer = producer();
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(events.size());
        AtomicReference<@Nullable Exception> firstError = new AtomicReference<>();
        try {
            // Metadata first: a send that fails on metadata would leave out one record while later ones go out.
            for (String topic : topicsOf(events)) {
                producer.partitionsFor(topic);
            }
            for (RecordedEvent event : events) {
                if (firstError.get() != null) {
                    break;
                }
                acknowledgements.add(producer.send(KafkaMessages.toRecord(event, topics), (metadata, error) -> {
                    if (error != null) {
                        firstError.compareAndSet(null, error);
                    }
                }));
            }
            producer.flush();
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get();
            }
            Exception error = firstError.get();
            if (error != null || acknowledgements.size() < events.size()) {
                throw failed(events, error != null ? error : new KafkaException("a send was not acknowledged"));
            }
        } catch (ExecutionException e) {
            throw failed(events, e.getCause() == null ? e : e.getCause());
        } catch (KafkaException e) {
            throw failed(events, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discardProducer();
            throw new ProjectionTargetUnavailable("interrupted while waiting for Kafka", e);
        }
        Instant acknowledgedAt = Instant.now();
        if (outage != null) {
            log.info("Kafka acknowledges again; relay {} publishes from its checkpoint", name);
            outage = null;
        }
        observer.published(events, acknowledgedAt);
    }

    private ProjectionTargetUnavailable failed(List<RecordedEvent> events, Throwable error) {
        discardProducer();
        if (refusesTheRecord(error)) {
            throw new KafkaRefusedEvent(
                    "Kafka refused an event of the batch from position "
                            + events.getFirst().position() + ": " + error,
                    error);
        }
        recordOutage(error);
        return new ProjectionTargetUnavailable(
                "Kafka did not acknowledge the " + events.size() + " event(s) from position "
                        + events.getFirst().position() + ": " + error,
                error);
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

    private Producer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producerConfig());
        }
        return producer;
    }

    private Admin probeClient() {
        if (probe == null) {
            probe = Admin.create(settings.adminConfig(PROBE_TIMEOUT));
        }
        return probe;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
        if (probe != null) {
            probe.close(Duration.ZERO);
            probe = null;
        }
    }
}
