package dev.onepg.users.application;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.UniqueKey;
import dev.onepg.eventstore.UniqueKeys;
import dev.onepg.users.UserEvent;
import dev.onepg.users.domain.Email;
import dev.onepg.users.domain.User;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Keeps emails unique among users that are not deleted: an append claims the email its event gives the user
 * and releases the one it takes away, in the append's own transaction.
 */
final class EmailReservations implements UniqueKeys<User, UserEvent> {

    static final String SCOPE = UserEvent.EMAIL_KEY_SCOPE;

    @Override
    public AppendRequest claimAndRelease(AppendRequest request, User before, UserEvent event) {
        String current = before instanceof User.Active active ? active.email() : null;
        String next = emailAfter(event, current);
        if (Objects.equals(current, next)) {
            return request;
        }
        UniqueKey released = current == null ? null : key(current);
        UniqueKey claimed = next == null ? null : key(next);
        if (Objects.equals(released, claimed)) {
            return request;
        }
        AppendRequest result = request;
        if (released != null) {
            result = result.releasing(released);
        }
        if (claimed != null) {
            result = result.claiming(claimed);
        }
        return result;
    }

    private static @Nullable String emailAfter(UserEvent event, @Nullable String current) {
        return switch (event) {
            case UserEvent.UserCreated created -> created.email();
            case UserEvent.EmailChanged changed -> changed.email();
            case UserEvent.UserReverted reverted -> reverted.email();
            case UserEvent.UserDeleted deleted -> null;
            case UserEvent.UsernameChanged changed -> current;
            case UserEvent.PasswordChanged changed -> current;
        };
    }

    private static UniqueKey key(String email) {
        return new UniqueKey(SCOPE, new Email(email).uniqueForm());
    }
}
