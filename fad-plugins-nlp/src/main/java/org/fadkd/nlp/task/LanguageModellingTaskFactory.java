package org.fadkd.nlp.task;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.FadContext;
import org.fadkd.api.Task;
import org.fadkd.api.TaskFactory;

/**
 * Task {@code language-modelling}: next-token cross-entropy averaged over the target tokens that
 * are not padding, measured by perplexity over the whole evaluation set, token-weighted (fad-spec
 * §12). For a language model's {@code (B, L, V)} logits on a language-modelling dataset ({@code
 * sotu-lm}), whose labels are its inputs {@code (ids, mask)}. The metric that picks the best epoch
 * is {@code inverse_perplexity} ({@code 1 / perplexity}), which the job reports as {@code best_top1}
 * and {@code final_top1}. No settings.
 */
public final class LanguageModellingTaskFactory implements TaskFactory {
    public static final String NAME = "language-modelling";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Task create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new LanguageModellingTask();
    }
}
