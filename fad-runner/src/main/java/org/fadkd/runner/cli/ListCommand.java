package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.FadException;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.api.ComponentKind;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.runner.plugin.LoadedPlugins;
import org.fadkd.runner.plugin.PluginDescriptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner list [KIND...] [--defaults]}: every component the loaded plugins offer, and from where. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Lists every component by kind (method, flow-metric, task, dataset, architecture), with the plugin it",
            "comes from, then the plugins and any plugin that could not be loaded.",
            "",
            "Examples:",
            "  runner list",
            "  runner list method --defaults",
            "  runner list --plugins-dir my-plugins",
            ""
        })
public final class ListCommand implements Callable<Integer> {
    private final LoadedPlugins plugins;
    private final PrintStream console;

    @Parameters(paramLabel = "KIND", arity = "0..*",
            description = "Only these kinds: method, flow-metric, task, dataset, architecture.")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--defaults", description = "Also print each component's documented defaults (every key it accepts).")
    boolean defaults;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Inject
    ListCommand(LoadedPlugins plugins, PrintStream console) {
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        List<ComponentKind<?>> selected = selectedKinds();
        ComponentRegistry registry = plugins.registry();
        for (ComponentKind<?> kind : selected) {
            console.println(kind + ":");
            List<String> names = registry.getNames(kind);
            if (names.isEmpty()) {
                console.println("  (none)");
            }
            int width = names.stream().mapToInt(String::length).max().orElse(0);
            for (String name : names) {
                console.printf("  %-" + width + "s  %s%n", name, registry.getSource(kind, name));
                if (kind == ComponentKind.ARCHITECTURE) {
                    console.println(" ".repeat(width + 4) + tapsOf(name));
                }
                if (defaults) {
                    ComponentFactory<?> factory = registry.getFactory(kind, name);
                    console.println(indent(defaultsText(factory), "      "));
                    Config space = factory.getSearchSpace();
                    if (!space.isEmpty()) {
                        StringBuilder text = new StringBuilder("# runner tune searches:");
                        new java.util.TreeSet<>(space.root().keySet()).forEach(key -> text.append('\n').append(key)
                                .append(" = ").append(space.root().get(key).render(ConfigRenderOptions.concise())));
                        console.println(indent(text.toString(), "      "));
                    }
                }
            }
            console.println();
        }
        console.println("plugins:");
        for (PluginDescriptor plugin : plugins.plugins()) {
            console.printf("  %s  %s%s%n", plugin.name(), plugin.location(),
                    plugin.isIsolated() ? "  (own class loader)" : "  (runner class path)");
        }
        if (!plugins.problems().isEmpty()) {
            console.println();
            console.println("plugin problems (see the errors above):");
            plugins.problems().forEach(problem -> console.println("  " + problem));
        }
        return plugins.problems().isEmpty() ? 0 : 2;
    }

    /** The taps an architecture declares with its defaults, e.g. {@code taps: stem, layer1, ...}. */
    private String tapsOf(String architecture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            JobContext context = new JobContext(manager, 0, Path.of("."), (key, value, step) -> { },
                    new ComponentBinder(plugins.registry()), List.of());
            Architecture built = context.createComponent(ComponentKind.ARCHITECTURE,
                    ConfigFactory.parseMap(Map.of("type", architecture)));
            return "taps: " + String.join(", ", built.getTapNames());
        } catch (FadException e) {
            // torchscript: its taps are named in its settings, which its defaults leave open
            return "taps: set by its settings, which its defaults leave open";
        }
    }

    private List<ComponentKind<?>> selectedKinds() {
        if (kinds.isEmpty()) {
            return ComponentKind.ALL;
        }
        List<ComponentKind<?>> selected = new ArrayList<>();
        for (String name : kinds) {
            ComponentKind<?> kind = ComponentKind.ALL.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "Unknown kind '" + name + "'. Kinds: " + ComponentKind.ALL + "."));
            selected.add(kind);
        }
        return selected;
    }

    /**
     * The defaults file as its author wrote it, comments included; a factory that builds its
     * defaults in code gets them rendered instead.
     */
    private static String defaultsText(ComponentFactory<?> factory) {
        URL resource = factory.getClass().getResource("defaults/" + factory.getName() + ".conf");
        if (resource != null) {
            try (InputStream in = resource.openStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Config config = factory.getDefaults();
        if (config.isEmpty()) {
            return "# (no settings)";
        }
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)).strip();
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }
}
