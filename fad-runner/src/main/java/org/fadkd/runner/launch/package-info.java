/**
 * The runner's built-in launchers, what runs a sweep's planned jobs ({@link
 * org.fadkd.api.JobLauncher}): {@code local}, in this process or in a bounded pool of worker
 * processes on this machine. They know only the launcher SPI of fad-api; the runner's side of it
 * (the job directories, the worker command, gathering results) is {@code org.fadkd.runner.job}'s.
 */
package org.fadkd.runner.launch;
