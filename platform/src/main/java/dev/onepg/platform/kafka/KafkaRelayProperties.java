package dev.onepg.platform.kafka;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay that publishes every event to Kafka; off unless {@code bootstrapServers} is set.
 *
 * @param bootstrapServers the brokers, {@code host:port,...}
 * @param topicPrefix the topic of a stream type is this prefix and the type ({@code onepg.user})
 * @param topics topics named for stream types, where the prefix is not wanted
 * @param deliveryTimeout how long a batch waits for the brokers before the relay retries it later; at most half
 *     the projections' lease duration
 * @param producer further Kafka producer properties (security, compression, ...); idempotence, acks and the
 *     serializers are the relay's own
 * @param relayName the name its checkpoint is kept under
 */
@ConfigurationProperties("onepg.kafka")
record KafkaRelayProperties(
        String bootstrapServers,
        @DefaultValue("onepg.") String topicPrefix,
        @DefaultValue Map<String, String> topics,
        @DefaultValue("5s") Duration deliveryTimeout,
        @DefaultValue Map<String, String> producer,
        @DefaultValue("kafka-relay") String relayName) {

    /**
     * A delivery that outlasts the relay's lease costs it the leadership mid-batch, and the next leader sends the
     * batch again: refused at start-up, where the setting is made, rather than found as duplicates later.
     */
    void requireDeliveryWithinHalfOf(Duration leaseDuration) {
        if (deliveryTimeout.multipliedBy(2).compareTo(leaseDuration) > 0) {
            throw new IllegalStateException("onepg.kafka.delivery-timeout (" + deliveryTimeout
                    + ") must be at most half of onepg.projections.lease-duration (" + leaseDuration
                    + "): a delivery that outlasts the lease costs the relay its leadership and repeats the batch");
        }
    }
}
