/**
 * What a run leaves behind and what reads it back: a job's definition ({@link
 * org.fadkd.runner.results.JobSpec}), how it ended ({@link org.fadkd.runner.results.JobResult}), its
 * directory's files ({@link org.fadkd.runner.results.JobDirectory}), the console summary table and
 * the paired comparison with the student trained alone ({@link
 * org.fadkd.runner.results.PairedComparison}).
 * Below the job runner, tracking and the report, which all read these; depends on none of them.
 */
package org.fadkd.runner.results;
