package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.Architecture;

/**
 * A candidate student, built: its name and the architecture (family and size) selection measures,
 * analyses and, when it wins, the run distils.
 *
 * @param name unique within a selection, e.g. {@code cnn-small}
 * @param architecture the architecture, as created from the candidate's section
 * @since 0.1
 */
public record Candidate(String name, Architecture architecture) {
    public Candidate {
        requireNonNull(name, "name is null");
        requireNonNull(architecture, "architecture is null");
    }
}
