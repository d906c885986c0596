package dev.onepg.users;

import static dev.onepg.eventstore.EventTypes.entry;

import dev.onepg.eventstore.EventTypes;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.users.UserEvent.EmailChanged;
import dev.onepg.users.UserEvent.PasswordChanged;
import dev.onepg.users.UserEvent.UserCreated;
import dev.onepg.users.UserEvent.UserDeleted;
import dev.onepg.users.UserEvent.UserReverted;
import dev.onepg.users.UserEvent.UsernameChanged;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one table of the users' event types: the name each is stored under, its record, and its stored JSON,
 * written field by field. The names are fixed here, so that renaming a record never changes what is stored; a
 * record without an entry stops the table from being built. Schema version 1 for every type.
 */
public final class UserEventTypes {

    public static final int SCHEMA_VERSION = 1;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USERNAME = "username";
    private static final String EMAIL = "email";
    private static final String PASSWORD_HASH = "passwordHash";
    private static final String TO_VERSION = "toVersion";

    public static final EventTypes<UserEvent> TABLE = new EventTypes<>(
            UserEvent.class,
            SCHEMA_VERSION,
            entry(
                    "UserCreated",
                    UserCreated.class,
                    event -> json(node -> node.put(USERNAME, event.username())
                            .put(EMAIL, event.email())
                            .put(PASSWORD_HASH, event.passwordHash())),
                    read(data -> new UserCreated(text(data, USERNAME), text(data, EMAIL), text(data, PASSWORD_HASH)))),
            entry(
                    "UsernameChanged",
                    UsernameChanged.class,
                    event -> json(node -> node.put(USERNAME, event.username())),
                    read(data -> new UsernameChanged(text(data, USERNAME)))),
            entry(
                    "EmailChanged",
                    EmailChanged.class,
                    event -> json(node -> node.put(EMAIL, event.email())),
                    read(data -> new EmailChanged(text(data, EMAIL)))),
            entry(
                    "PasswordChanged",
                    PasswordChanged.class,
                    event -> json(node -> node.put(PASSWORD_HASH, event.passwordHash())),
                    read(data -> new PasswordChanged(text(data, PASSWORD_HASH)))),
            entry("UserDeleted", UserDeleted.class, event -> json(node -> {}), read(data -> new UserDeleted())),
            entry(
                    "UserReverted",
                    UserReverted.class,
                    event -> json(node -> node.put(TO_VERSION, event.toVersion())
                            .put(USERNAME, event.username())
                            .put(EMAIL, event.email())),
                    read(data -> new UserReverted(
                            data.required(TO_VERSION).asLong(), text(data, USERNAME), text(data, EMAIL)))));

    private UserEventTypes() {}

    /** The event's data as shown in a history: everything but the password hash. */
    public static Map<String, Object> publicData(RecordedEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : JSON.readTree(event.payload()).properties()) {
            if (!field.getKey().equals(PASSWORD_HASH)) {
                JsonNode value = field.getValue();
                data.put(field.getKey(), value.isNumber() ? value.numberValue() : value.asString());
            }
        }
        return data;
    }

    private static String json(Consumer<ObjectNode> fields) {
        ObjectNode node = JSON.createObjectNode();
        fields.accept(node);
        return JSON.writeValueAsString(node);
    }

    private static <T> Function<String, T> read(Function<JsonNode, T> fields) {
        return payload -> fields.apply(JSON.readTree(payload));
    }

    private static String text(JsonNode data, String field) {
        return data.required(field).asString();
    }
}
