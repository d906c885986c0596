package dev.onepg.eventstore.kafka;

/** The brokers refused a record for what it is; sending it again cannot help, so the relay stops at it. */
public final class KafkaRefusedEvent extends RuntimeException {

    KafkaRefusedEvent(String message, Throwable cause) {
        super(message, cause);
    }
}
