package org.fadkd.runner.launch;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * The {@code local} launcher's settings (its defaults file, {@code defaults/local.conf}, says what
 * each means).
 *
 * @param jobs how many jobs run at once: 1 runs them one after another in this process, more run
 *     each in a worker process of its own
 * @param threads the engine's intra-op threads per worker; 0 shares the processors out ({@code
 *     processors / jobs}, at least 1)
 */
record LocalLauncherSettings(int jobs, int threads) {
    static LocalLauncherSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "launcher", LocalLauncherFactory.NAME);
        int jobs = reader.getInt("jobs", 1, Integer.MAX_VALUE);
        int threads = reader.getInt("threads", 0, Integer.MAX_VALUE);
        reader.throwIfInvalid();
        return new LocalLauncherSettings(jobs, threads);
    }

    /** The intra-op threads each worker gets on a machine with {@code processors} processors. */
    int threadsPerWorker(int processors) {
        return threads > 0 ? threads : Math.max(1, processors / jobs);
    }
}
