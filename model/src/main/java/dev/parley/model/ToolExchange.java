package dev.parley.model;

import java.util.Objects;

/** A call the model made and the output the caller got for it (an error message counts as output). */
public record ToolExchange(ToolCall call, String output) {
    public ToolExchange {
        Objects.requireNonNull(call, "call");
        output = output == null ? "" : output;
    }
}
