package dev.onepg.platform.security;

/**
 * The characters Spring Security's {@code StrictHttpFirewall} allows in header names and values, checked by a loop
 * over the code points instead of its regular expressions: the firewall checks every header each time the request
 * reads it, and the regular expressions were the larger part of the firewall's cost per request.
 */
final class HeaderCharacters {

    private HeaderCharacters() {}

    /** Assigned code points that are not control characters, as {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}. */
    static boolean allowedInName(String name) {
        return allowed(name, false);
    }

    /** As in a name, and the tab too, as {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}. */
    static boolean allowedInValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && c == '\t'))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
