package dev.onepg.platform.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ProjectionPropertiesTest {

    @Test
    void unsetRunnerSettingsKeepTheRunnersOwnDefaults() {
        ProjectionSettings settings = properties(null, null, "", null).settings();

        assertThat(settings).isEqualTo(ProjectionSettings.defaults());
    }

    @Test
    void setRunnerSettingsOverrideOnlyThemselves() {
        ProjectionSettings settings = properties(7, Duration.ofSeconds(3), "blue", DataSize.ofKilobytes(64))
                .settings();

        ProjectionSettings defaults = ProjectionSettings.defaults();
        assertThat(settings.batchSize()).isEqualTo(7);
        assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.instanceId()).isEqualTo("blue");
        assertThat(settings.batchBytes()).isEqualTo(64 * 1024);
        assertThat(settings.pollInterval()).isEqualTo(defaults.pollInterval());
        assertThat(settings.maxAttempts()).isEqualTo(defaults.maxAttempts());
    }

    private static ProjectionProperties properties(
            Integer batchSize, Duration leaseDuration, String instanceId, DataSize batchBytes) {
        return new ProjectionProperties(
                true,
                batchSize,
                null,
                null,
                leaseDuration,
                null,
                null,
                null,
                "onepg_events",
                Duration.ofMillis(1),
                instanceId,
                Duration.ofMillis(200),
                null,
                null,
                batchBytes);
    }
}
