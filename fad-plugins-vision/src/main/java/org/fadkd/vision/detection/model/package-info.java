/**
 * Architecture {@code centernet}: a CenterNet-style detector (fad-spec §12) on any tapped backbone
 * of the plugin, whose output is a {@link org.fadkd.api.DenseDetectionOutput}.
 */
package org.fadkd.vision.detection.model;
