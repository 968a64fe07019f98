package org.fadkd.runner.launch;

import com.typesafe.config.Config;
import org.fadkd.api.FadContext;
import org.fadkd.api.JobLauncher;
import org.fadkd.api.JobLauncherFactory;

/** {@code launcher.type = local}: the sweep's jobs on this machine, in this process or in worker processes. */
public final class LocalLauncherFactory implements JobLauncherFactory {
    public static final String NAME = "local";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public JobLauncher create(Config settings, FadContext context) {
        return new LocalLauncher(LocalLauncherSettings.from(settings));
    }

    @Override
    public void check(Config settings) {
        LocalLauncherSettings.from(settings);
    }
}
