package dev.onepg.platform.kafka;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaRelayPropertiesTest {

    private static KafkaRelayProperties deliveringWithin(Duration timeout) {
        return new KafkaRelayProperties("localhost:9092", "onepg.", Map.of(), timeout, Map.of(), "kafka-relay");
    }

    @Test
    void acceptsADeliveryTimeoutOfHalfTheLease() {
        assertThatCode(() ->
                        deliveringWithin(Duration.ofSeconds(5)).requireDeliveryWithinHalfOf(Duration.ofSeconds(10)))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesADeliveryTimeoutLongerThanHalfTheLeaseNamingBothSettings() {
        assertThatThrownBy(() ->
                        deliveringWithin(Duration.ofSeconds(6)).requireDeliveryWithinHalfOf(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("onepg.kafka.delivery-timeout (PT6S)")
                .hasMessageContaining("onepg.projections.lease-duration (PT10S)");
    }
}
