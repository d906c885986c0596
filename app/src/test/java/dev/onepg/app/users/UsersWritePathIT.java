package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EmailTaken;
import dev.onepg.users.application.port.in.EventIdReused;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.HistoryEntry;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.RevertUser;
import dev.onepg.users.application.port.in.RevertUserUseCase;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.in.UserQueries;
import dev.onepg.users.application.port.in.VersionConflict;
import dev.onepg.users.domain.InvalidUserData;
import dev.onepg.users.domain.UserRuleViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The users write path against a real database: rules, uniqueness under races, retries, reverts. */
@SpringBootTest(classes = OnePgApplication.class)
class UsersWritePathIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    RecordUserEventUseCase users;

    @Autowired
    RevertUserUseCase reverts;

    @Autowired
    UserQueries queries;

    @Autowired
    EventStore store;

    @Test
    void storesOnlyASaltedHashOfThePassword() {
        UserId id = newUser("hashed", "hashed@example.org");

        List<RecordedEvent> events = store.read(new StreamId("user", id.toString()));
        assertThat(events.getFirst().payload()).doesNotContain("correct horse").contains("$argon2id$");
        assertThat(queries.history(id).orElseThrow().getFirst().data())
                .containsOnlyKeys("username", "email")
                .doesNotContainKey("passwordHash");
    }

    @Test
    void aRepeatedCreationIsAnsweredWithTheFirstResultAndStoresNothing() {
        UserId id = new UserId(UUID.randomUUID());
        RecordUserEvent create = create(id, UUID.randomUUID(), "again", "again@example.org");

        EventWritten first = users.record(create);
        EventWritten second = users.record(create);

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.version()).isEqualTo(first.version());
        assertThat(second.position()).isEqualTo(first.position());
        assertThat(store.read(new StreamId("user", id.toString()))).hasSize(1);
    }

    @Test
    void theSameEventIdWithOtherContentIsAConflict() {
        UserId id = new UserId(UUID.randomUUID());
        UUID eventId = UUID.randomUUID();
        users.record(create(id, eventId, "first", "first@example.org"));

        assertThatThrownBy(() -> users.record(create(id, eventId, "other", "first@example.org")))
                .isInstanceOf(EventIdReused.class);
        assertThatThrownBy(() -> users.record(new RecordUserEvent(
                        id,
                        eventId,
                        new UserChange.Create("first", "first@example.org", "another password"),
                        null,
                        Actor.NONE)))
                .isInstanceOf(EventIdReused.class);
    }

    @Test
    void twoRacingCreationsWithOneEmailCannotBothWin() throws Exception {
        int racers = 8;
        ExecutorService executor = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<EventWritten>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            int n = i;
            Callable<EventWritten> racer = () -> {
                start.await();
                return users.record(
                        create(new UserId(UUID.randomUUID()), UUID.randomUUID(), "racer" + n, "Race@Example.org"));
            };
            results.add(executor.submit(racer));
        }
        start.countDown();
        int won = 0;
        int refused = 0;
        for (Future<EventWritten> result : results) {
            try {
                result.get();
                won++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(EmailTaken.class);
                refused++;
            }
        }
        executor.shutdown();

        assertThat(won).isEqualTo(1);
        assertThat(refused).isEqualTo(racers - 1);
    }

    @Test
    void anEmailIsFreeAgainAfterItsUserChangedItOrWasDeleted() {
        UserId first = newUser("owner", "shared@example.org");
        users.record(change(first, new UserChange.ChangeEmail("elsewhere@example.org"), null));
        UserId second = newUser("taker", "shared@example.org");

        users.record(change(second, new UserChange.Delete(), null));

        assertThat(newUser("third", "SHARED@example.org")).isNotNull();
    }

    @Test
    void rulesOfTheAggregateAreEnforced() {
        UserId id = newUser("ruled", "ruled@example.org");

        assertThatThrownBy(() -> users.record(create(id, UUID.randomUUID(), "ruled", "ruled2@example.org")))
                .isInstanceOf(UserRuleViolation.class);
        assertThatThrownBy(() -> users.record(
                        change(new UserId(UUID.randomUUID()), new UserChange.ChangeUsername("ghost"), null)))
                .isInstanceOf(UserRuleViolation.class);
        assertThatThrownBy(() -> users.record(change(id, new UserChange.ChangeUsername("x"), null)))
                .isInstanceOf(InvalidUserData.class)
                .hasMessageStartingWith("username");
        assertThatThrownBy(() -> users.record(change(id, new UserChange.ChangeUsername("ruled.again"), 5L)))
                .isInstanceOf(VersionConflict.class)
                .hasMessageContaining("at version 1");

        users.record(change(id, new UserChange.Delete(), 1L));
        assertThatThrownBy(() -> users.record(change(id, new UserChange.ChangeUsername("after.death"), null)))
                .isInstanceOf(UserRuleViolation.class)
                .hasMessageContaining("deleted");
    }

    @Test
    void revertAppendsTheEarlierStateAndRespectsTheRules() {
        UserId id = newUser("before", "before@example.org");
        users.record(change(id, new UserChange.ChangeUsername("after"), 1L));
        users.record(change(id, new UserChange.ChangeEmail("after@example.org"), 2L));
        UUID revertId = UUID.randomUUID();

        EventWritten reverted = reverts.revert(new RevertUser(id, revertId, 1, null, Actor.NONE));
        EventWritten again = reverts.revert(new RevertUser(id, revertId, 1, null, Actor.NONE));

        assertThat(reverted.version()).isEqualTo(4);
        assertThat(again.replayed()).isTrue();
        List<HistoryEntry> history = queries.history(id).orElseThrow();
        assertThat(history)
                .extracting(HistoryEntry::type)
                .containsExactly("UserCreated", "UsernameChanged", "EmailChanged", "UserReverted");
        assertThat(history.getLast().data())
                .containsEntry("username", "before")
                .containsEntry("email", "before@example.org");
        assertThat(queries.findAtVersion(id, 4).orElseThrow().username()).isEqualTo("before");

        newUser("squatter", "after@example.org");
        assertThatThrownBy(() -> reverts.revert(new RevertUser(id, UUID.randomUUID(), 3, null, Actor.NONE)))
                .isInstanceOf(EmailTaken.class);
        assertThatThrownBy(() -> reverts.revert(new RevertUser(id, UUID.randomUUID(), 4, null, Actor.NONE)))
                .isInstanceOf(UserRuleViolation.class)
                .hasMessageContaining("below the user's current version 4");
    }

    private UserId newUser(String username, String email) {
        UserId id = new UserId(UUID.randomUUID());
        users.record(create(id, UUID.randomUUID(), username, email));
        return id;
    }

    private static RecordUserEvent create(UserId id, UUID eventId, String username, String email) {
        return new RecordUserEvent(
                id, eventId, new UserChange.Create(username, email, "correct horse battery"), null, Actor.NONE);
    }

    private static RecordUserEvent change(UserId id, UserChange change, Long expectedVersion) {
        return new RecordUserEvent(id, UUID.randomUUID(), change, expectedVersion, Actor.NONE);
    }
}
