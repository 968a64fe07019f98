package org.fadkd.engine.component;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Config path helpers: leaf paths of a config object (including keys whose value is null, which entrySet() skips). */
public final class ConfigPaths {
    private ConfigPaths() {}

    /** Returns every leaf path in document order; objects are descended, lists are leaves. */
    public static List<String> leafPaths(ConfigObject object) {
        List<String> paths = new ArrayList<>();
        collect(object, "", paths);
        return paths;
    }

    /** Whether {@code expression} is a valid Typesafe Config path ({@code a.b}, {@code "a.b".c}). */
    public static boolean isPath(String expression) {
        try {
            ConfigUtil.splitPath(expression);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static void collect(ConfigObject object, String prefix, List<String> paths) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix + ConfigUtil.quoteString(entry.getKey()).replaceAll("^\"([a-zA-Z0-9_-]+)\"$", "$1");
            if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
                collect((ConfigObject) entry.getValue(), path + ".", paths);
            } else {
                paths.add(path);
            }
        }
    }
}
