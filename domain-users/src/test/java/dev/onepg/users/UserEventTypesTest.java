package dev.onepg.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.NewEvent;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserEventTypesTest {

    private static final List<UserEvent> ONE_OF_EACH = List.of(
            new UserEvent.UserCreated("ada", "ada@example.org", "hash-1"),
            new UserEvent.UsernameChanged("ada.l"),
            new UserEvent.EmailChanged("ada@lovelace.org"),
            new UserEvent.PasswordChanged("hash-2"),
            new UserEvent.UserDeleted(),
            new UserEvent.UserReverted(2, "ada", "ada@example.org"));

    @Test
    void storesEveryTypeUnderItsFixedName() {
        assertThat(ONE_OF_EACH)
                .extracting(UserEventTypes.TABLE::nameOf)
                .containsExactly(
                        "UserCreated",
                        "UsernameChanged",
                        "EmailChanged",
                        "PasswordChanged",
                        "UserDeleted",
                        "UserReverted");
        assertThat(UserEventTypes.TABLE.names()).hasSize(UserEvent.class.getPermittedSubclasses().length);
    }

    @Test
    void readsBackWhatItWrites() {
        for (UserEvent event : ONE_OF_EACH) {
            NewEvent stored = UserEventTypes.TABLE.toNew(UUID.randomUUID(), event, EventMetadata.NONE);

            assertThat(stored.schemaVersion()).isEqualTo(1);
            assertThat(UserEventTypes.TABLE.decode(stored.type(), stored.payload()))
                    .isEqualTo(event);
        }
    }

    @Test
    void writesFieldsUnderTheirStoredNames() {
        assertThat(UserEventTypes.TABLE.encode(new UserEvent.UserCreated("ada", "ada@example.org", "h")))
                .isEqualTo("{\"username\":\"ada\",\"email\":\"ada@example.org\",\"passwordHash\":\"h\"}");
        assertThat(UserEventTypes.TABLE.encode(new UserEvent.UserReverted(2, "ada", "ada@example.org")))
                .isEqualTo("{\"toVersion\":2,\"username\":\"ada\",\"email\":\"ada@example.org\"}");
        assertThat(UserEventTypes.TABLE.encode(new UserEvent.UserDeleted())).isEqualTo("{}");
    }
}
