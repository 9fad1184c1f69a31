package dev.parley.web;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads environment variables, collecting every problem so the operator can fix them all at once. */
record EnvReader(Map<String, String> env, List<String> problems) {
    /** Variables whose values never appear in an error message. */
    private static final Set<String> SECRETS = Set.of(
            ParleyConfig.SECRET_KEY, AssistantConfig.ADMIN_TOKEN, AssistantConfig.OPENAI_API_KEY);

    <T> T read(String name, T fallback, Function<String, T> parse) {
        return read(name, fallback, parse, null);
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
            String shown = SECRETS.contains(name) ? "(hidden)" : "\"" + raw + "\"";
            problems.add(name + " must be " + (expected != null ? expected : "valid") + ", got " + shown);
            return fallback;
        }
    }
}
