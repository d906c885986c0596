package dev.onepg.users.adapter.out.persistence;

import static dev.onepg.db.jooq.users.Tables.CURRENT_USERS;
import static dev.onepg.db.jooq.users.Tables.USER_HISTORY;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.MappedTable;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The next users views of a blue/green rebuild: tables named like the live ones with a {@code _next} suffix,
 * written through the same jOOQ code by mapping the table names when SQL is rendered.
 */
final class NextViews {

    private static final String SUFFIX = "_next";
    private static final List<Table<?>> TABLES = List.of(CURRENT_USERS, USER_HISTORY);

    private NextViews() {}

    /** Settings that render every live view table as its next one. */
    static Settings renderingNextTables() {
        MappedSchema schema =
                new MappedSchema().withInput(CURRENT_USERS.getSchema().getName());
        for (Table<?> table : TABLES) {
            schema.withTables(new MappedTable().withInput(table.getName()).withOutput(table.getName() + SUFFIX));
        }
        return new Settings().withRenderMapping(new RenderMapping().withSchemata(schema));
    }

    static void create(DSLContext transaction) {
        drop(transaction);
        for (Table<?> table : TABLES) {
            transaction
                    .query("CREATE TABLE {0} (LIKE {1} INCLUDING ALL)", next(table), live(table))
                    .execute();
        }
    }

    static void drop(DSLContext transaction) {
        for (Table<?> table : TABLES) {
            transaction.dropTableIfExists(next(table)).execute();
        }
    }

    /** Drops the live tables and gives the next ones their names, indexes and constraints included. */
    static void promote(DSLContext transaction) {
        for (Table<?> table : TABLES) {
            String schema = table.getSchema().getName();
            transaction.dropTable(live(table)).execute();
            transaction
                    .alterTable(next(table))
                    .renameTo(DSL.name(table.getName()))
                    .execute();
            renameIndexes(transaction, schema, table.getName());
            renameConstraints(transaction, schema, table.getName());
        }
    }

    private static void renameIndexes(DSLContext transaction, String schema, String table) {
        List<String> indexes = transaction
                .select(DSL.field(DSL.name("indexname"), String.class))
                .from(DSL.table(DSL.name("pg_catalog", "pg_indexes")))
                .where(DSL.field(DSL.name("schemaname")).eq(schema))
                .and(DSL.field(DSL.name("tablename")).eq(table))
                .fetch(DSL.field(DSL.name("indexname"), String.class));
        for (String index : indexes) {
            if (index.contains(table + SUFFIX)) {
                transaction
                        .query(
                                "ALTER INDEX {0} RENAME TO {1}",
                                DSL.name(schema, index), DSL.name(index.replace(table + SUFFIX, table)))
                        .execute();
            }
        }
    }

    private static void renameConstraints(DSLContext transaction, String schema, String table) {
        List<String> constraints = transaction
                .select(DSL.field(DSL.name("c", "conname"), String.class))
                .from(DSL.table(DSL.name("pg_catalog", "pg_constraint")).as("c"))
                .join(DSL.table(DSL.name("pg_catalog", "pg_class")).as("t"))
                .on(DSL.field(DSL.name("c", "conrelid")).eq(DSL.field(DSL.name("t", "oid"))))
                .join(DSL.table(DSL.name("pg_catalog", "pg_namespace")).as("n"))
                .on(DSL.field(DSL.name("t", "relnamespace")).eq(DSL.field(DSL.name("n", "oid"))))
                .where(DSL.field(DSL.name("n", "nspname")).eq(schema))
                .and(DSL.field(DSL.name("t", "relname")).eq(table))
                .fetch(DSL.field(DSL.name("c", "conname"), String.class));
        for (String constraint : constraints) {
            if (constraint.contains(table + SUFFIX)) {
                transaction
                        .query(
                                "ALTER TABLE {0} RENAME CONSTRAINT {1} TO {2}",
                                DSL.name(schema, table),
                                DSL.name(constraint),
                                DSL.name(constraint.replace(table + SUFFIX, table)))
                        .execute();
            }
        }
    }

    private static Name live(Table<?> table) {
        return DSL.name(table.getSchema().getName(), table.getName());
    }

    private static Name next(Table<?> table) {
        return DSL.name(table.getSchema().getName(), table.getName() + SUFFIX);
    }
}
