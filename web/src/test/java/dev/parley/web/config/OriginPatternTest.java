package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Allowed origins compare host names, never strings: the cases a string match gets wrong. */
class OriginPatternTest {
    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "https://*.good.example.org | https://a.good.example.org          | true",
            "https://*.good.example.org | https://A.Good.Example.org          | true",
            "https://*.good.example.org | https://good.example.org            | false",
            "https://*.good.example.org | https://a.b.good.example.org        | false",
            "https://*.good.example.org | https://evil.net#.good.example.org  | false",
            "https://*.good.example.org | https://evil.net/.good.example.org  | false",
            "https://*.good.example.org | https://evil.net?.good.example.org  | false",
            "https://*.good.example.org | https://user@a.good.example.org     | false",
            "https://*.good.example.org | 'https://a .good.example.org'       | false",
            "https://*.good.example.org | 'https://a.good.example.org '       | false",
            "https://*.good.example.org | https://-a.good.example.org         | false",
            "https://*.good.example.org | https://a..good.example.org         | false",
            "https://*.good.example.org | https://agood.example.org           | false",
            "https://*.good.example.org | http://a.good.example.org           | false",
            "https://*.good.example.org | https://a.good.example.org:8443     | false",
            "https://*.good.example.org | https://a.good.example.org.evil.net | false",
            "https://shop.example.com   | https://shop.example.com            | true",
            "https://shop.example.com   | https://shop.example.com:443        | true",
            "https://shop.example.com   | https://shop.example.com:444        | false",
            "https://shop.example.com   | https://shop.example.com.evil.net   | false",
            "https://shop.example.com   | https://shop.example.com/           | false",
            "http://localhost:3000      | http://localhost:3000               | true",
            "http://localhost:3000      | http://localhost:3001               | false",
            "*                          | https://anything.example            | true",
            "*                          | https://evil.net#x                  | false",
            "*                          | null                                | false",
            "*                          | 'https://a b'                       | false",
    })
    void matchesHostNamesOnly(String pattern, String origin, boolean allowed) {
        assertThat(OriginPattern.parse(pattern).matches(origin)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "https://example.com/path", "https://*.*.example.com", "https://a*.example.com",
            "https://*example.com", "ftp://example.com", "https://exa mple.com", "https://example.com#x", "https://*.",
            "https://example.com:99999"})
    void settingsThatAreNotOriginsAreRefusedWithTheFormToUse(String setting) {
        assertThatThrownBy(() -> OriginPattern.parse(setting)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an origin like https://example.com");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HTTPS://Shop.Example.com/   | https://shop.example.com",
            "https://shop.example.com:443 | https://shop.example.com",
            "http://*.example.com:8080   | http://*.example.com:8080"})
    void settingsAreNormalised(String setting, String normal) {
        assertThat(OriginPattern.parse(setting)).hasToString(normal);
    }
}
