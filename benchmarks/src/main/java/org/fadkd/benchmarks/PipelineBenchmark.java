package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.util.Json;

/**
 * Benchmark 7, the ImageFolder training input pipeline alone: FAD's {@code imagefolder} training
 * batches ({@code getTrainingBatch}: JPEG decoding, RandomResizedCrop, flip, normalisation and the
 * batch array, on {@code data.workers} threads) against torchvision's {@code DataLoader(ImageFolder(
 * transform = RandomResizedCrop + RandomHorizontalFlip + ToTensor + Normalize), num_workers = N)}
 * over the same folder, in images per second. Rounds interleave the two sides and every worker
 * count, as the suite does, so a slow minute touches all of them alike.
 */
final class PipelineBenchmark {
    private static final long TIMEOUT_MINUTES = 30;
    private static final long SEED = 1;

    /**
     * @param rounds repeats of every measurement
     * @param batchSize images per batch
     * @param warmupBatches untimed batches first (JIT, file cache, torchvision's worker start)
     * @param batches timed batches
     * @param imageSize the side of the crops
     * @param workers the worker counts compared, FAD's {@code data.workers} and torchvision's
     *     {@code num_workers} alike
     */
    record Sizes(int rounds, int batchSize, int warmupBatches, int batches, int imageSize, List<Integer> workers) {
        Sizes {
            workers = List.copyOf(workers);
            if (rounds < 1 || batchSize < 1 || warmupBatches < 0 || batches < 1 || imageSize < 1 || workers.isEmpty()
                    || workers.stream().anyMatch(count -> count < 1)) {
                throw new IllegalArgumentException("invalid sizes " + this);
            }
        }
    }

    /** What {@code imagefolder_pipeline.py run} prints. */
    record TorchRun(double imagesPerSecond, double batchMs, double warmupSeconds, int workers, int batchSize,
            int batches, int imageSize, List<Integer> shape, String torch, String torchvision, String python,
            int threads) {}

    /** One worker count: both sides' images per second and FAD / torchvision, per round. */
    record Row(int workers, Distribution fadImagesPerSecond, Distribution torchImagesPerSecond, Distribution ratio) {}

    /**
     * The benchmark's results.
     *
     * @param torchError why the torchvision side did not run, or null
     */
    record Outcome(String root, int trainingImages, Sizes sizes, List<Row> rows, TorchRun torchExample,
            String torchError, Results.Environment environment) {}

    private final Path root;
    private final String python;
    private final Path script;
    private final Sizes sizes;
    private final PrintStream progress;

    PipelineBenchmark(Path root, String python, Path script, Sizes sizes, PrintStream progress) {
        this.root = requireNonNull(root, "root is null");
        this.python = requireNonNull(python, "python is null");
        this.script = requireNonNull(script, "script is null");
        this.sizes = requireNonNull(sizes, "sizes is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    Outcome run(String gitCommit) {
        String loadAverageStart = MachineEnvironment.loadAverage();
        int count = sizes.workers().size();
        List<List<Double>> fad = new ArrayList<>();
        List<List<Double>> torch = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            fad.add(new ArrayList<>());
            torch.add(new ArrayList<>());
        }
        TorchRun example = null;
        String torchError = null;
        int trainingImages = 0;
        try (TestingFadContext context = TestingFadContext.builder().build()) {
            for (int round = 1; round <= sizes.rounds(); round++) {
                for (int w = 0; w < count; w++) {
                    int workers = sizes.workers().get(w);
                    DataSplit train = dataset(context, workers).getSplit(Split.TRAIN);
                    trainingImages = train.size();
                    double fadRate = fad(train, round);
                    fad.get(w).add(fadRate);
                    String torchText = "not run";
                    if (torchError == null) {
                        try {
                            example = torch(workers, round);
                            torch.get(w).add(example.imagesPerSecond());
                            torchText = String.format(Locale.ROOT, "%.1f", example.imagesPerSecond());
                        } catch (PyTorchScript.PyTorchUnavailable e) {
                            torchError = e.getMessage();
                            progress.println("benchmark 7: torchvision side skipped: " + torchError);
                        }
                    }
                    progress.printf(Locale.ROOT, "benchmark 7 round %d/%d, %d workers: FAD %.1f images/s,"
                            + " torchvision %s images/s%n", round, sizes.rounds(), workers, fadRate, torchText);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            Distribution torchRates = torch.get(w).isEmpty() ? null : Distribution.of(torch.get(w));
            Distribution ratio = null;
            if (torchRates != null) {
                double[] ratios = new double[torch.get(w).size()];
                for (int r = 0; r < ratios.length; r++) {
                    ratios[r] = fad.get(w).get(r) / torch.get(w).get(r);
                }
                ratio = Distribution.of(ratios);
            }
            rows.add(new Row(sizes.workers().get(w), Distribution.of(fad.get(w)), torchRates, ratio));
        }
        return new Outcome(root.toString(), trainingImages, sizes, rows, example, torchError,
                MachineEnvironment.capture(gitCommit, loadAverageStart));
    }

    /** The folder as dataset {@code imagefolder}, with {@code data.workers = workers} and torchvision's transform. */
    private LabeledDataset dataset(TestingFadContext context, int workers) {
        DatasetFactory factory = null;
        for (FadPlugin plugin : ServiceLoader.load(FadPlugin.class)) {
            for (DatasetFactory candidate : plugin.getDatasetFactories()) {
                if (candidate.getName().equals("imagefolder")) {
                    factory = candidate;
                }
            }
        }
        if (factory == null) {
            throw new IllegalStateException("dataset 'imagefolder' is not on the class path (fad-plugins-vision)");
        }
        // The defaults are torchvision's: RandomResizedCrop scale and ratio, flip, ImageNet's normalisation.
        Config settings = ConfigFactory.empty()
                .withValue("root", ConfigValueFactory.fromAnyRef(root.toString()))
                .withValue("image-size", ConfigValueFactory.fromAnyRef(sizes.imageSize()))
                .withValue("resize-size", ConfigValueFactory.fromAnyRef(sizes.imageSize()))
                .withValue("workers", ConfigValueFactory.fromAnyRef(workers))
                .withValue("verify-limit", ConfigValueFactory.fromAnyRef(0))
                .withFallback(factory.getDefaults());
        return factory.create(settings, context);
    }

    /** Training batches of a shuffled plan, each in its own manager closed at once (as a step does). */
    private double fad(DataSplit train, int round) {
        List<int[]> plan = BatchPlan.plan(train.size(), sizes.batchSize(), true, true, SEED * 1_000_003L + round);
        int needed = sizes.warmupBatches() + sizes.batches();
        if (plan.size() < needed) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d batches of %d need %d images; the"
                    + " folder's train/ has %d", needed, sizes.batchSize(), needed * sizes.batchSize(), train.size()));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            long start = 0;
            for (int b = 0; b < needed; b++) {
                if (b == sizes.warmupBatches()) {
                    start = System.nanoTime();
                }
                try (NDManager scope = manager.newSubManager()) {
                    train.getTrainingBatch(scope, plan.get(b), SEED, round);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return sizes.batches() * sizes.batchSize() / seconds;
        }
    }

    private TorchRun torch(int workers, int round) {
        List<String> command = List.of(python, script.toString(), "run", "--root", root.toString(),
                "--workers", Integer.toString(workers), "--batch-size", Integer.toString(sizes.batchSize()),
                "--batches", Integer.toString(sizes.batches()), "--warmup", Integer.toString(sizes.warmupBatches()),
                "--image-size", Integer.toString(sizes.imageSize()),
                "--threads", Integer.toString(MachineEnvironment.threads().intraOp()),
                "--seed", Long.toString(SEED + round));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new PyTorchScript.PyTorchUnavailable("'" + String.join(" ", command) + "' ran longer than "
                        + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new PyTorchScript.PyTorchUnavailable("'" + String.join(" ", command) + "' exited with "
                        + process.exitValue() + " (its error output is above)");
            }
            return Json.parse(output, TorchRun.class);
        } catch (IOException e) {
            throw new PyTorchScript.PyTorchUnavailable("cannot start '" + python + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while torchvision ran", e));
        }
    }

    /** The results as Markdown: what was measured, then one row per worker count. */
    static String markdown(Outcome outcome, String command) {
        Sizes sizes = outcome.sizes();
        StringBuilder text = new StringBuilder();
        text.append("# Benchmark 7: ImageFolder training input pipeline\n\n");
        text.append(String.format(Locale.ROOT, "`%s`, %d training images under `%s`; batches of %d, %dx%d crops,"
                        + " %d warm-up and %d timed batches per measurement, %d rounds (median (min-max) over"
                        + " rounds).%n%n", command, outcome.trainingImages(), outcome.root(), sizes.batchSize(),
                sizes.imageSize(), sizes.imageSize(), sizes.warmupBatches(), sizes.batches(), sizes.rounds()));
        text.append("FAD: `imagefolder` training batches (ImageIO decoding, RandomResizedCrop, flip, normalisation,"
                + " the batch array) on `data.workers` threads. torchvision: `DataLoader(ImageFolder(transform ="
                + " RandomResizedCrop + RandomHorizontalFlip + ToTensor + Normalize), num_workers = workers)`"
                + (outcome.torchExample() == null ? "" : String.format(Locale.ROOT, " (torch %s, torchvision %s,"
                        + " Python %s)", outcome.torchExample().torch(), outcome.torchExample().torchvision(),
                        outcome.torchExample().python()))
                + ".\n\n");
        if (outcome.torchError() != null) {
            text.append("The torchvision side did not run: ").append(outcome.torchError()).append("\n\n");
        }
        text.append("| workers | FAD images/s | torchvision images/s | FAD / torchvision |\n");
        text.append("|---:|---:|---:|---:|\n");
        for (Row row : outcome.rows()) {
            text.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", row.workers(),
                    figure(row.fadImagesPerSecond(), "%.1f"), figure(row.torchImagesPerSecond(), "%.1f"),
                    figure(row.ratio(), "%.2f")));
        }
        Results.Environment environment = outcome.environment();
        text.append(String.format(Locale.ROOT, "%nMachine: %s; load average %s at the start, %s at the end.%n",
                environment.cpu(), environment.loadAverageStart(), environment.loadAverageEnd()));
        return text.toString();
    }

    private static String figure(Distribution distribution, String format) {
        if (distribution == null) {
            return "not run";
        }
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", distribution.median(),
                distribution.min(), distribution.max());
    }
}
