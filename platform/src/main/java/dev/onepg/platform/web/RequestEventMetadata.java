package dev.onepg.platform.web;

import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventMetadataSource;
import java.util.Map;
import org.slf4j.MDC;

/** The metadata of events written by the current request: its correlation id and the caller. */
class RequestEventMetadata implements EventMetadataSource {

    private final CurrentActor actor;

    RequestEventMetadata(CurrentActor actor) {
        this.actor = actor;
    }

    @Override
    public EventMetadata current() {
        return new EventMetadata(actor.name(), MDC.get(CorrelationIdFilter.MDC_KEY), null, Map.of());
    }
}
