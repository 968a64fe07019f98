package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.TapLayout;

/**
 * Whose taps a flow profile is computed from, so that a metric's messages can name a tap: {@code
 * teacher tap 'layer3'}. One metric instance profiles the teacher and the student (fad-spec §2), so
 * the tap's name alone does not say which network it belongs to.
 *
 * @param network the network, e.g. {@code teacher} or {@code student}; empty when unknown
 * @param names the taps' names in execution order, never null
 * @since 0.1
 */
public record ProfiledTaps(String network, List<String> names) {
    public ProfiledTaps {
        requireNonNull(network, "network is null");
        names = List.copyOf(requireNonNull(names, "names is null"));
    }

    /**
     * The taps of {@code network}, named as its layout names them.
     *
     * @param network e.g. {@code teacher}, never null
     * @param layout the network's taps; null when not known yet, which gives {@link #unnamed}
     * @return the description, never null
     * @since 0.1
     */
    public static ProfiledTaps of(String network, TapLayout layout) {
        requireNonNull(network, "network is null");
        return layout == null ? new ProfiledTaps(network, List.of()) : new ProfiledTaps(network, layout.names());
    }

    /**
     * Taps of an unknown network, known by their position only.
     *
     * @return the description, never null
     * @since 0.1
     */
    public static ProfiledTaps unnamed() {
        return new ProfiledTaps("", List.of());
    }

    /**
     * How messages name tap {@code k}: {@code teacher tap 'layer3'}, or {@code tap 3} when its name
     * is not known.
     *
     * @param k the tap's position in execution order, from 0
     * @return the description, never null
     * @since 0.1
     */
    public String describe(int k) {
        List<String> words = new ArrayList<>();
        if (!network.isEmpty()) {
            words.add(network);
        }
        words.add(k < names.size() ? "tap '" + names.get(k) + "'" : "tap " + k);
        return String.join(" ", words);
    }
}
