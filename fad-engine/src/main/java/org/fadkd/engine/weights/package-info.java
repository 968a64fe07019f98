/**
 * Readers that turn a weights file into named float32 tensors: safetensors ({@link
 * org.fadkd.engine.weights.SafetensorsReader}) and the initializers of an ONNX model ({@link
 * org.fadkd.engine.weights.OnnxInitializers}), both behind {@link
 * org.fadkd.engine.weights.WeightsFile}. They read names, stored types and shapes, and widen every
 * floating-point type (float16, bfloat16, float64) to float32 in Java, so that no bfloat16 array
 * ever reaches DJL, whose PyTorch engine aborts the JVM on one.
 *
 * <p>A model section's {@code weights} ({@link org.fadkd.engine.weights.WeightsSettings},
 * documented in {@code weights-defaults.conf}) loads such a file, or DJL's own {@code .params},
 * into any native architecture: the component binder wraps the architecture a factory created in
 * a {@link org.fadkd.engine.weights.PretrainedArchitecture}, whose blocks load the file when they
 * are initialised, mapping the file's tensors onto the block's parameters through the
 * architecture's {@link org.fadkd.api.Architecture#getParameterNames}, and refuse a file that
 * does not fit as a whole.
 *
 * <p>Every malformed file fails with a {@link org.fadkd.api.FadException} that names the file,
 * what is wrong and what to do.
 *
 * @since 0.2
 */
package org.fadkd.engine.weights;
