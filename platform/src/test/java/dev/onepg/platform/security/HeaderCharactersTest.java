package dev.onepg.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

class HeaderCharactersTest {

    @Test
    void everyCodePointIsJudgedAsTheFirewallsOwnChecksJudgeIt() {
        List<String> differences = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String text = "a" + Character.toString(c) + "b";
            if (HeaderCharacters.allowedInName(text) != StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text)) {
                differences.add("name U+%04X".formatted(c));
            }
            if (HeaderCharacters.allowedInValue(text) != StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text)) {
                differences.add("value U+%04X".formatted(c));
            }
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void controlCharactersAreRefusedTheTabOnlyInValues() {
        for (String text : List.of("a\u0000", "a\u007f", "a\u0085", "a\nb", "a\rb")) {
            assertThat(HeaderCharacters.allowedInName(text)).as(text).isFalse();
            assertThat(HeaderCharacters.allowedInValue(text)).as(text).isFalse();
        }
        assertThat(HeaderCharacters.allowedInName("a\tb")).isFalse();
        assertThat(HeaderCharacters.allowedInValue("a\tb")).isTrue();
        assertThat(HeaderCharacters.allowedInValue("Basic ZGV2OmRldg==")).isTrue();
        assertThat(HeaderCharacters.allowedInValue("caf\u00e9 \uD83D\uDE00")).isTrue();
        assertThat(HeaderCharacters.allowedInName("")).isTrue();
    }
}
