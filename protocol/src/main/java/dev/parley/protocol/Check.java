package dev.parley.protocol;

/** Required-field checks used by record constructors while a request is parsed. */
final class Check {
    private Check() {}

    static <T> T present(T value, String path) {
        if (value == null) {
            throw new InvalidRequestException("invalid_params", path + " is required");
        }
        return value;
    }
}
