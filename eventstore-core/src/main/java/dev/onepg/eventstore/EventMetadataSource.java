package dev.onepg.eventstore;

/**
 * Tells who and what causes the events written now: the authenticated actor and the request's correlation id.
 * The application provides it; writers never take these from the client's payload.
 */
@FunctionalInterface
public interface EventMetadataSource {

    EventMetadata current();
}
