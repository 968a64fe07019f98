package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.lang.reflect.Method;

/**
 * Where timings were taken, recorded with them as fad-spec §13 asks: timings from different
 * devices or thread counts are not comparable.
 *
 * @param engine the deep-learning engine, e.g. {@code PyTorch 2.7.1}
 * @param device the device the model ran on, e.g. {@code cpu()}
 * @param threads the engine's intra-op threads, or 0 when the engine does not say
 * @since 0.1
 */
public record MeasurementEnvironment(String engine, String device, int threads) {
    /** PyTorch's thread count is only reachable through its JNI class, which fad-engine does not compile against. */
    private static final String PYTORCH_JNI = "ai.djl.pytorch.jni.JniUtils";

    public MeasurementEnvironment {
        requireNonNull(engine, "engine is null");
        requireNonNull(device, "device is null");
    }

    /**
     * Describes the default engine running on {@code device}.
     *
     * @param device the device models are timed on, never null
     * @return the environment
     */
    public static MeasurementEnvironment of(Device device) {
        requireNonNull(device, "device is null");
        Engine engine = Engine.getInstance();
        return new MeasurementEnvironment(engine.getEngineName() + " " + engine.getVersion(), device.toString(),
                threads(engine));
    }

    private static int threads(Engine engine) {
        if (!"PyTorch".equals(engine.getEngineName())) {
            return 0;
        }
        try {
            Class<?> jni = Class.forName(PYTORCH_JNI, true, engine.getClass().getClassLoader());
            Method getter = jni.getMethod("getNumThreads");
            return (Integer) getter.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }
}
