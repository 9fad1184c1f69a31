package dev.parley.workflow.evals;

/**
 * One grader's verdict on one case.
 *
 * @param detail what was expected and what was seen, so a failure reads as its own explanation
 */
public record Verdict(String kind, boolean passed, String detail, boolean modelGraded) {}
