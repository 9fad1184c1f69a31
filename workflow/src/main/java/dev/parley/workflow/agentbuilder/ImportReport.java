package dev.parley.workflow.agentbuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an import did. Errors stop a publish; warnings are settings Parley carried over differently or could not
 * carry over (each says what to do); notes say what was mapped and how, for the reader who checks the result.
 */
public record ImportReport(List<Entry> errors, List<Entry> warnings, List<Entry> notes) {
    /**
     * One finding.
     *
     * @param source where in the input: an Agent Builder node id, {@code line 42} of a code export, or
     *               {@code workflow} for the whole document
     * @param message what happened, in a sentence
     * @param fix    what to do about it, or null when nothing needs doing (notes)
     */
    public record Entry(String source, String message, String fix) {
        public Entry {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(message, "message");
        }
    }

    public ImportReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Collects entries while an importer works. */
    public static final class Builder {
        private final List<Entry> errors = new ArrayList<>();
        private final List<Entry> warnings = new ArrayList<>();
        private final List<Entry> notes = new ArrayList<>();

        public Builder error(String source, String message, String fix) {
            errors.add(new Entry(source, message, fix));
            return this;
        }

        public Builder warning(String source, String message, String fix) {
            warnings.add(new Entry(source, message, fix));
            return this;
        }

        public Builder note(String source, String message) {
            notes.add(new Entry(source, message, null));
            return this;
        }

        public ImportReport build() {
            return new ImportReport(errors, warnings, notes);
        }
    }
}
