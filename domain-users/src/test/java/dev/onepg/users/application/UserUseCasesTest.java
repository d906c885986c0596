package dev.onepg.users.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.ForwardingEventStore;
import dev.onepg.eventstore.InMemoryEventStore;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EmailTaken;
import dev.onepg.users.application.port.in.EventIdReused;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RevertUser;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.in.VersionConflict;
import dev.onepg.users.application.port.out.PasswordHasher;
import dev.onepg.users.domain.InvalidUserData;
import dev.onepg.users.domain.Password;
import dev.onepg.users.domain.UserRuleViolation;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The users' write use cases against the in-memory event store: what they store, and what they refuse. */
class UserUseCasesTest {

    /** Salts every hash afresh, like the real hasher, so that a repeat can only be told by checking. */
    private static final class CountingHasher implements PasswordHasher {
        final AtomicInteger hashes = new AtomicInteger();

        @Override
        public String hash(Password password) {
            return "salt-" + hashes.incrementAndGet() + ":" + password.value();
        }

        @Override
        public boolean matches(String password, String hash) {
            return hash.substring(hash.indexOf(':') + 1).equals(password);
        }
    }

    /** Lets another writer append to the user's stream just before the first append of the use case. */
    private static final class RacedOnce extends ForwardingEventStore {
        private boolean raced;

        RacedOnce(EventStore store) {
            super(store);
        }

        @Override
        public AppendResult append(AppendRequest request) {
            if (!raced) {
                raced = true;
                delegate()
                        .append(
                                request.stream(),
                                ExpectedVersion.any(),
                                List.of(UserEventTypes.TABLE.toNew(
                                        UUID.randomUUID(),
                                        new UserEvent.UsernameChanged("racer"),
                                        EventMetadata.NONE)));
            }
            return super.append(request);
        }
    }

    /** Each handler remembers states, as in the service: the use cases' answers must not depend on it. */
    private static final UsersProperties REMEMBERING = new UsersProperties(Duration.ofSeconds(5), 100);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final CountingHasher hasher = new CountingHasher();
    private final RecordUserEventService users =
            new RecordUserEventService(new UserCommands(store, REMEMBERING), hasher);
    private final RevertUserService reverts = new RevertUserService(new UserCommands(store, REMEMBERING));

    private static RecordUserEvent record(UserId id, UUID eventId, UserChange change, @Nullable Long expected) {
        return new RecordUserEvent(id, eventId, change, expected, Actor.NONE);
    }

    private UserId created(String username, String email) {
        UserId id = new UserId(UUID.randomUUID());
        users.record(record(id, UUID.randomUUID(), new UserChange.Create(username, email, "correct horse"), null));
        return id;
    }

    private List<UserEvent> eventsOf(UserId id) {
        return UserEventTypes.TABLE.decode(store.read(UserStreams.of(id)));
    }

    @Test
    void createsAUserWithItsHashedPasswordAndTheCallerAsActor() {
        UserId id = new UserId(UUID.randomUUID());

        EventWritten written = users.record(new RecordUserEvent(
                id,
                UUID.randomUUID(),
                new UserChange.Create("ada", "ada@example.org", "correct horse"),
                null,
                new Actor("admin", "req-1")));

        assertThat(written.version()).isEqualTo(1);
        assertThat(written.replayed()).isFalse();
        assertThat(eventsOf(id))
                .containsExactly(new UserEvent.UserCreated("ada", "ada@example.org", "salt-1:correct horse"));
        RecordedEvent stored = store.read(UserStreams.of(id)).getFirst();
        assertThat(stored.metadata().actor()).isEqualTo("admin");
        assertThat(stored.metadata().correlationId()).isEqualTo("req-1");
    }

    @Test
    void hashesThePasswordOnceEvenWhenARaceMakesItDecideAgain() {
        UserId id = created("ada", "ada@example.org");
        var raced = new RecordUserEventService(new UserCommands(new RacedOnce(store), REMEMBERING), hasher);

        EventWritten written =
                raced.record(record(id, UUID.randomUUID(), new UserChange.ChangePassword("battery staple"), null));

        assertThat(written.version()).isEqualTo(3);
        assertThat(hasher.hashes).as("one for the creation, one for the change").hasValue(2);
        assertThat(eventsOf(id)).endsWith(new UserEvent.PasswordChanged("salt-2:battery staple"));
    }

    @Test
    void answersARetriedRequestWithItsFirstResult() {
        UserId id = new UserId(UUID.randomUUID());
        UUID eventId = UUID.randomUUID();
        var create = record(id, eventId, new UserChange.Create("ada", "ada@example.org", "correct horse"), null);

        EventWritten first = users.record(create);
        EventWritten again = users.record(create);

        assertThat(again.replayed()).isTrue();
        assertThat(again.version()).isEqualTo(first.version());
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(eventsOf(id)).hasSize(1);
    }

    @Test
    void refusesAnEventIdReusedForOtherContent() {
        UserId id = new UserId(UUID.randomUUID());
        UUID eventId = UUID.randomUUID();
        users.record(record(id, eventId, new UserChange.Create("ada", "ada@example.org", "correct horse"), null));

        assertThatThrownBy(() -> users.record(
                        record(id, eventId, new UserChange.Create("ada", "ada@example.org", "other password"), null)))
                .isInstanceOfSatisfying(
                        EventIdReused.class, e -> assertThat(e.eventId()).isEqualTo(eventId));
        assertThat(eventsOf(id)).hasSize(1);
    }

    @Test
    void refusesAStaleExpectedVersionWithTheCurrentOne() {
        UserId id = created("ada", "ada@example.org");

        assertThatThrownBy(() -> users.record(record(id, UUID.randomUUID(), new UserChange.Delete(), 0L)))
                .isInstanceOfSatisfying(
                        VersionConflict.class,
                        e -> assertThat(e.currentVersion()).isEqualTo(1));
        assertThat(eventsOf(id)).hasSize(1);
    }

    @Test
    void keepsEmailsUniqueRegardlessOfCase() {
        created("ada", "ada@example.org");

        assertThatThrownBy(() -> created("ada2", "ADA@example.org"))
                .isInstanceOfSatisfying(
                        EmailTaken.class, e -> assertThat(e.email()).isEqualTo("ada@example.org"));
    }

    @Test
    void releasesAnEmailWhenItIsChangedOrItsUserDeleted() {
        UserId ada = created("ada", "ada@example.org");
        UserId bob = created("bob", "bob@example.org");

        users.record(record(ada, UUID.randomUUID(), new UserChange.ChangeEmail("ada@lovelace.org"), null));
        users.record(record(bob, UUID.randomUUID(), new UserChange.Delete(), null));

        created("ada2", "ada@example.org");
        created("bob2", "bob@example.org");
        assertThatThrownBy(() -> created("ada3", "ada@lovelace.org")).isInstanceOf(EmailTaken.class);
    }

    @Test
    void refusesBadFieldsBeforeReadingOrHashing() {
        UserId id = new UserId(UUID.randomUUID());

        assertThatThrownBy(() -> users.record(record(
                        id, UUID.randomUUID(), new UserChange.Create("ada", "not-an-email", "correct horse"), null)))
                .isInstanceOf(InvalidUserData.class)
                .hasMessageStartingWith("email");
        assertThat(hasher.hashes).hasValue(0);
        assertThat(eventsOf(id)).isEmpty();
    }

    @Test
    void revertsToAnEarlierStateAndAnswersItsRetry() {
        UserId id = created("ada", "ada@example.org");
        users.record(record(id, UUID.randomUUID(), new UserChange.ChangeUsername("ada.l"), 1L));
        users.record(record(id, UUID.randomUUID(), new UserChange.ChangeEmail("ada@lovelace.org"), 2L));
        UUID revertId = UUID.randomUUID();

        EventWritten reverted = reverts.revert(new RevertUser(id, revertId, 1, null, Actor.NONE));
        EventWritten again = reverts.revert(new RevertUser(id, revertId, 1, null, Actor.NONE));

        assertThat(reverted.version()).isEqualTo(4);
        assertThat(again.replayed()).isTrue();
        assertThat(eventsOf(id)).endsWith(new UserEvent.UserReverted(1, "ada", "ada@example.org"));
        assertThatThrownBy(() -> created("ada2", "ada@example.org")).isInstanceOf(EmailTaken.class);
    }

    @Test
    void refusesARevertToTheCurrentVersionOrLater() {
        UserId id = created("ada", "ada@example.org");

        assertThatThrownBy(() -> reverts.revert(new RevertUser(id, UUID.randomUUID(), 1, null, Actor.NONE)))
                .isInstanceOfSatisfying(
                        UserRuleViolation.class,
                        e -> assertThat(e.rule()).isEqualTo(UserRuleViolation.Rule.REVERT_TARGET_NOT_IN_THE_PAST));
        assertThatThrownBy(() -> reverts.revert(new RevertUser(id, UUID.randomUUID(), 0, null, Actor.NONE)))
                .isInstanceOf(InvalidUserData.class);
    }
}
