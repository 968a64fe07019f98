package org.fadkd.nlp.task;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;

/**
 * Settings of task {@code text-classification}; documented in {@code
 * defaults/text-classification.conf}.
 *
 * @param primaryMetric the result that picks the best epoch: {@code accuracy} or {@code f1}
 */
record TextClassificationSettings(String primaryMetric) {
    static final List<String> METRICS =
            List.of(TextClassificationEvaluator.ACCURACY, TextClassificationEvaluator.F1);

    static TextClassificationSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "task", TextClassificationTaskFactory.NAME);
        String primaryMetric = reader.getString("primary-metric");
        reader.check(METRICS.contains(primaryMetric), "primary-metric", "accuracy or f1");
        reader.throwIfInvalid();
        return new TextClassificationSettings(primaryMetric);
    }
}
