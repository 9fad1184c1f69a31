package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A widget action sent by the client: a type name and any payload. */
public record Action(String type, JsonNode payload) {
    public Action {
        Check.present(type, "params.action.type");
    }
}
