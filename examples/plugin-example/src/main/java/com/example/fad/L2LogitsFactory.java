package com.example.fad;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;

/**
 * Method {@code l2-logits}. Its settings are documented in {@code defaults/l2-logits.conf} next to
 * this class, which the default {@code getDefaults()} reads; the runner rejects keys not in it.
 */
public final class L2LogitsFactory implements DistillationLossFactory {
    @Override
    public String getName() {
        return "l2-logits";
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        double alpha = settings.getDouble("alpha");
        if (alpha < 0 || alpha > 1) {
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    "Method 'l2-logits': 'alpha' must be in [0, 1], not '" + alpha + "'.");
        }
        return new L2LogitsLoss(alpha);
    }
}
