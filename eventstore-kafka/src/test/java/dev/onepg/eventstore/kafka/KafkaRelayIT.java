package dev.onepg.eventstore.kafka;

import static dev.onepg.eventstore.kafka.RelayFixture.eventually;
import static dev.onepg.eventstore.kafka.RelayFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.OutboundProjection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamQuery;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The relay against a real PostgreSQL and an in-JVM KRaft broker: every event, in order per stream, at least once. */
class KafkaRelayIT {

    private static EmbeddedKafkaKraftBroker broker;
    private static final AtomicInteger tests = new AtomicInteger();

    private RelayFixture fixture;
    private String prefix;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @BeforeEach
    void freshDatabaseAndTopics() {
        fixture = new RelayFixture();
        prefix = "t" + tests.incrementAndGet() + ".";
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private KafkaRelay relay(TopicNames topics) {
        return fixture.track(new KafkaRelay(
                KafkaRelay.DEFAULT_NAME,
                topics,
                ProducerSettings.of(broker.getBrokersAsString()).withDeliveryTimeout(Duration.ofSeconds(5)),
                RelayObserver.NONE));
    }

    @Test
    void publishesEveryEventOfAConcurrentLoadInOrderPerStreamToTheTopicOfItsStreamType() throws Exception {
        Topics.create(broker.getBrokersAsString(), 4, prefix + "user", prefix + "orders");
        ProjectionEngine engine = fixture.start(relay(new TopicNames(prefix, Map.of("order", prefix + "orders"))));

        List<StreamId> users = fixture.appendConcurrently("user", 6, 5, 20);
        List<StreamId> orders = fixture.appendConcurrently("order", 2, 5, 20);

        List<ConsumerRecord<String, String>> userRecords =
                Topics.readAll(broker.getBrokersAsString(), List.of(prefix + "user"), 600, RelayFixture.PATIENCE);
        List<ConsumerRecord<String, String>> orderRecords =
                Topics.readAll(broker.getBrokersAsString(), List.of(prefix + "orders"), 200, RelayFixture.PATIENCE);
        assertThat(userRecords).hasSize(600);
        assertThat(orderRecords).hasSize(200);
        assertThat(Topics.asConsumed(Topics.deduplicated(userRecords)))
                .containsExactlyInAnyOrderEntriesOf(Topics.asStored(fixture.log(users)));
        assertThat(Topics.asConsumed(Topics.deduplicated(orderRecords)))
                .containsExactlyInAnyOrderEntriesOf(Topics.asStored(fixture.log(orders)));
        eventually(() -> engine.lag(KafkaRelay.DEFAULT_NAME).events() == 0);
    }

    @Test
    void carriesTheEventsPlaceAndOriginInHeadersAndItsJsonAsValue() throws Exception {
        Topics.create(broker.getBrokersAsString(), 1, prefix + "user");
        fixture.start(relay(new TopicNames(prefix, Map.of())));
        StreamId user = StreamId.of("user", UUID.randomUUID());
        fixture.store.append(
                user,
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(UUID.randomUUID(), "UserCreated", "{\"username\": \"ada\"}")
                        .withMetadata(new EventMetadata("dev", "corr-42", null, Map.of()))));
        RecordedEvent stored = fixture.store.read(user, StreamQuery.ALL).getFirst();

        ConsumerRecord<String, String> record = Topics.readAll(
                        broker.getBrokersAsString(), List.of(prefix + "user"), 1, RelayFixture.PATIENCE)
                .getFirst();

        assertThat(record.key()).isEqualTo(user.id());
        assertThat(record.value()).isEqualTo(stored.payload());
        assertThat(Topics.header(record, EventHeaders.EVENT_ID))
                .isEqualTo(stored.eventId().toString());
        assertThat(Topics.header(record, EventHeaders.EVENT_TYPE)).isEqualTo("UserCreated");
        assertThat(Topics.header(record, EventHeaders.STREAM_TYPE)).isEqualTo("user");
        assertThat(Topics.header(record, EventHeaders.STREAM_VERSION)).isEqualTo("1");
        assertThat(Topics.header(record, EventHeaders.GLOBAL_POSITION)).isEqualTo(String.valueOf(stored.position()));
        assertThat(Topics.header(record, EventHeaders.RECORDED_AT))
                .isEqualTo(stored.recordedAt().toString());
        assertThat(Topics.header(record, EventHeaders.CORRELATION_ID)).isEqualTo("corr-42");
    }

    @Test
    void aRelayKilledAfterTheAcknowledgementsButBeforeItsCheckpointRepublishesAndLosesNothing() throws Exception {
        Topics.create(broker.getBrokersAsString(), 4, prefix + "user");
        List<StreamId> streams = fixture.appendConcurrently("user", 4, 10, 10);
        KillAfterPublishing dying = new KillAfterPublishing(relay(new TopicNames(prefix, Map.of())));
        ProjectionEngine first = fixture.start(dying);
        eventually(dying.killed::get);
        assertThat(status(first, KafkaRelay.DEFAULT_NAME).checkpoint()).isEqualTo(Checkpoint.START);
        first.close(); // what is left of the dead process: its session and leader lock go

        fixture.start(relay(new TopicNames(prefix, Map.of())));
        List<ConsumerRecord<String, String>> records =
                Topics.readAll(broker.getBrokersAsString(), List.of(prefix + "user"), 400, RelayFixture.PATIENCE);

        assertThat(records).as("the killed batch of 100, and then all 400").hasSize(500);
        assertThat(records.stream().map(Topics::eventId).distinct()).hasSize(400);
        assertThat(Topics.asConsumed(Topics.deduplicated(records)))
                .containsExactlyInAnyOrderEntriesOf(Topics.asStored(fixture.log(streams)));
    }

    @Test
    void aConsumerThatDeduplicatesByEventIdEndsWithExactlyTheLogWhileWritesGoOnAcrossAKill() throws Exception {
        Topics.create(broker.getBrokersAsString(), 3, prefix + "user");
        KillAfterPublishing dying = new KillAfterPublishing(relay(new TopicNames(prefix, Map.of())));
        ProjectionEngine first = fixture.start(dying);
        List<StreamId> before = fixture.appendConcurrently("user", 4, 5, 10);
        eventually(dying.killed::get);
        first.close();
        fixture.start(relay(new TopicNames(prefix, Map.of())));
        List<StreamId> after = fixture.appendConcurrently("user", 4, 5, 10);

        List<ConsumerRecord<String, String>> records =
                Topics.readAll(broker.getBrokersAsString(), List.of(prefix + "user"), 400, RelayFixture.PATIENCE);

        Map<StreamId, List<RecordedEvent>> log = fixture.log(before);
        log.putAll(fixture.log(after));
        assertThat(records.size()).as("some events came twice").isGreaterThan(400);
        assertThat(Topics.asConsumed(Topics.deduplicated(records)))
                .containsExactlyInAnyOrderEntriesOf(Topics.asStored(log));
    }

    @Test
    void stopsAtAnEventTheBrokersRefuseForWhatItIsLikeAnyFailingProjection() throws Exception {
        Topics.create(broker.getBrokersAsString(), 1, prefix + "user");
        KafkaRelay relay = fixture.track(new KafkaRelay(
                KafkaRelay.DEFAULT_NAME,
                new TopicNames(prefix, Map.of()),
                new ProducerSettings(
                        broker.getBrokersAsString(), Duration.ofSeconds(5), Map.of("max.request.size", "2000")),
                RelayObserver.NONE));
        ProjectionEngine engine = fixture.start(relay);
        StreamId user = StreamId.of("user", UUID.randomUUID());
        fixture.append(user, 1);
        UUID first = fixture.store.read(user, StreamQuery.ALL).getFirst().eventId();
        UUID huge = UUID.randomUUID();
        fixture.store.append(
                user,
                ExpectedVersion.exactly(1),
                List.of(NewEvent.of(huge, "Happened", "{\"blob\": \"" + "x".repeat(5000) + "\"}")));

        eventually(() -> status(engine, KafkaRelay.DEFAULT_NAME).state() == ProjectionState.FAILED);

        assertThat(status(engine, KafkaRelay.DEFAULT_NAME).failedEventId()).isEqualTo(huge);
        assertThat(status(engine, KafkaRelay.DEFAULT_NAME).lastError()).contains("RecordTooLargeException");
        assertThat(relay.outage()).as("a refused record is no outage").isEmpty();
        assertThat(
                        Topics.readAll(broker.getBrokersAsString(), List.of(prefix + "user"), 1, Duration.ofSeconds(5))
                                .stream()
                                .map(Topics::eventId)
                                .distinct())
                .as("the event before it, maybe more than once")
                .containsExactly(first);
    }

    /** The relay, whose process dies after the brokers acknowledged its first batch and before its checkpoint. */
    private static final class KillAfterPublishing implements OutboundProjection {

        private final KafkaRelay relay;
        final AtomicBoolean killed = new AtomicBoolean();

        KillAfterPublishing(KafkaRelay relay) {
            this.relay = relay;
        }

        @Override
        public String name() {
            return relay.name();
        }

        @Override
        public Set<String> eventTypes() {
            return relay.eventTypes();
        }

        @Override
        public boolean handles(String eventType) {
            return relay.handles(eventType);
        }

        @Override
        public void deliver(List<RecordedEvent> events) throws Exception {
            relay.deliver(events);
            killed.set(true);
            // An Error is caught by nobody: the runner's thread ends here, before its checkpoint transaction.
            throw new ProcessKilled();
        }
    }

    private static final class ProcessKilled extends Error {}
}
