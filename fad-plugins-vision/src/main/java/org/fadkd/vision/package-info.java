/** The vision plugin's entry point, {@link org.fadkd.vision.VisionPlugin}. */
package org.fadkd.vision;
