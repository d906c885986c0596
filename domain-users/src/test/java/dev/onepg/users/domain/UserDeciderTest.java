package dev.onepg.users.domain;

import static dev.onepg.users.domain.UserRuleViolation.Rule.REVERT_TARGET_NOT_A_USER;
import static dev.onepg.users.domain.UserRuleViolation.Rule.USER_ALREADY_EXISTS;
import static dev.onepg.users.domain.UserRuleViolation.Rule.USER_DOES_NOT_EXIST;
import static dev.onepg.users.domain.UserRuleViolation.Rule.USER_IS_DELETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEvent.EmailChanged;
import dev.onepg.users.UserEvent.PasswordChanged;
import dev.onepg.users.UserEvent.UserCreated;
import dev.onepg.users.UserEvent.UserDeleted;
import dev.onepg.users.UserEvent.UserReverted;
import dev.onepg.users.UserEvent.UsernameChanged;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The user's rules as specifications: given these events, when this command, then these events or this refusal. */
class UserDeciderTest {

    private static final UserCreated ADA_CREATED = new UserCreated("ada", "ada@example.org", "hash-1");
    private static final User.Active ADA = new User.Active("ada", "ada@example.org", "hash-1");

    private final UserDecider decider = new UserDecider();

    /** Every command but creation: each needs a user that exists and is not deleted. */
    static List<UserCommand> changes() {
        return List.of(
                new UserCommand.ChangeUsername(new Username("ada.l")),
                new UserCommand.ChangeEmail(new Email("ada@lovelace.org")),
                new UserCommand.ChangePassword("hash-2"),
                new UserCommand.DeleteUser(),
                new UserCommand.RevertUser(1, ADA));
    }

    private Scenario given(UserEvent... events) {
        return new Scenario(decider.fold(List.of(events)));
    }

    private record Scenario(User state) {

        When when(UserCommand command) {
            return new When(state, command);
        }
    }

    private record When(User state, UserCommand command) {

        void then(UserEvent... expected) {
            assertThat(new UserDecider().decide(command, state)).containsExactly(expected);
        }

        void thenRefuses(UserRuleViolation.Rule rule) {
            assertThatThrownBy(() -> new UserDecider().decide(command, state))
                    .isInstanceOfSatisfying(
                            UserRuleViolation.class,
                            violation -> assertThat(violation.rule()).isEqualTo(rule));
        }
    }

    @Test
    void createsAUserThatDoesNotExistYet() {
        given().when(new UserCommand.CreateUser(new Username("ada"), new Email("ada@example.org"), "hash-1"))
                .then(ADA_CREATED);
    }

    @Test
    void refusesToCreateAUserThatExists() {
        given(ADA_CREATED)
                .when(new UserCommand.CreateUser(new Username("bob"), new Email("bob@example.org"), "h"))
                .thenRefuses(USER_ALREADY_EXISTS);
    }

    @Test
    void refusesToCreateAUserThatWasDeleted() {
        given(ADA_CREATED, new UserDeleted())
                .when(new UserCommand.CreateUser(new Username("ada"), new Email("ada@example.org"), "h"))
                .thenRefuses(USER_ALREADY_EXISTS);
    }

    @ParameterizedTest
    @MethodSource("changes")
    void refusesEveryChangeToAUserThatDoesNotExist(UserCommand change) {
        given().when(change).thenRefuses(USER_DOES_NOT_EXIST);
    }

    @ParameterizedTest
    @MethodSource("changes")
    void refusesEveryChangeAfterDeletion(UserCommand change) {
        given(ADA_CREATED, new UserDeleted()).when(change).thenRefuses(USER_IS_DELETED);
    }

    @Test
    void changesTheUsername() {
        given(ADA_CREATED)
                .when(new UserCommand.ChangeUsername(new Username("ada.l")))
                .then(new UsernameChanged("ada.l"));
    }

    @Test
    void changesTheEmail() {
        given(ADA_CREATED)
                .when(new UserCommand.ChangeEmail(new Email("ada@lovelace.org")))
                .then(new EmailChanged("ada@lovelace.org"));
    }

    @Test
    void changesThePassword() {
        given(ADA_CREATED).when(new UserCommand.ChangePassword("hash-2")).then(new PasswordChanged("hash-2"));
    }

    @Test
    void deletesAUser() {
        given(ADA_CREATED).when(new UserCommand.DeleteUser()).then(new UserDeleted());
    }

    @Test
    void revertsToTheUsernameAndEmailOfAnEarlierActiveState() {
        given(ADA_CREATED, new UsernameChanged("ada.l"), new EmailChanged("ada@lovelace.org"))
                .when(new UserCommand.RevertUser(1, ADA))
                .then(new UserReverted(1, "ada", "ada@example.org"));
    }

    @Test
    void refusesToRevertToAStateThatWasNotAnActiveUser() {
        given(ADA_CREATED, new UsernameChanged("ada.l"))
                .when(new UserCommand.RevertUser(1, new User.Unborn()))
                .thenRefuses(REVERT_TARGET_NOT_A_USER);
        given(ADA_CREATED)
                .when(new UserCommand.RevertUser(2, new User.Deleted("ada", "ada@example.org")))
                .thenRefuses(REVERT_TARGET_NOT_A_USER);
    }

    @Test
    void eventsFoldIntoTheState() {
        assertThat(decider.fold(List.of(
                        ADA_CREATED,
                        new UsernameChanged("ada.l"),
                        new EmailChanged("ada@lovelace.org"),
                        new PasswordChanged("hash-2"))))
                .isEqualTo(new User.Active("ada.l", "ada@lovelace.org", "hash-2"));
        assertThat(decider.fold(List.of(ADA_CREATED, new UserDeleted())))
                .isEqualTo(new User.Deleted("ada", "ada@example.org"));
    }

    @Test
    void aRevertKeepsTheCurrentPassword() {
        User current = new User.Active("ada.l", "ada@lovelace.org", "hash-2");

        assertThat(decider.evolve(current, new UserReverted(1, "ada", "ada@example.org")))
                .isEqualTo(new User.Active("ada", "ada@example.org", "hash-2"));
    }

    @Test
    void valueObjectsNameTheFieldThatBreaksItsRule() {
        assertThatThrownBy(() -> new Username("a b"))
                .isInstanceOf(InvalidUserData.class)
                .hasMessageStartingWith("username");
        assertThatThrownBy(() -> new Username("ab")).isInstanceOf(InvalidUserData.class);
        assertThatThrownBy(() -> new Username("x".repeat(51))).isInstanceOf(InvalidUserData.class);
        assertThat(new Username("a.b_c-1").value()).isEqualTo("a.b_c-1");
        assertThatThrownBy(() -> new Email("not-an-email"))
                .isInstanceOf(InvalidUserData.class)
                .hasMessageStartingWith("email");
        assertThat(new Email("Ada@Example.org").uniqueForm()).isEqualTo("ada@example.org");
        assertThatThrownBy(() -> new Password("short"))
                .isInstanceOf(InvalidUserData.class)
                .hasMessageStartingWith("password");
        assertThatThrownBy(() -> new Password("x".repeat(129))).isInstanceOf(InvalidUserData.class);
        assertThat(new Password("x".repeat(8)).toString()).doesNotContain("xxxxxxxx");
    }
}
