package dev.onepg;

import dev.onepg.platform.migration.MigrationCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The monolith: the platform and every domain in one process. It scans only the platform and its own wiring; the
 * domains come in through {@code dev.onepg.app.MonolithDomains}.
 */
@SpringBootApplication(scanBasePackages = {"dev.onepg.platform", "dev.onepg.app"})
public class OnePgApplication {

    public static void main(String[] args) {
        if (MigrationCommand.isRequested(args)) {
            System.exit(MigrationCommand.run(OnePgApplication.class, args));
        }
        SpringApplication.run(OnePgApplication.class, args);
    }
}
