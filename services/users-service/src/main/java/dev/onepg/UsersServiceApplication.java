package dev.onepg;

import dev.onepg.platform.migration.MigrationCommand;
import dev.onepg.users.UsersDomain;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The users domain on its own: the platform and one domain. It shares the event store's schema with the monolith,
 * so both can run on one database; leases decide which instance applies each projection.
 */
@SpringBootApplication(scanBasePackages = "dev.onepg.platform")
@Import(UsersDomain.class)
public class UsersServiceApplication {

    public static void main(String[] args) {
        if (MigrationCommand.isRequested(args)) {
            System.exit(MigrationCommand.run(UsersServiceApplication.class, args));
        }
        SpringApplication.run(UsersServiceApplication.class, args);
    }
}
