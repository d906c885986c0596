package dev.onepg.eventstore.kafka;

import dev.onepg.eventstore.StreamId;
import java.util.Map;

/**
 * Which topic the events of a stream type go to: the one named for it, or the prefix followed by the type
 * ({@code onepg.user} for {@code user}).
 */
public record TopicNames(String prefix, Map<String, String> byStreamType) {

    public static final TopicNames DEFAULT = new TopicNames("onepg.", Map.of());

    public TopicNames {
        byStreamType = Map.copyOf(byStreamType);
        byStreamType.forEach((type, topic) -> {
            if (topic.isBlank()) {
                throw new IllegalArgumentException("the topic of stream type " + type + " is blank");
            }
        });
    }

    public String topicFor(StreamId stream) {
        return byStreamType.getOrDefault(stream.type(), prefix + stream.type());
    }
}
