package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.SettingsReader;

/**
 * Settings every feature method has (fad-spec §11 intro, §14.1).
 *
 * @param taskWeight the weight of {@code L_task} when the method trains alone, {@code >= 0}
 * @param kdWeight the weight of an added {@code D_kd} (T = 4) when the method trains alone, {@code
 *     >= 0}; 0 leaves it out (and the teacher's logits are not needed)
 * @param pairs explicit {@code [teacher-tap, student-tap]} pairs in the order given; empty for the
 *     automatic pairing of feature taps (fad-spec §1)
 * @since 0.1
 */
public record FeatureSettings(double taskWeight, double kdWeight, List<NamedPair> pairs) {
    /** What the {@code pairs} setting must hold, as messages say it. */
    static final String PAIRS_ALLOWED = "a list of [teacher-tap, student-tap] pairs of tap names (empty: automatic)";

    public FeatureSettings {
        requireNonNull(pairs, "pairs is null");
        pairs = List.copyOf(pairs);
    }

    /**
     * A pair of tap names from the {@code pairs} setting, checked against the models in {@link
     * FeaturePairing#resolve}.
     *
     * @param teacherTap the teacher's tap name, never null
     * @param studentTap the student's tap name, never null
     * @since 0.1
     */
    public record NamedPair(String teacherTap, String studentTap) {
        public NamedPair {
            requireNonNull(teacherTap, "teacherTap is null");
            requireNonNull(studentTap, "studentTap is null");
        }
    }

    /**
     * Reads the common settings through a method's reader; the caller calls {@link
     * SettingsReader#throwIfInvalid()} after reading its own.
     *
     * @param reader the method's reader, never null
     * @param config the same settings the reader reads (the reader cannot read a list of lists),
     *     never null
     * @return the settings; placeholders where a problem was recorded
     * @since 0.1
     */
    public static FeatureSettings read(SettingsReader reader, Config config) {
        double taskWeight = reader.getDouble("task-weight", value -> value >= 0, "[0, inf)");
        double kdWeight = reader.getDouble("kd-weight", value -> value >= 0, "[0, inf)");
        return new FeatureSettings(taskWeight, kdWeight, readPairs(reader, config));
    }

    private static List<NamedPair> readPairs(SettingsReader reader, Config config) {
        List<NamedPair> pairs = new ArrayList<>();
        ConfigList list;
        try {
            list = config.getList("pairs");
        } catch (ConfigException e) {
            reader.check(false, "pairs", PAIRS_ALLOWED);
            return pairs;
        }
        for (ConfigValue element : list) {
            NamedPair pair = namedPair(element);
            if (pair == null) {
                reader.check(false, "pairs", PAIRS_ALLOWED);
                return List.of();
            }
            pairs.add(pair);
        }
        return pairs;
    }

    /** The pair an element of {@code pairs} spells, or null when it is not two strings. */
    private static NamedPair namedPair(ConfigValue element) {
        if (element.valueType() != ConfigValueType.LIST) {
            return null;
        }
        ConfigList names = (ConfigList) element;
        if (names.size() != 2 || names.stream().anyMatch(name -> name.valueType() != ConfigValueType.STRING)) {
            return null;
        }
        return new NamedPair((String) names.get(0).unwrapped(), (String) names.get(1).unwrapped());
    }
}
