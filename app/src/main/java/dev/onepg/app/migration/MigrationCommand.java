package dev.onepg.app.migration;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Arrays;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code db migrate | db rollback <count> | db status}: the schema operations an operator runs without writing
 * code, against the same database the service would use (the configured one, or the embedded one).
 */
public final class MigrationCommand {

    static final String CHANGELOG = "db/changelog/master.yaml";
    private static final String USAGE = """
            Usage: onepg db <command>
              migrate            apply every pending change set
              rollback <count>   roll back the last <count> applied change sets
              status             list the change sets not applied yet
            """;

    private MigrationCommand() {}

    public static boolean isRequested(String[] args) {
        return args.length > 0 && args[0].equals("db");
    }

    /** Runs the command and returns the process exit code. */
    public static int run(Class<?> application, String[] args) {
        PrintStream out = System.out;
        MigrationRequest request;
        try {
            request = MigrationRequest.parse(Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.liquibase.enabled=false",
                        "onepg.projections.enabled=false",
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .logStartupInfo(false)
                .run()) {
            execute(request, context.getBean(DataSource.class), out);
            return 0;
        } catch (Exception e) {
            System.err.println("db " + request.name() + " failed: " + e.getMessage());
            return 1;
        }
    }

    static void execute(MigrationRequest request, DataSource dataSource, PrintStream out) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            switch (request) {
                case MigrationRequest.Migrate migrate -> {
                    liquibase.update(new Contexts(), new LabelExpression());
                    out.println("Database is up to date.");
                }
                case MigrationRequest.Rollback rollback -> {
                    liquibase.rollback(rollback.count(), null);
                    out.println("Rolled back the last " + rollback.count() + " change set(s).");
                }
                case MigrationRequest.Status status -> {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    liquibase.reportStatus(true, new Contexts(), writer);
                    writer.flush();
                }
            }
        }
    }
}
