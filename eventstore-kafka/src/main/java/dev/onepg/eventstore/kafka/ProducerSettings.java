package dev.onepg.eventstore.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How the relay's producer talks to the brokers. Idempotence, {@code acks=all} and the serializers are fixed:
 * the relay's promises rest on them. Everything else (security, compression, ...) can be passed as client
 * properties.
 *
 * @param bootstrapServers the brokers to start from, {@code host:port,...}
 * @param deliveryTimeout how long a batch may wait for the brokers' acknowledgements before the relay gives up
 *     on it and retries it later; keep it well under the projections' lease duration (half of it at most), or a
 *     slow batch costs the relay its lease and is sent again by the next leader
 * @param clientProperties further producer properties
 */
public record ProducerSettings(
        String bootstrapServers, Duration deliveryTimeout, Map<String, String> clientProperties) {

    private static final Map<String, String> FIXED = Map.of(
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            "true",
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName());

    public ProducerSettings {
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("the Kafka bootstrap servers are blank");
        }
        if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the delivery timeout must be 1 s or more, was " + deliveryTimeout);
        }
        clientProperties = Map.copyOf(clientProperties);
        for (String fixed : FIXED.keySet()) {
            if (clientProperties.containsKey(fixed)) {
                throw new IllegalArgumentException("the relay sets " + fixed + " itself (" + FIXED.get(fixed)
                        + "); remove it from the client properties");
            }
        }
    }

    public static ProducerSettings of(String bootstrapServers) {
        return new ProducerSettings(bootstrapServers, Duration.ofSeconds(5), Map.of());
    }

    public ProducerSettings withDeliveryTimeout(Duration deliveryTimeout) {
        return new ProducerSettings(bootstrapServers, deliveryTimeout, clientProperties);
    }

    /** The producer's configuration: timeouts bounded by the delivery timeout, then the client properties. */
    public Map<String, Object> producerConfig() {
        long delivery = deliveryTimeout.toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "onepg-relay");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(delivery / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(delivery / 2));
        config.putAll(clientProperties);
        config.putAll(FIXED);
        return config;
    }

    /** The configuration of the admin client that checks whether the brokers are back after an outage. */
    Map<String, Object> adminConfig(Duration probeTimeout) {
        Map<String, Object> config = new HashMap<>();
        clientProperties.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("ssl.") || key.startsWith("sasl.")) {
                config.put(key, value);
            }
        });
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", "onepg-relay-probe");
        config.put("request.timeout.ms", String.valueOf(probeTimeout.toMillis()));
        config.put("default.api.timeout.ms", String.valueOf(probeTimeout.toMillis()));
        return config;
    }
}
