package dev.onepg.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class DotEnvEnvironmentPostProcessorTest {

    @TempDir
    Path directory;

    @Test
    void variablesOfTheFileConfigureTheServiceLikeEnvironmentVariables() throws IOException {
        StandardEnvironment environment = environmentWith(Map.of());
        writeEnvFile(
                environment, "# a comment", "", "export SPRING_DATASOURCE_URL=\"jdbc:postgresql://db:5432/onepg\"");

        new DotEnvEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5432/onepg");
    }

    @Test
    void realEnvironmentVariablesWinOverTheFile() throws IOException {
        StandardEnvironment environment =
                environmentWith(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://from-shell/onepg"));
        writeEnvFile(environment, "SPRING_DATASOURCE_URL=jdbc:postgresql://from-file/onepg");

        new DotEnvEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://from-shell/onepg");
    }

    @Test
    void noFileChangesNothing() {
        StandardEnvironment environment = environmentWith(Map.of());
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "test",
                        Map.of("onepg.env-file", directory.resolve("absent").toString())));

        new DotEnvEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getPropertySources().contains(DotEnvEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
                .isFalse();
    }

    @Test
    void malformedLineIsReportedWithItsNumber() {
        assertThatThrownBy(() -> DotEnvFile.parse(List.of("A=1", "oops"), Path.of(".env")))
                .hasMessage(".env line 2: expected KEY=VALUE but found 'oops'");
    }

    private StandardEnvironment environmentWith(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return environment;
    }

    private void writeEnvFile(StandardEnvironment environment, String... lines) throws IOException {
        Path file = Files.write(directory.resolve(".env"), List.of(lines));
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("onepg.env-file", file.toString())));
    }
}
