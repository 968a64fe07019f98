package org.fadkd.engine.component;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DownloadableAsset;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.engine.util.Suggestions;

/**
 * Every component factory offered by the loaded plugins, by kind and name, with where it came
 * from, and the plugins' {@linkplain DownloadableAsset downloadable assets} by name. Registration
 * fails on duplicate names, naming both sources.
 */
public final class ComponentRegistry {
    private final Map<ComponentKind<?>, Map<String, Registered<?>>> byKind = new LinkedHashMap<>();
    /** Names two plugins both offered, with the message naming both; neither factory is used. */
    private final Map<ComponentKind<?>, Map<String, String>> clashes = new LinkedHashMap<>();
    private final Map<String, RegisteredAsset> assets = new TreeMap<>();
    /** Asset names two plugins both offered, with both sources; neither asset is used. */
    private final Map<String, String> assetClashes = new TreeMap<>();

    /** A factory and the plugin that offered it. */
    public record Registered<T>(ComponentFactory<T> factory, String source) {}

    /** A downloadable asset and the plugin that offered it. */
    public record RegisteredAsset(DownloadableAsset asset, String source) {}

    /** Loads every {@link FadPlugin} visible to the given class loader. */
    public static ComponentRegistry fromClassLoader(ClassLoader loader) {
        ComponentRegistry registry = new ComponentRegistry();
        for (FadPlugin plugin : ServiceLoader.load(FadPlugin.class, loader)) {
            registry.register(plugin, describe(plugin));
        }
        return registry;
    }

    private static String describe(FadPlugin plugin) {
        var location = plugin.getClass().getProtectionDomain().getCodeSource();
        String where = location == null ? "class path" : location.getLocation().getPath();
        return plugin.getClass().getSimpleName() + " (" + where + ")";
    }

    /** Registers all factories of a plugin. */
    public void register(FadPlugin plugin, String source) {
        requireNonNull(plugin, "plugin is null");
        for (ComponentKind<?> kind : ComponentKind.ALL) {
            registerAll(kind, plugin, source);
        }
        for (DownloadableAsset asset : plugin.getDownloadableAssets()) {
            RegisteredAsset previous = assets.get(asset.getName());
            if (previous != null) {
                throw new FadException(ErrorCode.DUPLICATE_COMPONENT, String.format(
                        "Downloadable asset '%s' is provided by both %s and %s. Remove one of the plugins.",
                        asset.getName(), previous.source(), source));
            }
            assets.put(asset.getName(), new RegisteredAsset(asset, source));
        }
    }

    /**
     * Registers the factories of a plugin whose names are free and reports the others, so one bad
     * plugin does not keep the rest from loading. A name offered by two plugins is withdrawn from
     * both: picking one by load order would silently change what an experiment runs, so asking for
     * it fails with the clash message instead.
     *
     * @return one message per clashing name, empty when everything registered
     */
    public List<String> registerAvailable(FadPlugin plugin, String source) {
        requireNonNull(plugin, "plugin is null");
        List<String> problems = new ArrayList<>();
        for (ComponentKind<?> kind : ComponentKind.ALL) {
            registerAvailable(kind, plugin, source, problems);
        }
        for (DownloadableAsset asset : plugin.getDownloadableAssets()) {
            String name = asset.getName();
            RegisteredAsset previous = assets.remove(name);
            if (previous != null || assetClashes.containsKey(name)) {
                String earlier = previous != null ? previous.source() : assetClashes.get(name);
                problems.add(String.format("Downloadable asset '%s' is provided by both %s and %s; neither is used."
                        + " Remove one of the plugins.", name, earlier, source));
                assetClashes.put(name, earlier + " and " + source);
            } else {
                assets.put(name, new RegisteredAsset(asset, source));
            }
        }
        return problems;
    }

    private <T> void registerAvailable(ComponentKind<T> kind, FadPlugin plugin, String source, List<String> problems) {
        Map<String, Registered<?>> names = byKind.computeIfAbsent(kind, k -> new TreeMap<>());
        Map<String, String> kindClashes = clashes.computeIfAbsent(kind, k -> new TreeMap<>());
        for (ComponentFactory<T> factory : kind.factories().apply(plugin)) {
            String name = factory.getName();
            Registered<?> previous = names.remove(name);
            if (previous != null || kindClashes.containsKey(name)) {
                String earlier = previous != null ? previous.source() : kindClashes.get(name);
                String message = String.format(
                        "Component %s '%s' is provided by both %s and %s; neither is used."
                                + " Remove one of the plugins.", kind, name, earlier, source);
                kindClashes.put(name, previous != null ? previous.source() + " and " + source : earlier);
                problems.add(message);
            } else {
                names.put(name, new Registered<>(factory, source));
            }
        }
    }

    private <T> void registerAll(ComponentKind<T> kind, FadPlugin plugin, String source) {
        Map<String, Registered<?>> names = byKind.computeIfAbsent(kind, k -> new TreeMap<>());
        for (ComponentFactory<T> factory : kind.factories().apply(plugin)) {
            Registered<?> previous = names.get(factory.getName());
            if (previous != null) {
                throw new FadException(
                        ErrorCode.DUPLICATE_COMPONENT,
                        String.format(
                                "Component %s '%s' is provided by both %s and %s. Remove one of the plugins.",
                                kind, factory.getName(), previous.source(), source));
            }
            names.put(factory.getName(), new Registered<>(factory, source));
        }
    }

    /**
     * Returns the factory of a kind and name.
     *
     * @throws FadException UNKNOWN_COMPONENT listing the known names and the nearest one
     */
    @SuppressWarnings("unchecked")
    public <T> ComponentFactory<T> getFactory(ComponentKind<T> kind, String name) {
        Registered<?> registered = byKind.getOrDefault(kind, Map.of()).get(name);
        String clash = clashes.getOrDefault(kind, Map.of()).get(name);
        if (registered == null && clash != null) {
            throw new FadException(ErrorCode.DUPLICATE_COMPONENT, String.format(
                    "Component %s '%s' is provided by both %s. Remove one of the plugins.", kind, name, clash));
        }
        if (registered == null) {
            Collection<String> known = getNames(kind);
            throw new FadException(
                    ErrorCode.UNKNOWN_COMPONENT,
                    String.format("Unknown %s type '%s'. Known types: %s.%s",
                            kind, name, String.join(", ", known), Suggestions.didYouMean(name, known)));
        }
        return (ComponentFactory<T>) registered.factory();
    }

    /** Returns the registered names of a kind, sorted. */
    public List<String> getNames(ComponentKind<?> kind) {
        return new ArrayList<>(byKind.getOrDefault(kind, Map.of()).keySet());
    }

    /**
     * Returns the downloadable asset of a name, if a plugin offers it.
     *
     * @throws FadException DUPLICATE_COMPONENT when two plugins offer that name
     */
    public Optional<RegisteredAsset> findAsset(String name) {
        String clash = assetClashes.get(name);
        if (clash != null) {
            throw new FadException(ErrorCode.DUPLICATE_COMPONENT, String.format(
                    "Downloadable asset '%s' is provided by both %s. Remove one of the plugins.", name, clash));
        }
        return Optional.ofNullable(assets.get(name));
    }

    /** Returns the names of the registered downloadable assets, sorted. */
    public List<String> getAssetNames() {
        return new ArrayList<>(assets.keySet());
    }

    /** Returns where a component came from. */
    public String getSource(ComponentKind<?> kind, String name) {
        Registered<?> registered = byKind.getOrDefault(kind, Map.of()).get(name);
        return registered == null ? "?" : registered.source();
    }
}
