package dev.onepg.users.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.UniqueKey;
import dev.onepg.users.UserEvent;
import dev.onepg.users.domain.User;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmailReservationsTest {

    private static final User ACTIVE = new User.Active("ada", "Ada@Example.org", "hash");

    private final EmailReservations reservations = new EmailReservations();

    @Test
    void aCreatedUserClaimsItsEmailInItsUniqueForm() {
        AppendRequest append = reservations.claimAndRelease(
                request(), new User.Unborn(), new UserEvent.UserCreated("ada", "Ada@Example.org", "hash"));

        assertThat(append.claims()).containsExactly(key("ada@example.org"));
        assertThat(append.releases()).isEmpty();
    }

    @Test
    void aChangedEmailReleasesTheOldOneAndClaimsTheNewOne() {
        AppendRequest append =
                reservations.claimAndRelease(request(), ACTIVE, new UserEvent.EmailChanged("ada@example.com"));

        assertThat(append.releases()).containsExactly(key("ada@example.org"));
        assertThat(append.claims()).containsExactly(key("ada@example.com"));
    }

    @Test
    void anEmailChangedOnlyInCaseKeepsItsKey() {
        AppendRequest append =
                reservations.claimAndRelease(request(), ACTIVE, new UserEvent.EmailChanged("ada@EXAMPLE.org"));

        assertThat(append.claims()).isEmpty();
        assertThat(append.releases()).isEmpty();
    }

    @Test
    void eventsThatLeaveTheEmailAloneClaimAndReleaseNothing() {
        for (UserEvent event : List.of(new UserEvent.UsernameChanged("bea"), new UserEvent.PasswordChanged("other"))) {
            AppendRequest append = reservations.claimAndRelease(request(), ACTIVE, event);

            assertThat(append.claims()).as("%s", event).isEmpty();
            assertThat(append.releases()).as("%s", event).isEmpty();
        }
    }

    @Test
    void aDeletedUserReleasesItsEmail() {
        AppendRequest append = reservations.claimAndRelease(request(), ACTIVE, new UserEvent.UserDeleted());

        assertThat(append.releases()).containsExactly(key("ada@example.org"));
        assertThat(append.claims()).isEmpty();
    }

    private static AppendRequest request() {
        return AppendRequest.of(
                new StreamId("user", UUID.randomUUID().toString()),
                ExpectedVersion.exactly(1),
                List.of(NewEvent.of(UUID.randomUUID(), "UsernameChanged", "{}")));
    }

    private static UniqueKey key(String value) {
        return new UniqueKey(EmailReservations.SCOPE, value);
    }
}
