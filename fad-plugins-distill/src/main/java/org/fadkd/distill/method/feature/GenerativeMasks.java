package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.fadkd.distill.method.feature.GenerativeSettings.Mask;

/**
 * MGD's random masks (fad-spec §11.7), drawn on the host from a generator seeded by the run's seed
 * and the global step: a resumed run draws the same mask at the same step as the interrupted one,
 * and no engine-wide random state is touched.
 *
 * @since 0.1
 */
public final class GenerativeMasks {
    private GenerativeMasks() {}

    /**
     * Draws one step's mask for features {@code (B, C, H, W)}.
     *
     * @param mask what the mask drops, never null
     * @param ratio λ, the probability that an entry is 0
     * @param seed the run's seed
     * @param step the global step
     * @param features the shape {@code (B, C, H, W)} of the features it masks, never null
     * @return the 0/1 entries, row-major, of shape {@link #shape}
     * @since 0.1
     */
    public static float[] draw(Mask mask, double ratio, long seed, long step, Shape features) {
        SplittableRandom random = new SplittableRandom(mix(seed, step));
        float[] values = new float[Math.toIntExact(shape(mask, features).size())];
        for (int k = 0; k < values.length; k++) {
            // As the official code's where(rand > 1 − λ, 0, 1): 0 with probability λ.
            values[k] = random.nextDouble() < ratio ? 0f : 1f;
        }
        return values;
    }

    /**
     * Draws one step's mask as an array that broadcasts over the features.
     *
     * @param manager the batch's manager, never null
     * @param type the features' data type, never null
     * @param mask what the mask drops, never null
     * @param ratio λ
     * @param seed the run's seed
     * @param step the global step
     * @param features the features' shape {@code (B, C, H, W)}, never null
     * @return {@code (B, C, 1, 1)} for channel masks, {@code (B, 1, H, W)} for spatial ones
     * @since 0.1
     */
    public static NDArray draw(
            NDManager manager, DataType type, Mask mask, double ratio, long seed, long step, Shape features) {
        NDArray values = manager.create(draw(mask, ratio, seed, step, features), shape(mask, features));
        if (type == DataType.FLOAT32) {
            return values;
        }
        try (values) {
            return values.toType(type, true);
        }
    }

    /**
     * Returns the shape of a mask for features {@code (B, C, H, W)}.
     *
     * @param mask what the mask drops, never null
     * @param features the features' shape, never null
     * @return {@code (B, C, 1, 1)} or {@code (B, 1, H, W)}
     * @since 0.1
     */
    public static Shape shape(Mask mask, Shape features) {
        requireNonNull(mask, "mask is null");
        return mask == Mask.CHANNEL
                ? new Shape(features.get(0), features.get(1), 1, 1)
                : new Shape(features.get(0), 1, features.get(2), features.get(3));
    }

    /**
     * One generator seed per (run seed, step); the finaliser of MurmurHash3 spreads nearby inputs so
     * that the streams of consecutive steps do not overlap.
     */
    static long mix(long seed, long step) {
        long h = seed * 0x9E3779B97F4A7C15L + step;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
