package dev.onepg.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** With {@code onepg.kafka.bootstrap-servers} set, the users' events written over HTTP arrive on {@code onepg.user}. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN"})
@AutoConfigureRestTestClient
@DirtiesContext
class KafkaRelayWiringIT {

    private static final EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 2, "onepg.user");

    @DynamicPropertySource
    static void databaseAndBroker(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
        broker.afterPropertiesSet();
        registry.add("onepg.kafka.bootstrap-servers", broker::getBrokersAsString);
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    RestTestClient http;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        http = TestCallers.dev(anonymous);
    }

    @Test
    void theUsersEventsArriveOnTheirTopicKeyedByUserAndTheRelayShowsInHealthAndMetrics() {
        UUID userId = UUID.randomUUID();
        UUID created = UUID.randomUUID();
        UUID renamed = UUID.randomUUID();
        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(
                        "eventId",
                        created,
                        "type",
                        "UserCreated",
                        "data",
                        Map.of("username", "ada", "email", "ada@example.org", "password", "correct horse")))
                .exchange()
                .expectStatus()
                .isCreated();
        http.post()
                .uri("/api/users/{id}/events", userId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("eventId", renamed, "type", "UsernameChanged", "data", Map.of("username", "lovelace")))
                .exchange()
                .expectStatus()
                .isCreated();

        List<ConsumerRecord<String, String>> records = consume("onepg.user", 2);

        assertThat(records).extracting(ConsumerRecord::key).containsOnly(userId.toString());
        assertThat(records)
                .extracting(record -> header(record, "event-id"))
                .containsExactly(created.toString(), renamed.toString());
        assertThat(records)
                .extracting(record -> header(record, "event-type"))
                .containsExactly("UserCreated", "UsernameChanged");
        assertThat(records.getFirst().value()).contains("ada@example.org").doesNotContain("correct horse");
        http.get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.kafka.status")
                .isEqualTo("UP")
                .jsonPath("$.components.projections.details.kafka-relay.state")
                .isEqualTo("RUNNING");
        http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectBody(String.class)
                .value(body -> assertThat(body)
                        .contains("onepg_kafka_published_total")
                        .contains("onepg_projection_lag_events{projection=\"kafka-relay\"}"));
    }

    private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
