package dev.onepg.users.adapter.in.web;

import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventMetadataSource;
import dev.onepg.users.application.port.in.Actor;
import org.springframework.stereotype.Component;

/** Who sends the current request, as the application's security and correlation filters established it. */
@Component
class RequestActor {

    private final EventMetadataSource request;

    RequestActor(EventMetadataSource request) {
        this.request = request;
    }

    Actor current() {
        EventMetadata metadata = request.current();
        return new Actor(metadata.actor(), metadata.correlationId());
    }
}
