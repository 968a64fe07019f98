/**
 * Vision architectures whose forward returns {@code [logits, taps...]}: {@code resnet} (teacher)
 * and the student families {@code cnn}, {@code mlp}, {@code mobilenet} and {@code vgg}, small
 * enough by default to distil on Fashion-MNIST on a laptop CPU, and the Vision Transformer
 * {@code vit} in torchvision's layout and sizes.
 */
package org.fadkd.vision.model;
