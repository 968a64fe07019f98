package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.selection.SelectionSettings;
import org.fadkd.engine.selection.SelectionSettings.CandidateSpec;
import org.fadkd.runner.config.ConfigComposer;

/**
 * The architecture sections of a selection's candidates: each candidate's option of the {@code
 * model} config group ({@code configs/model/<model>.conf}, from the first config directory that has
 * it, as the composer loads {@code { "model@student": <model> }}) with the candidate's {@code
 * settings} merged over it and the architecture's defaults under it, so that a section rebuilds
 * exactly the network that was selected (in {@code selected-student.conf} and exports).
 *
 * <p>{@code runner validate} and the start of every run build them all, so a typo in a candidate
 * fails before any training.
 *
 * @param sections the sections that could be built, by candidate name, in the candidates' order
 * @param problems what is wrong with the others (unknown option, unknown architecture setting); empty
 *     when every candidate has its section
 */
public record SelectionCandidates(Map<String, Config> sections, List<String> problems) {
    /** The config group candidates name options of. */
    private static final String GROUP = "model";

    public SelectionCandidates {
        sections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        problems = List.copyOf(problems);
    }

    /** Builds and validates every candidate's section, collecting every problem. */
    public static SelectionCandidates of(SelectionSettings settings, ConfigComposer composer, ComponentBinder binder) {
        requireNonNull(settings, "settings is null");
        requireNonNull(composer, "composer is null");
        requireNonNull(binder, "binder is null");
        Map<String, Config> sections = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<CandidateSpec> candidates = settings.candidates();
        for (int index = 0; index < candidates.size(); index++) {
            CandidateSpec candidate = candidates.get(index);
            String path = "selection.candidates[" + index + "]";
            try {
                Config section = candidate.settings()
                        .withFallback(composer.loadOption(GROUP, candidate.model(), "in " + path))
                        .resolve();
                List<String> sectionProblems = binder.validate(ComponentKind.ARCHITECTURE, path, section);
                if (sectionProblems.isEmpty()) {
                    sections.put(candidate.name(), binder.withDefaults(ComponentKind.ARCHITECTURE, section));
                }
                problems.addAll(sectionProblems);
            } catch (FadException e) {
                problems.addAll(e.getProblems());
            } catch (com.typesafe.config.ConfigException e) {
                problems.add(String.format("Candidate '%s' (%s): %s", candidate.name(), path, e.getMessage()));
            }
        }
        return new SelectionCandidates(sections, problems);
    }

    /** The sections, or one error listing every problem. */
    public Map<String, Config> orThrow() {
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, ComponentBinder.HEADING, problems);
        }
        return sections;
    }
}
