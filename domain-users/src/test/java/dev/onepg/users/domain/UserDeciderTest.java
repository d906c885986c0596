package dev.onepg.users.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEvent.EmailChanged;
import dev.onepg.users.UserEvent.UserCreated;
import dev.onepg.users.UserEvent.UserDeleted;
import dev.onepg.users.UserEvent.UserReverted;
import dev.onepg.users.UserEvent.UsernameChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserDeciderTest {

    private final UserDecider decider = new UserDecider();
    private final User.Active ada = new User.Active("ada", "ada@example.org", "hash-1");

    @Test
    void createsAUserThatDoesNotExistYet() {
        List<UserEvent> events = decider.decide(
                new UserCommand.CreateUser(new Username("ada"), new Email("ada@example.org"), "hash-1"),
                decider.initialState());

        assertThat(events).containsExactly(new UserCreated("ada", "ada@example.org", "hash-1"));
        assertThat(decider.fold(events)).isEqualTo(ada);
    }

    @Test
    void refusesToCreateAUserTwice() {
        assertThatThrownBy(() -> decider.decide(
                        new UserCommand.CreateUser(new Username("bob"), new Email("bob@example.org"), "h"), ada))
                .isInstanceOf(UserRuleViolation.class)
                .extracting(e -> ((UserRuleViolation) e).rule())
                .isEqualTo(UserRuleViolation.Rule.USER_ALREADY_EXISTS);
    }

    @Test
    void refusesChangesToAUserThatDoesNotExist() {
        assertThatThrownBy(() ->
                        decider.decide(new UserCommand.ChangeUsername(new Username("ada")), decider.initialState()))
                .isInstanceOf(UserRuleViolation.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesEverythingAfterDeletion() {
        User deleted = decider.fold(List.of(new UserCreated("ada", "ada@example.org", "h"), new UserDeleted()));

        assertThat(deleted).isEqualTo(new User.Deleted("ada", "ada@example.org"));
        assertThatThrownBy(() -> decider.decide(new UserCommand.DeleteUser(), deleted))
                .isInstanceOf(UserRuleViolation.class)
                .hasMessageContaining("deleted");
        assertThatThrownBy(() -> decider.decide(new UserCommand.ChangeEmail(new Email("new@example.org")), deleted))
                .isInstanceOf(UserRuleViolation.class);
    }

    @Test
    void changesFoldIntoTheState() {
        User state = decider.fold(List.of(
                new UserCreated("ada", "ada@example.org", "h"),
                new UsernameChanged("ada.l"),
                new EmailChanged("ada@lovelace.org")));

        assertThat(state).isEqualTo(new User.Active("ada.l", "ada@lovelace.org", "h"));
    }

    @Test
    void revertBringsBackTheEarlierUsernameAndEmail() {
        User current = new User.Active("ada.l", "ada@lovelace.org", "hash-2");

        List<UserEvent> events = decider.decide(new UserCommand.RevertUser(1, ada), current);

        assertThat(events).containsExactly(new UserReverted(1, "ada", "ada@example.org"));
        assertThat(decider.evolve(current, events.getFirst()))
                .as("the password is not rolled back")
                .isEqualTo(new User.Active("ada", "ada@example.org", "hash-2"));
    }

    @Test
    void refusesToRevertToAStateThatWasNotAnActiveUser() {
        assertThatThrownBy(() ->
                        decider.decide(new UserCommand.RevertUser(2, new User.Deleted("ada", "ada@example.org")), ada))
                .isInstanceOf(UserRuleViolation.class)
                .hasMessageContaining("version 2");
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
