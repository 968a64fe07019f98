package org.fadkd.engine.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTeacherCache {
    private static Model newModel() {
        Model model = Model.newInstance("teacher");
        model.setBlock(TestingComponents.mlp(6).newBlock(new Shape(8), 3));
        return model;
    }

    private static float[] weights(Model model) {
        Block block = model.getBlock();
        return block.getParameters().valueAt(0).getArray().toFloatArray();
    }

    @Test
    void testSecondObtainLoadsTheSameWeightsWithoutTraining(@TempDir Path root) throws Exception {
        TeacherCache cache = new TeacherCache(root);
        AtomicInteger trainings = new AtomicInteger();
        String key = TeacherCache.key(List.of("mlp", "recipe", "data"));
        float[] trained;
        try (Model model = newModel()) {
            TeacherCache.Outcome first = cache.obtain(key, true, model, m -> {
                trainings.incrementAndGet();
                m.getBlock().initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
                return 0.75;
            });
            assertThat(first.fromCache()).isFalse();
            trained = weights(model);
        }
        try (Model model = newModel()) {
            TeacherCache.Outcome second = cache.obtain(key, true, model, m -> {
                trainings.incrementAndGet();
                return 0;
            });
            assertThat(second.fromCache()).isTrue();
            assertThat(second.testTop1()).isEqualTo(0.75);
            assertThat(weights(model)).containsExactly(trained);
            try (NDManager manager = NDManager.newBaseManager()) {
                // the loaded block runs
                assertThat(model.getBlock().forward(new ai.djl.training.ParameterStore(manager, false),
                        new ai.djl.ndarray.NDList(manager.ones(new Shape(2, 8))), false).head().getShape())
                        .isEqualTo(new Shape(2, 3));
            }
        }
        assertThat(trainings).hasValue(1);
        try (var entries = Files.list(root)) {
            assertThat(entries.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(key, key + ".lock");
        }
    }

    @Test
    void testDifferentKeyOrNoReuseTrainsAgain(@TempDir Path root) {
        TeacherCache cache = new TeacherCache(root);
        AtomicInteger trainings = new AtomicInteger();
        for (String data : List.of("data-a", "data-b", "data-b")) {
            try (Model model = newModel()) {
                boolean reuse = !data.equals("data-b") || trainings.get() < 2;
                cache.obtain(TeacherCache.key(List.of("mlp", data)), reuse, model, m -> {
                    trainings.incrementAndGet();
                    m.getBlock().initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
                    return 0.5;
                });
            }
        }
        assertThat(trainings).hasValue(3);
    }

    @Test
    void testKeyDependsOnEveryPartAndItsBoundaries() {
        assertThat(TeacherCache.key(List.of("ab", "c"))).isNotEqualTo(TeacherCache.key(List.of("a", "bc")));
        assertThat(TeacherCache.key(List.of("a"))).isEqualTo(TeacherCache.key(List.of("a")));
    }

    private static double trainOnce(Model model, AtomicInteger trainings) {
        trainings.incrementAndGet();
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
        return 0.75;
    }

    @Test
    void testDamagedEntryOfTheRightSizeIsReportedAndTrainedAgain(@TempDir Path root) throws Exception {
        List<String> warnings = new ArrayList<>();
        TeacherCache cache = new TeacherCache(root, warnings::add);
        AtomicInteger trainings = new AtomicInteger();
        String key = TeacherCache.key(List.of("mlp", "damaged"));
        try (Model model = newModel()) {
            cache.obtain(key, true, model, m -> trainOnce(m, trainings));
        }
        Path weights;
        try (var files = Files.list(root.resolve(key))) {
            weights = files.filter(file -> file.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        // Flip bytes near the end (in the weights, past the header): same size, other numbers.
        byte[] bytes = Files.readAllBytes(weights);
        for (int i = bytes.length - 16; i < bytes.length; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(weights, bytes);
        try (Model model = newModel()) {
            TeacherCache.Outcome outcome = cache.obtain(key, true, model, m -> trainOnce(m, trainings));
            assertThat(outcome.fromCache()).isFalse();
        }
        assertThat(trainings).hasValue(2);
        assertThat(warnings).singleElement().asString()
                .contains("is damaged", "the checksum of " + weights.getFileName(), "training it again");
        try (Model model = newModel()) {
            assertThat(cache.obtain(key, true, model, m -> trainOnce(m, trainings)).fromCache()).isTrue();
        }
    }

    @Test
    void testEntryOfAnEarlierVersionIsReusedAndGainsChecksums(@TempDir Path root) throws Exception {
        List<String> warnings = new ArrayList<>();
        TeacherCache cache = new TeacherCache(root, warnings::add);
        AtomicInteger trainings = new AtomicInteger();
        String key = TeacherCache.key(List.of("mlp", "old"));
        try (Model model = newModel()) {
            cache.obtain(key, true, model, m -> trainOnce(m, trainings));
        }
        Path metadata = root.resolve(key).resolve("teacher.properties");
        Files.write(metadata, Files.readAllLines(metadata).stream().filter(line -> !line.startsWith("sha256.")).toList());
        try (Model model = newModel()) {
            assertThat(cache.obtain(key, true, model, m -> trainOnce(m, trainings)).fromCache()).isTrue();
        }
        assertThat(trainings).hasValue(1);
        assertThat(warnings).isEmpty();
        assertThat(Files.readString(metadata)).contains("sha256.teacher-0000.params=");
    }

    @Test
    void testUnwritableCacheWarnsAndTheTeacherIsStillUsable(@TempDir Path root) throws Exception {
        // A file where the cache directory belongs: nothing can be created below it, even as root.
        Path blocked = Files.writeString(root.resolve("cache"), "not a directory");
        List<String> warnings = new ArrayList<>();
        TeacherCache cache = new TeacherCache(blocked.resolve("teachers"), warnings::add);
        try (Model model = newModel()) {
            TeacherCache.Outcome outcome = cache.obtain(TeacherCache.key(List.of("mlp")), true, model,
                    m -> trainOnce(m, new AtomicInteger()));
            assertThat(outcome.fromCache()).isFalse();
            assertThat(outcome.testTop1()).isEqualTo(0.75);
            // Its weights are on disk for this process's measurements, outside the cache.
            try (var files = Files.list(outcome.directory())) {
                assertThat(files.map(Path::toString)).anyMatch(file -> file.endsWith(".params"));
            }
        }
        assertThat(warnings).singleElement().asString().contains("The teacher cannot be cached in "
                + blocked.resolve("teachers"), "Not a directory", "goes on without caching");
    }

    @Test
    void testSecondRunnerWaitsForTheFirstAndReusesItsEntry(@TempDir Path root) throws Exception {
        String key = TeacherCache.key(List.of("mlp", "locked"));
        Path ready = root.resolve("holding");
        // Another process holds the entry's lock for a while, as a runner training that teacher does.
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), TestingLockHolder.class.getName(),
                root.resolve(key + ".lock").toString(), ready.toString(), "1500").inheritIO().start();
        try {
            for (int i = 0; i < 200 && !Files.exists(ready); i++) {
                Thread.sleep(50);
            }
            assertThat(ready).exists();
            List<String> warnings = new ArrayList<>();
            long start = System.nanoTime();
            try (Model model = newModel()) {
                new TeacherCache(root, warnings::add).obtain(key, true, model, m -> trainOnce(m, new AtomicInteger()));
            }
            assertThat((System.nanoTime() - start) / 1e6).isGreaterThan(500);
            assertThat(warnings).singleElement().asString().contains("Another runner is filling the cache entry");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }
}
