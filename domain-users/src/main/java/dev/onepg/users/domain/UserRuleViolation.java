package dev.onepg.users.domain;

/** The user's current state does not allow the command. */
public final class UserRuleViolation extends RuntimeException {

    /** Which rule was broken. */
    public enum Rule {
        USER_ALREADY_EXISTS,
        USER_DOES_NOT_EXIST,
        USER_IS_DELETED,
        REVERT_TARGET_NOT_A_USER,
        REVERT_TARGET_NOT_IN_THE_PAST
    }

    private final Rule rule;

    public UserRuleViolation(Rule rule, String message) {
        super(message);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
