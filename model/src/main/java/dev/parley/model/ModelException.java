package dev.parley.model;

/**
 * A model call that failed. The exception message is for the operator's log (status, provider message);
 * {@link #userMessage()} is safe to show in the chat; {@link #retryable()} says whether trying again may help.
 */
public final class ModelException extends RuntimeException {
    private final String userMessage;
    private final boolean retryable;

    public ModelException(String operatorMessage, String userMessage, boolean retryable, Throwable cause) {
        super(operatorMessage, cause);
        this.userMessage = userMessage;
        this.retryable = retryable;
    }

    public String userMessage() {
        return userMessage;
    }

    public boolean retryable() {
        return retryable;
    }
}
