package org.fadkd.runner.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A project tree of {@code configs/} and {@code experiments/} written into a temporary directory.
 */
final class TestingProject {
    private final Path root;

    TestingProject(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    /** The project of the examples: two models, two methods, a trainer, a dataset and a task. */
    static TestingProject standard(Path root) {
        return new TestingProject(root)
                .config("task/classification.conf", "type = classification")
                .config(
                        "data/fashion-mnist.conf",
                        "type = fashion-mnist\nroot = data\nbatch-size = 32")
                .config("model/resnet.conf", "type = resnet\nwidth = 64\ndepth = 18")
                .config("model/cnn.conf", "type = cnn\nwidth = 16")
                .config("method/fad.conf", "type = fad\ntemperature = 4.0")
                .config("method/kd.conf", "type = kd\ntemperature = 2.0")
                .config("trainer/default.conf", "epochs = 10\nlearning-rate = 0.1");
    }

    TestingProject config(String relativePath, String text) {
        write(configs().resolve(relativePath), text);
        return this;
    }

    Path experiment(String name, String text) {
        Path file = experiments().resolve(name + ".conf");
        write(file, text);
        return file;
    }

    Path configs() {
        return root.resolve("configs");
    }

    Path experiments() {
        return root.resolve("experiments");
    }

    ConfigComposer composer() {
        return new ConfigComposer(List.of(configs()));
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
