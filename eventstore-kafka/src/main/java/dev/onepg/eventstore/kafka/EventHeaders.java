package dev.onepg.eventstore.kafka;

/**
 * The headers of every message the relay publishes (values are UTF-8 text). Consumers deduplicate by
 * {@link #EVENT_ID}: delivery is at least once.
 */
public final class EventHeaders {

    public static final String EVENT_ID = "event-id";
    public static final String EVENT_TYPE = "event-type";
    public static final String STREAM_TYPE = "stream-type";
    public static final String STREAM_VERSION = "stream-version";
    public static final String GLOBAL_POSITION = "global-position";
    public static final String RECORDED_AT = "recorded-at";
    public static final String CORRELATION_ID = "correlation-id";

    private EventHeaders() {}
}
