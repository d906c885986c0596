package dev.onepg.app.eventstore;

import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event store and its projections: appends wake the local runners at once and other instances through one
 * coalesced notification; the engine starts once the context (and the schema migration) is ready.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionProperties.class)
class EventStoreConfiguration {

    @Bean(destroyMethod = "close")
    ProjectionEngine projectionEngine(
            DataSource dataSource,
            List<Projection> projections,
            ProjectionProperties properties,
            MeterRegistry meterRegistry) {
        ProjectionSettings settings = ProjectionSettings.defaults()
                .withBatchSize(properties.batchSize())
                .withPollInterval(properties.pollInterval())
                .withLeaderRetryInterval(properties.leaderRetryInterval())
                .withLeaseDuration(properties.leaseDuration())
                .withStatementTimeout(properties.statementTimeout())
                .withRetries(properties.maxAttempts(), properties.firstRetryDelay());
        if (!properties.instanceId().isBlank()) {
            settings = settings.withInstanceId(properties.instanceId());
        }
        ProjectionEngine engine = new ProjectionEngine(
                dataSource, projections, settings, new MicrometerProjectionObserver(meterRegistry));
        for (String projection : engine.projectionNames()) {
            Gauge.builder(
                            "onepg.projection.lag.events",
                            engine,
                            e -> e.lag(projection).events())
                    .description("About how many events the projection has not applied yet")
                    .tag("projection", projection)
                    .register(meterRegistry);
            Gauge.builder(
                            "onepg.projection.lag.seconds",
                            engine,
                            e -> e.lag(projection).behind().toMillis() / 1000.0)
                    .description("How long ago the oldest event the projection has not applied was recorded")
                    .tag("projection", projection)
                    .register(meterRegistry);
        }
        return engine;
    }

    @Bean(destroyMethod = "close")
    CoalescingNotifier appendNotifier(
            DataSource dataSource,
            ProjectionEngine engine,
            ProjectionProperties properties,
            MeterRegistry meterRegistry) {
        CoalescingNotifier notifier =
                new CoalescingNotifier(dataSource, properties.channel(), engine::wakeUp, properties.notifyInterval());
        FunctionCounter.builder("onepg.notifications.sent", notifier, CoalescingNotifier::sent)
                .description("Notifications this instance sent after appends")
                .register(meterRegistry);
        return notifier;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "onepg.projections.enabled", matchIfMissing = true)
    NotificationListener notificationListener(
            DataSource dataSource,
            ProjectionEngine engine,
            ProjectionProperties properties,
            MeterRegistry meterRegistry) {
        NotificationListener listener =
                new NotificationListener(dataSource, properties.channel(), engine::wakeUp, Duration.ofMillis(500));
        FunctionCounter.builder("onepg.notifications.received", listener, NotificationListener::notificationsReceived)
                .description("Notifications received on the listening connection")
                .register(meterRegistry);
        return listener;
    }

    @Bean
    EventStore eventStore(DataSource dataSource, CoalescingNotifier notifier, MeterRegistry meterRegistry) {
        return new MeteredEventStore(new PostgresEventStore(dataSource, notifier), meterRegistry);
    }

    @Bean
    SmartLifecycle projectionLifecycle(ProjectionEngine engine, ProjectionProperties properties) {
        return new ProjectionLifecycle(engine, properties);
    }

    /** Starts the engine once the context (and so the schema) is ready, and stops it before the database goes. */
    static final class ProjectionLifecycle implements SmartLifecycle {

        private final ProjectionEngine engine;
        private final ProjectionProperties properties;
        private volatile boolean running;

        ProjectionLifecycle(ProjectionEngine engine, ProjectionProperties properties) {
            this.engine = engine;
            this.properties = properties;
        }

        @Override
        public void start() {
            if (properties.enabled()) {
                engine.start();
            }
            running = true;
        }

        @Override
        public void stop() {
            engine.close();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** Below the web server's phases: stopped only after in-flight requests (which may wait for it) ended. */
        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 4096;
        }
    }
}
