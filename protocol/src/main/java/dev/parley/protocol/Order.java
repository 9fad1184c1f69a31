package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Sort order of a listing, by creation time. */
public enum Order {
    @JsonProperty("asc") ASC,
    @JsonProperty("desc") DESC
}
