package dev.parley.workflow.evals;

/** A publish the eval gate refused: the version's eval passed fewer cases than the workflow demands. */
public final class GateRefusedException extends RuntimeException {
    private final transient EvalReport report;
    private final GateSpec gate;

    public GateRefusedException(EvalReport report, GateSpec gate) {
        super(String.format(java.util.Locale.ROOT, "The eval gate refused the publish: %d of %d cases of dataset %s "
                        + "passed (%.1f%%), the workflow asks for at least %.1f%%; fix the failing cases, or publish with "
                        + "override=true to publish anyway (the override is recorded)", report.cases().size() - report.failing().size(),
                report.cases().size(), gate.dataset(), report.passRate() * 100, gate.minPassRate() * 100));
        this.report = report;
        this.gate = gate;
    }

    public EvalReport report() {
        return report;
    }

    public GateSpec gate() {
        return gate;
    }
}
