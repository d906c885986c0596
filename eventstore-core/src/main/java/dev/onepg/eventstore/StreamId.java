package dev.onepg.eventstore;

/** Names one stream: the events of one aggregate, such as {@code user/3f2c...}. */
public record StreamId(String type, String id) {

    public StreamId {
        requireText(type, "stream type");
        requireText(id, "stream id");
    }

    public static StreamId of(String type, Object id) {
        return new StreamId(type, String.valueOf(id));
    }

    @Override
    public String toString() {
        return type + "/" + id;
    }

    static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
