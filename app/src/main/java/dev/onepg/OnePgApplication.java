package dev.onepg;

import dev.onepg.app.migration.MigrationCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** OnePG: event sourcing and CQRS on one PostgreSQL. */
@SpringBootApplication
public class OnePgApplication {

    public static void main(String[] args) {
        if (MigrationCommand.isRequested(args)) {
            System.exit(MigrationCommand.run(OnePgApplication.class, args));
        }
        SpringApplication.run(OnePgApplication.class, args);
    }
}
