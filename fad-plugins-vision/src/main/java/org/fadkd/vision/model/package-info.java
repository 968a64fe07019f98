/**
 * Vision architectures whose forward returns {@code [logits, taps...]}: {@code resnet} (teacher)
 * and {@code cnn} (student).
 */
package org.fadkd.vision.model;
