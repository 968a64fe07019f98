package org.fadkd.engine.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.Map;
import java.util.TreeMap;

/** The textual forms of a config the host uses: a readable rendering, a canonical one for keys, flat params. */
public final class ConfigText {
    private ConfigText() {}

    /**
     * Renders a config as HOCON with its documentation comments, keys sorted: for files people read
     * ({@code config.conf}) and diffs. Not for keys: a comment edited in a defaults file changes it.
     */
    public static String render(Config config) {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /**
     * The config's values alone, as compact JSON with sorted keys: what cache keys and config hashes
     * are made of, so that they change with a setting and never with a comment or the layout.
     */
    public static String canonical(Config config) {
        return config.root().render(ConfigRenderOptions.concise());
    }

    /** The config's leaves as {@code path -> value} strings, sorted by path (tracking params). */
    public static Map<String, String> flatten(Config config) {
        Map<String, String> params = new TreeMap<>();
        config.entrySet().forEach(entry -> params.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped())));
        return params;
    }
}
