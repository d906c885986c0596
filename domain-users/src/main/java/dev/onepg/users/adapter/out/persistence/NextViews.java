package dev.onepg.users.adapter.out.persistence;

import static dev.onepg.db.jooq.users.Tables.CURRENT_USERS;
import static dev.onepg.db.jooq.users.Tables.USER_HISTORY;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Record2;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The next users views of a blue/green rebuild: tables named like the live ones with a {@code _next} suffix.
 *
 * <p>They are created with the live tables' columns, checks and storage parameters but without any index, so that
 * the bulk load maintains none; {@link #finish} builds the keys and the other indexes once, at the end.
 * Every index and key of a next table is named like the live one with the suffix; {@link #promote} removes the
 * suffix again and gives every other constraint its live name, so the views keep the names that the change sets
 * gave them, rebuild after rebuild.
 */
final class NextViews {

    private static final String SUFFIX = "_next";
    private static final List<Table<?>> TABLES = List.of(CURRENT_USERS, USER_HISTORY);
    private static final Pattern INDEX_DEFINITION =
            Pattern.compile("^CREATE (UNIQUE )?INDEX \\S+ ON (?:ONLY )?\\S+ (USING .+)$", Pattern.DOTALL);

    private NextViews() {}

    static Table<?> next(Table<?> live) {
        return DSL.table(nextName(live));
    }

    /**
     * Creates the next tables with the live tables' columns, checks and storage parameters but no index at all, not
     * even their keys: the bulk load only copies rows in, and {@link #finish} builds every index once, from the
     * whole table.
     */
    static void create(DSLContext transaction) {
        drop(transaction);
        for (Table<?> table : TABLES) {
            transaction
                    .query(
                            "CREATE TABLE {0} (LIKE {1} INCLUDING ALL EXCLUDING INDEXES)"
                                    + storageOf(transaction, table),
                            nextName(table),
                            name(table))
                    .execute();
        }
    }

    /**
     * The live table's storage parameters as a {@code WITH} clause (or nothing), which {@code LIKE} does not copy:
     * the room a fillfactor leaves on each page for updates must outlive a rebuild.
     */
    private static String storageOf(DSLContext dsl, Table<?> live) {
        String options = dsl.resultQuery(
                        "SELECT array_to_string(reloptions, ', ') FROM pg_catalog.pg_class WHERE oid = {0}::regclass",
                        DSL.inline(qualified(live)))
                .fetchOne(0, String.class);
        return options == null || options.isEmpty() ? "" : " WITH (" + options + ")";
    }

    /**
     * Ends the bulk load ({@link ViewStatements#NEXT_BULK}), which wrote every row: the keys and the other indexes
     * are built, each from the whole table in one sort, and statistics gathered for the batches that follow.
     */
    static void finish(DSLContext dsl) {
        dsl.query("SET LOCAL maintenance_work_mem = '256MB'").execute();
        for (Table<?> table : TABLES) {
            addKeys(dsl, table, nextName(table));
        }
        buildIndexes(dsl);
        for (Table<?> table : TABLES) {
            dsl.query("ANALYZE {0}", nextName(table)).execute();
        }
    }

    /** Gives {@code next} the primary and unique keys of the live table, named like them with the suffix. */
    private static void addKeys(DSLContext dsl, Table<?> live, Name next) {
        for (Record2<String, String> key : dsl.resultQuery(
                        "SELECT conname, pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint"
                                + " WHERE conrelid = {0}::regclass AND contype IN ('p', 'u') ORDER BY conname",
                        DSL.inline(qualified(live)))
                .coerce(DSL.field("conname", String.class), DSL.field("definition", String.class))
                .fetch()) {
            dsl.query("ALTER TABLE {0} ADD CONSTRAINT {1} " + key.value2(), next, DSL.name(key.value1() + SUFFIX))
                    .execute();
        }
    }

    /** Creates on the next tables the live tables' indexes that no key constraint brings. */
    private static void buildIndexes(DSLContext dsl) {
        for (Table<?> table : TABLES) {
            for (Record2<String, String> index : dsl.resultQuery(
                            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i"
                                    + " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                                    + " WHERE i.indrelid = {0}::regclass AND NOT EXISTS (SELECT FROM"
                                    + " pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)"
                                    + " ORDER BY c.relname",
                            DSL.inline(qualified(table)))
                    .coerce(DSL.field("relname", String.class), DSL.field("definition", String.class))
                    .fetch()) {
                Matcher definition = INDEX_DEFINITION.matcher(index.value2());
                if (!definition.matches()) {
                    throw new IllegalStateException(
                            "cannot read the definition of index " + index.value1() + ": " + index.value2());
                }
                dsl.query(
                                "CREATE " + (definition.group(1) == null ? "" : "UNIQUE ") + "INDEX {0} ON {1} "
                                        + definition.group(2),
                                DSL.name(index.value1() + SUFFIX),
                                nextName(table))
                        .execute();
            }
        }
    }

    static void drop(DSLContext transaction) {
        for (Table<?> table : TABLES) {
            transaction.dropTableIfExists(nextName(table)).execute();
        }
    }

    /**
     * Drops the live tables and gives the next ones their names, indexes and constraints included. The live
     * tables are locked first, all at once, so that the transaction's lock timeout bounds the wait for readers.
     */
    static void promote(DSLContext transaction) {
        transaction
                .query(
                        "LOCK TABLE {0} IN ACCESS EXCLUSIVE MODE",
                        DSL.list(TABLES.stream().map(NextViews::name).toList()))
                .execute();
        for (Table<?> table : TABLES) {
            Map<String, String> liveNames = constraintNamesByDefinition(transaction, qualified(table));
            transaction.dropTable(name(table)).execute();
            transaction
                    .alterTable(nextName(table))
                    .renameTo(DSL.name(table.getName()))
                    .execute();
            constraintNamesByDefinition(transaction, qualified(table)).forEach((definition, currentName) -> {
                String liveName = liveNames.get(definition);
                if (liveName != null && !liveName.equals(currentName)) {
                    transaction
                            .query(
                                    "ALTER TABLE {0} RENAME CONSTRAINT {1} TO {2}",
                                    name(table), DSL.name(currentName), DSL.name(liveName))
                            .execute();
                }
            });
            for (String index : transaction
                    .resultQuery(
                            "SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c"
                                    + " ON c.oid = i.indexrelid WHERE i.indrelid = {0}::regclass"
                                    + " AND right(c.relname, {1}) = {2} ORDER BY c.relname",
                            DSL.inline(qualified(table)), DSL.inline(SUFFIX.length()), DSL.inline(SUFFIX))
                    .fetch(0, String.class)) {
                transaction
                        .query(
                                "ALTER INDEX {0} RENAME TO {1}",
                                DSL.name(table.getSchema().getName(), index), DSL.name(withoutSuffix(index)))
                        .execute();
            }
        }
    }

    /**
     * The table's constraints (keys, checks, and the not-null constraints PostgreSQL 18 names) by their kind and
     * definition, which are the same on a live table and its next one, whatever their names.
     */
    private static Map<String, String> constraintNamesByDefinition(DSLContext dsl, String table) {
        Map<String, String> names = new HashMap<>();
        for (Record2<String, String> constraint : dsl.resultQuery(
                        "SELECT conname, contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint"
                                + " WHERE conrelid = {0}::regclass",
                        DSL.inline(table))
                .coerce(DSL.field("conname", String.class), DSL.field("definition", String.class))
                .fetch()) {
            names.put(constraint.value2(), constraint.value1());
        }
        return names;
    }

    private static String withoutSuffix(String name) {
        return name.substring(0, name.length() - SUFFIX.length());
    }

    private static String qualified(Table<?> table) {
        return table.getSchema().getName() + "." + table.getName();
    }

    private static Name name(Table<?> table) {
        return DSL.name(table.getSchema().getName(), table.getName());
    }

    private static Name nextName(Table<?> table) {
        return DSL.name(table.getSchema().getName(), table.getName() + SUFFIX);
    }
}
