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

    /**
     * {@return the refusal of a provider handed a hosted tool it does not run} Publishing a workflow checks
     * {@link ModelProvider#runs} first, so this only happens when the configuration changed underneath a published
     * workflow; refusing keeps the tool from being dropped without a word, and the same request would fail the same
     * way, so it is not retryable.
     *
     * @param provider the refusing provider's {@link ModelProvider#name()}
     */
    public static ModelException hostedToolNotRun(String provider, HostedTool tool) {
        String who = switch (tool) {
            case HostedTool.VectorStoreSearch v -> "OpenAI vector stores are searched by OpenAI itself, so only the "
                    + "openai provider (Responses API) runs it; switch the agent to that provider or search Parley's "
                    + "knowledge bases instead";
            case HostedTool.WebSearch w -> "it is OpenAI's hosted tool, so only the openai provider (Responses API) "
                    + "runs it; switch the agent to that provider or remove the tool";
            case HostedTool.KnowledgeSearch k -> "the embedded provider searches knowledge bases " + k.knowledgeBases()
                    + " itself; a provider that calls functions is offered them as a file_search function tool, which "
                    + "Parley runs, instead";
        };
        String user = switch (tool) {
            case HostedTool.WebSearch w -> "Sorry, this assistant is not set up to search the web.";
            case HostedTool.VectorStoreSearch v -> "Sorry, this assistant is not set up to search its documents.";
            case HostedTool.KnowledgeSearch k -> "Sorry, this assistant is not set up to search its documents.";
        };
        return new ModelException("The " + provider + " provider cannot run " + HostedTool.describe(tool) + ": " + who,
                user, false, null);
    }
}
