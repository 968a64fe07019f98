/**
 * The MLflow adapter: {@link org.fadkd.runner.tracking.mlflow.SpoolReplay} sends one spool to one
 * server exactly once, remembering what was acknowledged in {@code mlflow-sync.json} beside the
 * spool; {@link org.fadkd.runner.tracking.mlflow.LiveSender} does so from a background thread while
 * runs write their spools; {@link org.fadkd.runner.tracking.mlflow.MlflowSync} is {@code runner
 * sync}. {@link org.fadkd.runner.tracking.mlflow.MlflowServer} speaks to the server: the REST
 * client of {@code org.mlflow:mlflow-client} for runs, and plain HTTP PUTs to the server's artifact
 * proxy for files.
 */
package org.fadkd.runner.tracking.mlflow;
