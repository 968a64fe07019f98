/**
 * The teacher's on-disk caches: trained teachers keyed by everything that determines their
 * weights ({@link org.fadkd.engine.teacher.TeacherCache}), and the teacher-flow cache of fad-spec
 * §9, the mean flow profile {@code D̄^T} and optionally the teacher's logits per training sample
 * ({@link org.fadkd.engine.teacher.TeacherFlowCache}). A stale entry is never used.
 *
 * <p>Depends on fad-api, fad-flow and the engine's {@code model} and {@code data} packages.
 */
package org.fadkd.engine.teacher;
