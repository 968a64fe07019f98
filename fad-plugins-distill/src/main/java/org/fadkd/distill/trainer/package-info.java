/**
 * The built-in trainers (component kind {@code trainer}): {@code standard} (one stage, the job's
 * method), {@code staged} (a list of stages: FitNets' hint stage then kd, or a curriculum) and
 * {@code assistant} (teacher-assistant distillation, TAKD). They describe schedules through {@link
 * org.fadkd.api.TrainerHost} and depend on fad-api alone; the host runs the stages.
 */
package org.fadkd.distill.trainer;
