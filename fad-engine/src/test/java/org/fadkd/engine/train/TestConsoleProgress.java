package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestConsoleProgress {
    @Test
    void testTheEpochLineShowsTrainingSamplesPerSecond() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress("job 1/1 kd", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        LoopListener listener = LoopListeners.of(progress);
        listener.onEpochStart(1, 2, 2);
        Thread.sleep(20);
        listener.onStep(0.5, 64);
        listener.onStep(0.4, 64);
        listener.onEpochEnd(new EpochReport(1, Map.of("loss", 0.45), Map.of("top1", 0.75), 1.5, 300));
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertThat(line).startsWith("job 1/1 kd epoch 1: loss 0.4500, val top1 0.7500, 1.5 s, ")
                .containsPattern(", \\d+ samples/s, RSS 300 MiB");
        // At most 128 samples in at least 20 ms.
        int rate = Integer.parseInt(line.replaceAll("(?s).*, (\\d+) samples/s.*", "$1"));
        assertThat(rate).isBetween(1, 128 * 50);
    }

    @Test
    void testAListenerThatDoesNotKnowSamplesShowsNoRate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress("teacher", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        progress.onEpochStart(1, 1, 1);
        progress.onStep(0.5);
        progress.onEpochEnd(new EpochReport(1, Map.of("loss", 0.5), Map.of(), 1.0, 200));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("samples/s");
    }
}
