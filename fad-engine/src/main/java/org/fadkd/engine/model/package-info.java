/**
 * Models as the engine handles them: a DJL model with its taps ({@link
 * org.fadkd.engine.model.TappedModel}), and the exported student, a directory that rebuilds the
 * distilled network from its architecture's name and settings ({@link
 * org.fadkd.engine.model.StudentExport}).
 *
 * @since 0.1
 */
package org.fadkd.engine.model;
