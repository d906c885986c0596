package dev.onepg.platform.kafka;

import dev.onepg.eventstore.kafka.KafkaRelay;
import dev.onepg.eventstore.kafka.ProducerSettings;
import dev.onepg.eventstore.kafka.TopicNames;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.platform.eventstore.ProjectionProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relay runs as one more projection of the engine (so one instance publishes, from its own checkpoint); its
 * lag shows beside the other projections', its outages in the {@code kafka} health contributor.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("onepg.kafka.bootstrap-servers")
@EnableConfigurationProperties(KafkaRelayProperties.class)
class KafkaRelayConfiguration {

    @Bean(destroyMethod = "close")
    KafkaRelay kafkaRelay(
            KafkaRelayProperties properties, ProjectionProperties projections, MeterRegistry meterRegistry) {
        properties.requireDeliveryWithinHalfOf(projections.settings().leaseDuration());
        return new KafkaRelay(
                properties.relayName(),
                new TopicNames(properties.topicPrefix(), properties.topics()),
                new ProducerSettings(
                        properties.bootstrapServers(), properties.deliveryTimeout(), properties.producer()),
                new MicrometerRelayObserver(meterRegistry));
    }

    @Bean("kafka")
    KafkaRelayHealthIndicator kafkaRelayHealth(KafkaRelay relay, ProjectionEngine engine) {
        return new KafkaRelayHealthIndicator(relay, engine);
    }
}
