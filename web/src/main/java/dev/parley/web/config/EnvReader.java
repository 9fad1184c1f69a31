package dev.parley.web.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** Reads environment variables, collecting every problem so the operator can fix them all at once. */
record EnvReader(Map<String, String> env, List<String> problems) {
    /** Variables whose values never appear in an error message. */
    private static final Set<String> SECRETS = Set.of(
            ParleyConfig.SECRET_KEY, AssistantConfig.ADMIN_TOKEN, AssistantConfig.OPENAI_API_KEY,
            AssistantConfig.WEBHOOK_SECRET, ObservabilityConfig.OTLP_HEADERS);

    /**
     * What one variable's value must be, stated once: a config record's constructor checks values built in code
     * with it, and the reader checks the environment's text with it, so the two can never disagree.
     *
     * @param name     the variable
     * @param parse    text to value; throws on text that is not a value of the type at all
     * @param valid    whether a parsed value is allowed
     * @param expected what an allowed value is, completing "NAME must be …"
     */
    record Rule<T>(String name, Function<String, T> parse, Predicate<T> valid, String expected) {
        /** {@return {@code value}} (null passes: unset) @throws IllegalArgumentException naming the variable */
        T check(T value) {
            if (value != null && !valid.test(value)) {
                throw new IllegalArgumentException(name + " must be " + expected + ", got " + shown(name, value.toString()));
            }
            return value;
        }

        static Rule<Integer> intRange(String name, int min, int max, String expected) {
            return new Rule<>(name, Integer::parseInt, n -> n >= min && n <= max, expected);
        }
    }

    <T> T read(String name, T fallback, Function<String, T> parse) {
        return read(name, fallback, parse, null);
    }

    /** {@return the value of the rule's variable, or {@code fallback} when it is unset or blank} */
    <T> T read(Rule<T> rule, T fallback) {
        return read(rule.name(), fallback, s -> {
            T value = rule.parse().apply(s);
            if (!rule.valid().test(value)) throw new IllegalArgumentException();
            return value;
        }, rule.expected());
    }

    /**
     * {@return the parsed value of {@code name}, or {@code fallback} when it is unset or blank}; a value that
     * does not parse is recorded as a problem (saying what was {@code expected}) and gives the fallback
     */
    <T> T read(String name, T fallback, Function<String, T> parse, String expected) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            return parse.apply(raw.strip());
        } catch (RuntimeException e) {
            problems.add(name + " must be " + (expected != null ? expected : "valid") + ", got " + shown(name, raw));
            return fallback;
        }
    }

    private static String shown(String name, String raw) {
        return SECRETS.contains(name) ? "(hidden)" : "\"" + raw + "\"";
    }
}
