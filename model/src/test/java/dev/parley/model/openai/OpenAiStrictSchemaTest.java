package dev.parley.model.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which schemas may carry {@code strict: true}. */
class OpenAiStrictSchemaTest {
    private static boolean eligible(String schema) {
        try {
            return StrictSchema.eligible(StandInOpenAi.JSON.readTree(schema));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void closedFullyRequiredObjectsAreStrict() {
        assertThat(eligible(OpenAiProviderTest.ROUTE_SCHEMA)).isTrue();
        assertThat(eligible("""
                {"type":"object","additionalProperties":false,"required":["items"],"properties":{
                  "items":{"type":"array","items":{"type":"object","additionalProperties":false,
                    "required":["sku","note"],"properties":{"sku":{"type":"string"},
                    "note":{"anyOf":[{"type":"string"},{"type":"null"}]}}}}}}""")).isTrue();
    }

    @Test
    void optionalPropertiesOpenObjectsAndUnsupportedKeywordsAreNot() {
        assertThat(eligible("""
                {"type":"object","properties":{"a":{"type":"string"}},"required":[],"additionalProperties":false}"""))
                .as("optional property").isFalse();
        assertThat(eligible("""
                {"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"""))
                .as("additionalProperties missing").isFalse();
        assertThat(eligible("""
                {"type":"object","additionalProperties":false,"required":["a"],"properties":{
                  "a":{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}}}"""))
                .as("nested open object").isFalse();
        assertThat(eligible("""
                {"type":"object","additionalProperties":false,"required":["a"],"properties":{
                  "a":{"allOf":[{"type":"string"}]}}}""")).as("allOf").isFalse();
        assertThat(eligible("""
                {"type":"string"}""")).as("root not an object").isFalse();
    }
}
