package com.example.fad;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.SettingsReader;

/**
 * Method {@code l2-logits}. Its settings are documented in {@code defaults/l2-logits.conf} next to
 * this class, which the default {@code getDefaults()} reads; the runner rejects keys not in it.
 * {@link #check} and {@link #create} read them through the same {@link #alpha} method, so that
 * {@code runner validate} accepts exactly what a run accepts.
 */
public final class L2LogitsFactory implements DistillationLossFactory {
    @Override
    public String getName() {
        return "l2-logits";
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new L2LogitsLoss(alpha(settings));
    }

    @Override
    public void check(Config settings) {
        alpha(settings);
    }

    /** Reads {@code alpha}; a bad value throws a FadException naming the key, the value and [0, 1]. */
    private double alpha(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "method", getName());
        double alpha = reader.getDouble("alpha", value -> value >= 0 && value <= 1, "[0, 1]");
        reader.throwIfInvalid();
        return alpha;
    }
}
