package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * A visible group of tasks (the "thinking" panel), carried by a {@code workflow} thread item.
 *
 * @param type    {@code custom} or {@code reasoning}
 * @param summary either a titled summary or a duration in seconds, or null
 */
public record Workflow(String type, List<Task> tasks, Summary summary, boolean expanded) {
    public Workflow {
        type = type == null ? "custom" : type;
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /** {@return a copy with the task set at index, growing the list when index is the next slot} */
    public Workflow withTask(int index, Task task) {
        var list = new ArrayList<>(tasks);
        if (index >= 0 && index < list.size()) list.set(index, task);
        else list.add(task);
        return new Workflow(type, list, summary, expanded);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String title, String icon, Integer duration) {}
}
