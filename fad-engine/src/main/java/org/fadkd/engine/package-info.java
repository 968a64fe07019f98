/**
 * Host-side machinery shared by the runner and by plugin tests: component binding, the
 * distillation loop, model taps, flow profiles and alignment math, teacher training and caching.
 * No CLI, no dependency injection, no MLflow.
 */
package org.fadkd.engine;
