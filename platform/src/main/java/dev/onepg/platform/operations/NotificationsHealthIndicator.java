package dev.onepg.platform.operations;

import dev.onepg.eventstore.postgres.notification.NotificationListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The listening connection: DEGRADED while it is down, because projections then only poll and run late, not
 * lost.
 */
@Component("notifications")
@ConditionalOnBean(NotificationListener.class)
class NotificationsHealthIndicator extends AbstractHealthIndicator {

    private final NotificationListener listener;

    NotificationsHealthIndicator(NotificationListener listener) {
        this.listener = listener;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("received", listener.notificationsReceived())
                .withDetail("reconnects", listener.reconnects());
        if (listener.isListening()) {
            builder.up().withDetail("backendPid", listener.backendPid());
        } else {
            builder.status(ProjectionsHealthIndicator.DEGRADED)
                    .withDetail("reason", "the listening connection is down; projections fall back to polling");
        }
    }
}
