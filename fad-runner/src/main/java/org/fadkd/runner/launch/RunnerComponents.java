package org.fadkd.runner.launch;

import java.util.List;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.JobLauncherFactory;

/**
 * The components the runner itself provides, registered before any plugin: the {@code local}
 * launcher. It is not found through {@link java.util.ServiceLoader}: a launcher starts the runner
 * again in worker processes, which only the host can do.
 */
public final class RunnerComponents implements FadPlugin {
    /** How {@code runner list} names where these components come from. */
    public static final String SOURCE = "the runner (built in)";

    @Override
    public List<JobLauncherFactory> getJobLauncherFactories() {
        return List.of(new LocalLauncherFactory());
    }
}
