/**
 * Image datasets: dataset {@code fashion-mnist}, read from IDX files that stay on the Java heap as
 * bytes until a batch is requested.
 */
package org.fadkd.vision.data;
