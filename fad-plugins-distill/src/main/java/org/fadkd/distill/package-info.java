/**
 * FAD's built-in distillation methods ({@code none}, {@code kd}, {@code fad}) and flow metrics
 * ({@code cka}, {@code relative-change}, {@code gram}), registered through {@link
 * org.fadkd.distill.DistillPlugin}.
 *
 * @since 0.1
 */
package org.fadkd.distill;
