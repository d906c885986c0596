package dev.onepg.eventstore.kafka;

import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Creates topics and reads them back whole, as a consumer would. */
final class Topics {

    private Topics() {}

    static void create(String bootstrapServers, int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, partitions, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
        }
    }

    /** Every record of the topics, polled until {@code expected} distinct events arrived or time is up. */
    static List<ConsumerRecord<String, String>> readAll(
            String bootstrapServers, Collection<String> topics, int expected, Duration patience) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            long deadline = System.nanoTime() + patience.toNanos();
            List<TopicPartition> partitions = partitions(consumer, topics, deadline);
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Duplicates (at least once) do not count: read until this many distinct events have come.
            Set<UUID> distinct = new HashSet<>();
            while (distinct.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                    distinct.add(eventId(record));
                }
            }
            // A little longer, to see records beyond the expected ones too.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    /**
     * The partitions of the topics that exist. A consumer's first metadata can come without a topic that was created
     * a moment before (after a broker restart, for instance), so an empty answer is asked again until the deadline.
     */
    private static List<TopicPartition> partitions(
            KafkaConsumer<String, String> consumer, Collection<String> topics, long deadline) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            while (found.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
                }
                found = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            }
            found.forEach(partition -> partitions.add(new TopicPartition(topic, partition.partition())));
        }
        return partitions;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new AssertionError("record without header " + name + ": " + record);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    static UUID eventId(ConsumerRecord<?, ?> record) {
        return UUID.fromString(header(record, EventHeaders.EVENT_ID));
    }

    /**
     * What a consumer that deduplicates by event id ends with: per stream (stream type header and key), the
     * first record of each event id, in the order they arrived.
     */
    static Map<StreamId, List<ConsumerRecord<String, String>>> deduplicated(
            List<ConsumerRecord<String, String>> records) {
        Set<UUID> seen = new HashSet<>();
        Map<StreamId, List<ConsumerRecord<String, String>>> byStream = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (seen.add(eventId(record))) {
                StreamId stream = new StreamId(header(record, EventHeaders.STREAM_TYPE), record.key());
                byStream.computeIfAbsent(stream, ignored -> new ArrayList<>()).add(record);
            }
        }
        return byStream;
    }

    /** The log in the shape a deduplicating consumer sees it: per stream, event id and JSON in stream order. */
    static Map<StreamId, List<String>> asConsumed(Map<StreamId, List<ConsumerRecord<String, String>>> byStream) {
        Map<StreamId, List<String>> shape = new LinkedHashMap<>();
        byStream.forEach((stream, records) -> shape.put(
                stream,
                records.stream()
                        .map(record -> eventId(record) + " " + header(record, EventHeaders.STREAM_VERSION) + " "
                                + record.value())
                        .toList()));
        return shape;
    }

    static Map<StreamId, List<String>> asStored(Map<StreamId, List<RecordedEvent>> log) {
        Map<StreamId, List<String>> shape = new LinkedHashMap<>();
        log.forEach((stream, events) -> shape.put(
                stream,
                events.stream()
                        .map(event -> event.eventId() + " " + event.version() + " " + event.payload())
                        .toList()));
        return shape;
    }
}
