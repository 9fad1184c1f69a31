package dev.parley.model;

/** One earlier turn of the conversation, as the model sees it. */
public record ChatMessage(Role role, String text) {
    public enum Role { USER, ASSISTANT }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text);
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, text);
    }
}
