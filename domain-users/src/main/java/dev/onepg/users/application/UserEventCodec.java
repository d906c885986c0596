package dev.onepg.users.application;

import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEvent.EmailChanged;
import dev.onepg.users.UserEvent.PasswordChanged;
import dev.onepg.users.UserEvent.UserCreated;
import dev.onepg.users.UserEvent.UserDeleted;
import dev.onepg.users.UserEvent.UserReverted;
import dev.onepg.users.UserEvent.UsernameChanged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored JSON form of user events, written field by field so that a rename in the code never changes what
 * is stored. Schema version 1 for every type.
 */
@Component
public class UserEventCodec {

    public static final int SCHEMA_VERSION = 1;
    private static final String PASSWORD_HASH = "passwordHash";

    private final JsonMapper json = JsonMapper.builder().build();

    public String encode(UserEvent event) {
        ObjectNode node = json.createObjectNode();
        switch (event) {
            case UserCreated created ->
                node.put("username", created.username())
                        .put("email", created.email())
                        .put(PASSWORD_HASH, created.passwordHash());
            case UsernameChanged changed -> node.put("username", changed.username());
            case EmailChanged changed -> node.put("email", changed.email());
            case PasswordChanged changed -> node.put(PASSWORD_HASH, changed.passwordHash());
            case UserDeleted deleted -> {}
            case UserReverted reverted ->
                node.put("toVersion", reverted.toVersion())
                        .put("username", reverted.username())
                        .put("email", reverted.email());
        }
        return json.writeValueAsString(node);
    }

    public UserEvent decode(RecordedEvent event) {
        JsonNode data = json.readTree(event.payload());
        return switch (event.type()) {
            case "UserCreated" ->
                new UserCreated(text(data, "username"), text(data, "email"), text(data, PASSWORD_HASH));
            case "UsernameChanged" -> new UsernameChanged(text(data, "username"));
            case "EmailChanged" -> new EmailChanged(text(data, "email"));
            case "PasswordChanged" -> new PasswordChanged(text(data, PASSWORD_HASH));
            case "UserDeleted" -> new UserDeleted();
            case "UserReverted" ->
                new UserReverted(data.required("toVersion").asLong(), text(data, "username"), text(data, "email"));
            default -> throw new IllegalArgumentException("not a user event: " + event.type());
        };
    }

    public List<UserEvent> decode(List<RecordedEvent> events) {
        return events.stream().map(this::decode).toList();
    }

    /** The event's data as shown in a history: everything but the password hash. */
    public Map<String, Object> publicData(RecordedEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : json.readTree(event.payload()).properties()) {
            if (!field.getKey().equals(PASSWORD_HASH)) {
                JsonNode value = field.getValue();
                data.put(field.getKey(), value.isNumber() ? value.numberValue() : value.asString());
            }
        }
        return data;
    }

    private static String text(JsonNode data, String field) {
        return data.required(field).asString();
    }
}
