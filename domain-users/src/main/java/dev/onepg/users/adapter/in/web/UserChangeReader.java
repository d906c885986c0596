package dev.onepg.users.adapter.in.web;

import dev.onepg.contracts.users.model.RecordUserEventRequest;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.domain.InvalidUserData;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads the {@code data} of a recorded event by its type, naming any field that is missing, extra or not text. */
final class UserChangeReader {

    private UserChangeReader() {}

    static UserChange read(RecordUserEventRequest.TypeEnum type, Map<String, Object> data) {
        return switch (type) {
            case USER_CREATED -> {
                expectFields(type, data, Set.of("username", "email", "password"));
                yield new UserChange.Create(text(data, "username"), text(data, "email"), text(data, "password"));
            }
            case USERNAME_CHANGED -> {
                expectFields(type, data, Set.of("username"));
                yield new UserChange.ChangeUsername(text(data, "username"));
            }
            case EMAIL_CHANGED -> {
                expectFields(type, data, Set.of("email"));
                yield new UserChange.ChangeEmail(text(data, "email"));
            }
            case PASSWORD_CHANGED -> {
                expectFields(type, data, Set.of("password"));
                yield new UserChange.ChangePassword(text(data, "password"));
            }
            case USER_DELETED -> {
                expectFields(type, data, Set.of());
                yield new UserChange.Delete();
            }
        };
    }

    private static void expectFields(
            RecordUserEventRequest.TypeEnum type, Map<String, Object> data, Set<String> fields) {
        Set<String> unknown = new TreeSet<>(data.keySet());
        unknown.removeAll(fields);
        if (!unknown.isEmpty()) {
            throw new InvalidUserData(
                    "data." + unknown.iterator().next(),
                    "is not a field of " + type.getValue() + " (its fields: "
                            + (fields.isEmpty() ? "none" : String.join(", ", new TreeSet<>(fields))) + ")");
        }
        for (String field : new TreeSet<>(fields)) {
            if (!data.containsKey(field) || data.get(field) == null) {
                throw new InvalidUserData("data." + field, "is required for " + type.getValue());
            }
        }
    }

    private static String text(Map<String, Object> data, String field) {
        if (!(data.get(field) instanceof String value)) {
            throw new InvalidUserData("data." + field, "must be a string");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidUserData("data." + field, "must not contain the NUL character (U+0000)");
        }
        return value;
    }
}
