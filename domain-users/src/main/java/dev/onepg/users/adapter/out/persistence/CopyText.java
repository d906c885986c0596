package dev.onepg.users.adapter.out.persistence;

/** Values in the text format of PostgreSQL's {@code COPY}: tab-separated, with backslash escapes. */
final class CopyText {

    private CopyText() {}

    static StringBuilder append(StringBuilder row, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                default -> row.append(c);
            }
        }
        return row;
    }
}
