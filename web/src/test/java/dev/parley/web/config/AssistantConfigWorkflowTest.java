package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which workflow the chat runs: PARLEY_WORKFLOW, or the seed guide's CHATKIT_WORKFLOW_ID for teams moving in. */
class AssistantConfigWorkflowTest {
    @Test
    void theSeedRunsWhenNeitherIsSet() {
        assertThat(AssistantConfig.fromEnv(Map.of()).workflowId()).isEqualTo(AssistantConfig.SEED_WORKFLOW);
    }

    @Test
    void chatkitWorkflowIdNamesTheWorkflowWhenParleysOwnIsNotSet() {
        var config = AssistantConfig.fromEnv(Map.of("CHATKIT_WORKFLOW_ID", "wf_68edd79d0e848190a148ae695129bacb"));
        assertThat(config.workflowId()).isEqualTo("wf_68edd79d0e848190a148ae695129bacb");
    }

    @Test
    void parleyWorkflowWinsWhenBothAreSet() {
        var config = AssistantConfig.fromEnv(Map.of("CHATKIT_WORKFLOW_ID", "wf_old", "PARLEY_WORKFLOW", "wf_new"));
        assertThat(config.workflowId()).isEqualTo("wf_new");
    }

    @Test
    void aMalformedChatkitWorkflowIdIsNamedAtStartUp() {
        assertThatThrownBy(() -> AssistantConfig.fromEnv(Map.of("CHATKIT_WORKFLOW_ID", "support bot")))
                .hasMessageContaining("CHATKIT_WORKFLOW_ID").hasMessageContaining("wf_");
    }
}
