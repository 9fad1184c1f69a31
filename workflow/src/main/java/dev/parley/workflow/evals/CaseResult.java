package dev.parley.workflow.evals;

import java.util.List;

/** One case of an eval run: what the run did and every grader's verdict. */
public record CaseResult(EvalCase evalCase, Observation seen, List<Verdict> verdicts) {
    public CaseResult {
        verdicts = List.copyOf(verdicts);
    }

    /** {@return whether every deterministic grader passed}; rubric verdicts never decide it */
    public boolean passed() {
        return verdicts.stream().filter(v -> !v.modelGraded()).allMatch(Verdict::passed);
    }

    /** {@return the deterministic verdicts that failed} */
    public List<Verdict> failures() {
        return verdicts.stream().filter(v -> !v.modelGraded() && !v.passed()).toList();
    }
}
