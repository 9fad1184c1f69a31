package dev.parley.spring;

import dev.parley.embed.Parley;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator's view of Parley, as {@code parley} under {@code /actuator/health}: up when its store answers and the
 * workflow that answers chat turns has a published version (without one every turn would end in an error).
 */
final class ParleyHealthIndicator extends AbstractHealthIndicator {
    private final Parley parley;
    private final String workflowId;

    ParleyHealthIndicator(Parley parley, String workflowId) {
        super("Parley health check failed");
        this.parley = parley;
        this.workflowId = workflowId;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        // A query that reads the threads table: fails when the database is unreachable or the schema is gone.
        parley.storage().threads().countThreads("health-check");
        health.withDetail("store", parley.storage().description());
        if (parley.workflows() == null) {
            health.up().withDetail("responder", "the application's own");
            return;
        }
        var latest = parley.workflows().store().latest(workflowId);
        health.withDetail("workflow", workflowId);
        if (latest.isPresent()) {
            health.up().withDetail("version", latest.get().version());
        } else {
            health.down().withDetail("problem", "no published version of " + workflowId
                    + ": publish one (or set parley.workflow-id) before chat turns can be answered");
        }
    }
}
