package dev.onepg.platform.migration;

import dev.onepg.eventstore.postgres.TransactionIdRebase;
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
 * {@code db migrate | db rollback <count> | db status | db rebase-transaction-ids}: the schema operations an
 * operator runs without writing code, against the same database the service would use (the configured one, or
 * the embedded one).
 */
public final class MigrationCommand {

    static final String CHANGELOG = "db/changelog/master.yaml";
    private static final String USAGE = """
            Usage: onepg db <command>
              migrate            apply every pending change set
              rollback <count>   roll back the last <count> applied change sets
              status             list the change sets not applied yet
              rebase-transaction-ids
                                 after a restore into another cluster (the service refuses to start and
                                 names this command): move the stored transaction ids of events and
                                 checkpoints below this cluster's, keeping their order; stop every
                                 instance first
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
                        "onepg.transaction-id-check.enabled=false",
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
        switch (request) {
            case MigrationRequest.Migrate migrate -> {
                liquibase(dataSource, liquibase -> liquibase.update(new Contexts(), new LabelExpression()));
                out.println("Database is up to date.");
            }
            case MigrationRequest.Rollback rollback -> {
                liquibase(dataSource, liquibase -> liquibase.rollback(rollback.count(), null));
                out.println("Rolled back the last " + rollback.count() + " change set(s).");
            }
            case MigrationRequest.Status status ->
                liquibase(dataSource, liquibase -> {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    liquibase.reportStatus(true, new Contexts(), writer);
                    writer.flush();
                });
            case MigrationRequest.RebaseTransactionIds rebase -> {
                TransactionIdRebase.Result result = TransactionIdRebase.run(dataSource);
                out.println(
                        result.needed()
                                ? "Rebased the transaction ids of " + result.events() + " event(s) and "
                                        + result.checkpoints() + " checkpoint(s) into "
                                        + TransactionIdRebase.FIRST_ID + ".." + result.highestId()
                                        + ", below this cluster's. The service can start."
                                : "Every stored transaction id is below this cluster's; nothing to rebase.");
            }
        }
    }

    private interface LiquibaseWork {
        void run(Liquibase liquibase) throws Exception;
    }

    private static void liquibase(DataSource dataSource, LiquibaseWork work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            work.run(new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database));
        }
    }
}
