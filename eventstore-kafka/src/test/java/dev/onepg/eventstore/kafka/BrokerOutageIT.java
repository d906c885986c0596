package dev.onepg.eventstore.kafka;

import static dev.onepg.eventstore.kafka.RelayFixture.eventually;
import static dev.onepg.eventstore.kafka.RelayFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A broker that is down holds the relay back, visibly and without limit, and the relay loses nothing: the broker
 * starts only in the middle of the test, and then answers at the address the relay has been calling all along.
 */
class BrokerOutageIT {

    private static final String BROKEN = "fire-and-forget";

    private final RelayFixture fixture = new RelayFixture();
    private EmbeddedKafkaKraftBroker broker;

    @AfterEach
    void close() throws Exception {
        fixture.close();
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void aBrokerThatIsDownHoldsTheRelayBackAndOnceUpReceivesEveryEvent() throws Exception {
        LatePort late = fixture.track(new LatePort());
        String bootstrap = late.address();
        AtomicInteger unavailable = new AtomicInteger();
        KafkaRelay relay = fixture.track(new KafkaRelay(
                KafkaRelay.DEFAULT_NAME,
                new TopicNames("onepg.", Map.of()),
                ProducerSettings.of(bootstrap).withDeliveryTimeout(Duration.ofSeconds(2)),
                new RelayObserver() {
                    @Override
                    public void unavailable(Exception error) {
                        unavailable.incrementAndGet();
                    }
                }));
        // Planted beside it: a relay that does not wait for the acknowledgements. The test must catch its loss.
        FireAndForget broken = fixture.track(new FireAndForget(bootstrap));
        ProjectionEngine engine = fixture.start(relay, broken);

        List<StreamId> streams = fixture.appendConcurrently("user", 4, 5, 5);
        int maxAttempts = RelayFixture.settings().maxAttempts();
        eventually(() -> unavailable.get() > maxAttempts);

        assertThat(status(engine, KafkaRelay.DEFAULT_NAME).state())
                .as("an unavailable broker is no poisoned event")
                .isEqualTo(ProjectionState.RUNNING);
        assertThat(status(engine, KafkaRelay.DEFAULT_NAME).checkpoint()).isEqualTo(Checkpoint.START);
        assertThat(engine.lag(KafkaRelay.DEFAULT_NAME).events()).isEqualTo(100);
        assertThat(relay.outage())
                .hasValueSatisfying(outage -> assertThat(outage.lastError()).contains("TimeoutException"));
        eventually(() -> status(engine, BROKEN).checkpoint().isAfter(Checkpoint.START));

        broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.afterPropertiesSet();
        late.forwardTo(broker.getBrokersAsString());

        eventually(() -> engine.lag(KafkaRelay.DEFAULT_NAME).events() == 0, Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> records =
                Topics.readAll(bootstrap, List.of("onepg.user"), 100, RelayFixture.PATIENCE);
        assertThat(Topics.asConsumed(Topics.deduplicated(records)))
                .containsExactlyInAnyOrderEntriesOf(Topics.asStored(fixture.log(streams)));
        assertThat(relay.outage()).isEmpty();
        assertThat(status(engine, KafkaRelay.DEFAULT_NAME).state()).isEqualTo(ProjectionState.RUNNING);

        assertThat(Topics.readAll(bootstrap, List.of("broken.user"), 100, Duration.ofSeconds(3)))
                .as("the planted relay moved its checkpoint past events the broker never had")
                .hasSizeLessThan(100);
    }

    /** The broken variant: sends and moves on without waiting for the brokers. */
    private static final class FireAndForget implements Projection, AutoCloseable {

        private final Producer<String, String> producer;

        FireAndForget(String bootstrap) {
            Map<String, Object> config = new HashMap<>(ProducerSettings.of(bootstrap)
                    .withDeliveryTimeout(Duration.ofSeconds(2))
                    .producerConfig());
            config.put("max.block.ms", "20");
            this.producer = new KafkaProducer<>(config);
        }

        @Override
        public String name() {
            return BROKEN;
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
        public void apply(RecordedEvent event, ProjectionTransaction transaction) {
            producer.send(KafkaMessages.toRecord(event, new TopicNames("broken.", Map.of())));
        }

        @Override
        public void close() {
            producer.close(Duration.ZERO);
        }
    }
}
