/** Task {@code classification}: cross-entropy loss with top-1 and top-5 accuracy. */
package org.fadkd.vision.task;
