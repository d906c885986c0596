package dev.onepg.eventstore.kafka;

import dev.onepg.eventstore.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** An event as a Kafka message: keyed by stream id, the event's JSON as value, its place and origin as headers. */
final class KafkaMessages {

    private KafkaMessages() {}

    static ProducerRecord<String, String> toRecord(RecordedEvent event, TopicNames topics) {
        List<Header> headers = new ArrayList<>(7);
        headers.add(header(EventHeaders.EVENT_ID, event.eventId().toString()));
        headers.add(header(EventHeaders.EVENT_TYPE, event.type()));
        headers.add(header(EventHeaders.STREAM_TYPE, event.stream().type()));
        headers.add(header(EventHeaders.STREAM_VERSION, Long.toString(event.version())));
        headers.add(header(EventHeaders.GLOBAL_POSITION, Long.toString(event.position())));
        headers.add(header(EventHeaders.RECORDED_AT, event.recordedAt().toString()));
        String correlationId = event.metadata().correlationId();
        if (correlationId != null) {
            headers.add(header(EventHeaders.CORRELATION_ID, correlationId));
        }
        // No timestamp of the event's own: republishing an old log must not hand brokers records that their
        // time-based retention deletes at once. The recorded-at header carries the event's time.
        return new ProducerRecord<>(
                topics.topicFor(event.stream()), null, null, event.stream().id(), event.payload(), headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
