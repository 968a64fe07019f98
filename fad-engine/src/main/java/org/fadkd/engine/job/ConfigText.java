package org.fadkd.engine.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.Map;
import java.util.TreeMap;

/** The two textual forms of a config the host uses: a stable rendering and flat params. */
public final class ConfigText {
    private ConfigText() {}

    /** Renders a config as HOCON without origin comments, keys sorted: stable for hashing and diffing. */
    public static String render(Config config) {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /** The config's leaves as {@code path -> value} strings, sorted by path (tracking params). */
    public static Map<String, String> flatten(Config config) {
        Map<String, String> params = new TreeMap<>();
        config.entrySet().forEach(entry -> params.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped())));
        return params;
    }
}
