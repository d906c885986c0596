package dev.onepg.platform.migration;

/** One parsed {@code db} subcommand. */
sealed interface MigrationRequest {

    String name();

    record Migrate() implements MigrationRequest {
        @Override
        public String name() {
            return "migrate";
        }
    }

    record Rollback(int count) implements MigrationRequest {
        public Rollback {
            if (count < 1) {
                throw new IllegalArgumentException("rollback needs a count of 1 or more, was " + count);
            }
        }

        @Override
        public String name() {
            return "rollback";
        }
    }

    record Status() implements MigrationRequest {
        @Override
        public String name() {
            return "status";
        }
    }

    /** After a restore into another cluster: moves the stored transaction ids below the cluster's. */
    record RebaseTransactionIds() implements MigrationRequest {
        @Override
        public String name() {
            return "rebase-transaction-ids";
        }
    }

    static MigrationRequest parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("Missing db command.");
        }
        return switch (args[0]) {
            case "migrate" -> expectArguments(args, 1, new Migrate());
            case "status" -> expectArguments(args, 1, new Status());
            case "rebase-transaction-ids" -> expectArguments(args, 1, new RebaseTransactionIds());
            case "rollback" -> {
                if (args.length != 2) {
                    throw new IllegalArgumentException(
                            "rollback needs exactly one argument: the number of change sets.");
                }
                try {
                    yield new Rollback(Integer.parseInt(args[1]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("rollback count must be a whole number, was '" + args[1] + "'.");
                }
            }
            default -> throw new IllegalArgumentException("Unknown db command '" + args[0] + "'.");
        };
    }

    private static MigrationRequest expectArguments(String[] args, int expected, MigrationRequest request) {
        if (args.length != expected) {
            throw new IllegalArgumentException(args[0] + " takes no arguments.");
        }
        return request;
    }
}
