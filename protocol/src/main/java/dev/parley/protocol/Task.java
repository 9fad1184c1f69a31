package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One step shown in a workflow; {@code status_indicator} is none, loading or complete. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Task.Custom.class, name = "custom"),
    @JsonSubTypes.Type(value = Task.WebSearch.class, name = "web_search"),
    @JsonSubTypes.Type(value = Task.Thought.class, name = "thought"),
    @JsonSubTypes.Type(value = Task.File.class, name = "file"),
    @JsonSubTypes.Type(value = Task.Image.class, name = "image"),
})
public sealed interface Task {
    String statusIndicator();

    record Custom(String statusIndicator, String title, String icon, String content) implements Task {
        public Custom {
            statusIndicator = statusIndicator == null ? "none" : statusIndicator;
        }
    }

    record WebSearch(
            String statusIndicator,
            String title,
            String titleQuery,
            List<String> queries,
            List<Annotation.Source.Url> sources)
            implements Task {
        public WebSearch {
            statusIndicator = statusIndicator == null ? "none" : statusIndicator;
            queries = queries == null ? List.of() : List.copyOf(queries);
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    record Thought(String statusIndicator, String title, String content) implements Task {
        public Thought {
            statusIndicator = statusIndicator == null ? "none" : statusIndicator;
        }
    }

    record File(String statusIndicator, String title, List<Annotation.Source.File> sources) implements Task {
        public File {
            statusIndicator = statusIndicator == null ? "none" : statusIndicator;
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    record Image(String statusIndicator, String title) implements Task {
        public Image {
            statusIndicator = statusIndicator == null ? "none" : statusIndicator;
        }
    }
}
