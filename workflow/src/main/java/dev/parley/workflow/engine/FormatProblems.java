package dev.parley.workflow.engine;

import dev.parley.workflow.Deployment;
import dev.parley.workflow.Problem;
import dev.parley.workflow.WorkflowFormatException;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A document with format mistakes (an unknown node type, a missing field) is still checked for its other mistakes,
 * so that one round of fixes is enough: a workflow with two typos reports both. Only the findings that do not
 * follow from the format problems are added: an edge to a node that could not be read is not a second mistake.
 */
final class FormatProblems {
    private FormatProblems() {}

    /** {@return the format problems of {@code e}, then the validator's errors on what could be read that are independent of them} */
    static List<Problem> withIndependent(WorkflowFormatException e, Deployment deployment) {
        List<Problem> out = new ArrayList<>(e.problems());
        if (e.readable() == null) return out;
        Set<String> broken = new HashSet<>();
        e.problems().forEach(p -> {
            if (p.nodeId() != null) broken.add(p.nodeId());
        });
        if (e.problems().stream().anyMatch(p -> p.nodeId() == null && p.field() != null
                && (p.field().startsWith("nodes") || p.field().startsWith("state")))) {
            // A node without an id, or unreadable state, could be what anything else refers to: say no more.
            return out;
        }
        for (Problem p : WorkflowValidator.validate(e.readable(), deployment).errors()) {
            if (broken.contains(p.nodeId())) continue;
            if (broken.stream().anyMatch(id -> p.toString().contains("`" + id) || p.toString().contains(id + "."))) continue;
            out.add(p);
        }
        return out;
    }
}
