package org.fadkd.engine.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
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
            assertThat(entries.map(path -> path.getFileName().toString())).containsExactly(key);
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
}
