package dev.onepg.platform.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationRequestTest {

    @Test
    void parsesEachCommand() {
        assertThat(MigrationRequest.parse(new String[] {"migrate"})).isEqualTo(new MigrationRequest.Migrate());
        assertThat(MigrationRequest.parse(new String[] {"status"})).isEqualTo(new MigrationRequest.Status());
        assertThat(MigrationRequest.parse(new String[] {"rollback", "3"})).isEqualTo(new MigrationRequest.Rollback(3));
        assertThat(MigrationRequest.parse(new String[] {"rebase-transaction-ids"}))
                .isEqualTo(new MigrationRequest.RebaseTransactionIds());
    }

    @Test
    void rejectsRollbackWithoutAPositiveWholeCount() {
        assertThatThrownBy(() -> MigrationRequest.parse(new String[] {"rollback"}))
                .hasMessageContaining("exactly one argument");
        assertThatThrownBy(() -> MigrationRequest.parse(new String[] {"rollback", "two"}))
                .hasMessageContaining("whole number, was 'two'");
        assertThatThrownBy(() -> MigrationRequest.parse(new String[] {"rollback", "0"}))
                .hasMessageContaining("1 or more, was 0");
    }

    @Test
    void rejectsUnknownCommandsAndStrayArguments() {
        assertThatThrownBy(() -> MigrationRequest.parse(new String[] {"drop"}))
                .hasMessageContaining("Unknown db command 'drop'");
        assertThatThrownBy(() -> MigrationRequest.parse(new String[] {"migrate", "now"}))
                .hasMessageContaining("takes no arguments");
        assertThatThrownBy(() -> MigrationRequest.parse(new String[] {"rebase-transaction-ids", "3"}))
                .hasMessageContaining("takes no arguments");
        assertThatThrownBy(() -> MigrationRequest.parse(new String[0])).hasMessageContaining("Missing db command");
    }
}
