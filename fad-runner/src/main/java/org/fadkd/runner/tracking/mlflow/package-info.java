/**
 * The MLflow adapter: {@link org.fadkd.runner.tracking.mlflow.SpoolReplay} sends one spool to one
 * server exactly once, remembering what was acknowledged in {@code mlflow-sync.json} beside the
 * spool; {@link org.fadkd.runner.tracking.mlflow.LiveSender} does so from a background thread while
 * runs write their spools; {@link org.fadkd.runner.tracking.mlflow.MlflowSync} is {@code runner
 * sync}. {@link org.fadkd.runner.tracking.mlflow.MlflowServer} speaks to the server: MLflow's REST
 * API for runs and plain HTTP PUTs to the server's artifact proxy for files, every call with a
 * connect and a request timeout ({@code org.mlflow:mlflow-client}'s own client has none); the
 * client's protobuf classes carry the values.
 */
package org.fadkd.runner.tracking.mlflow;
