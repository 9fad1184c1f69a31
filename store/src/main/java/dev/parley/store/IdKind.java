package dev.parley.store;

/** What an id names; each kind has the prefix ChatKit clients are used to. */
public enum IdKind {
    THREAD("thr"),
    MESSAGE("msg"),
    TOOL_CALL("tc"),
    WORKFLOW("wf"),
    TASK("tsk"),
    SDK_HIDDEN_CONTEXT("shcx"),
    ATTACHMENT("atc"),
    SESSION("cksess");

    private final String prefix;

    IdKind(String prefix) {
        this.prefix = prefix;
    }

    /** {@return the prefix, without the underscore} */
    public String prefix() {
        return prefix;
    }
}
