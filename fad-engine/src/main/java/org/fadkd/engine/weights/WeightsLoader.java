package org.fadkd.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;

/**
 * Copies a weights file's tensors into an initialised block's parameters, after checking that the
 * file fits the block as a whole: every tensor the block needs is there, with the block's shape,
 * and the file holds nothing else but integer counters and the tensors the section ignores. A file
 * that fails is refused before any parameter changes, with every mismatch named (the first few of
 * each kind).
 *
 * <p>Two leniences, both for checkpoints of other frameworks: with {@code new-head} the block's
 * head keeps its initialisation (and the file's head tensors may stay unread); and names the file
 * lacks are looked up under the one prefix that finds most of them ({@code bert.}, {@code
 * transformer.}), as Hugging Face loads a base model from a task model's checkpoint.
 */
final class WeightsLoader {
    /** How many names of one kind of mismatch a message lists. */
    private static final int LISTED = 8;
    /** The name of a model's head among its top-level children. */
    private static final String HEAD = "head";

    private WeightsLoader() {}

    private record Copy(Parameter parameter, FileTensor source) {}

    /**
     * @param sources block parameter name to file tensor, covering every parameter
     * @param description the architecture, for messages
     * @param classes the task's class count, to recognise a classifier of another size
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the file does not fit
     */
    static void load(WeightsFile file, Map<String, FileTensor> sources, Block block, String description,
            int classes, WeightsSettings settings) {
        Map<String, WeightInfo> tensors = new LinkedHashMap<>();
        file.getTensors().forEach(info -> tensors.put(info.name(), info));
        Set<Parameter> head = headParameters(block);
        if (settings.newHead() && head.isEmpty()) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Weights file '%s' is to be loaded with a new head (weights.new-head = true), but %s has no head"
                            + " with parameters (a top-level block named '%s'). Set new-head = false.",
                    file.getFile(), description, HEAD));
        }
        Set<Parameter> fresh = settings.newHead() ? head : Set.of();
        boolean onlyHeadMissing = true;
        String prefix = basePrefix(sources.values().stream().map(FileTensor::name).distinct().toList(),
                tensors.keySet());
        List<String> missing = new ArrayList<>();
        List<String> misshapen = new ArrayList<>();
        List<String> headProblems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<Copy> copies = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            FileTensor source = sources.get(pair.getKey());
            if (source == null) {
                throw new IllegalStateException("no file tensor for parameter " + pair.getKey() + " of " + description);
            }
            if (!tensors.containsKey(source.name()) && tensors.containsKey(prefix + source.name())) {
                source = new FileTensor(prefix + source.name(), source.part(), source.parts());
            }
            if (fresh.contains(pair.getValue())) {
                used.add(source.name()); // the file's own head, if it has one, stays unread
                continue;
            }
            WeightInfo info = tensors.get(source.name());
            if (info == null) {
                missing.add(source.toString());
                onlyHeadMissing &= head.contains(pair.getValue());
                continue;
            }
            used.add(source.name());
            Shape expected = pair.getValue().getArray().getShape();
            Shape stored = sliceShape(info.shape(), source);
            if (stored == null || !sameShape(stored, expected)) {
                String found = stored == null
                        ? info.shape() + ", whose first axis does not split into " + source.parts()
                        : stored.toString();
                misshapen.add(String.format("'%s' is %s in the file, %s in the model", source, found, expected));
                classifierHint(stored, expected, classes).ifPresent(headProblems::add);
                continue;
            }
            copies.add(new Copy(pair.getValue(), source));
        }
        List<String> unused = file.getTensors().stream()
                .filter(info -> !used.contains(info.name()) && info.storedType().isFloatingPoint()
                        && !settings.isIgnored(info.name()))
                .map(WeightInfo::name)
                .toList();
        List<String> problems = new ArrayList<>();
        headProblems.stream().distinct().forEach(problems::add);
        if (!missing.isEmpty()) {
            problems.add(String.format("it lacks %d tensor(s) the model needs: %s%s%s", missing.size(), listed(missing),
                    file instanceof OnnxInitializers
                            ? " (an ONNX export folds batch norm into the convolutions unless it is exported with"
                                    + " do_constant_folding=False and training=TrainingMode.PRESERVE)"
                            : "",
                    onlyHeadMissing ? " (all of the model's head: set weights.new-head = true to start a new one)"
                            : ""));
        }
        if (!misshapen.isEmpty()) {
            problems.add(String.format("%d tensor(s) have another shape: %s", misshapen.size(), listed(misshapen)));
        }
        if (!unused.isEmpty()) {
            problems.add(String.format("it holds %d tensor(s) the model does not use: %s (weights.ignore lists"
                    + " those that may stay unread)", unused.size(), listed(unused)));
        }
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Weights file '%s' does not fit %s: %s. The file is probably for another network (another"
                            + " depth, width or family) or task; use weights saved from this architecture with these"
                            + " settings.", file.getFile(), description, String.join("; ", problems)));
        }
        for (Copy copy : copies) {
            float[] values = file.readFloats(copy.source().name());
            int length = values.length / copy.source().parts();
            NDArray array = copy.parameter().getArray();
            array.set(FloatBuffer.wrap(values, copy.source().part() * length, length));
        }
    }

    /**
     * The parameters of the block's head, its top-level child {@code head} (as {@link
     * org.fadkd.api.block.TappedSequentialBlock} names it); empty when there is none.
     */
    private static Set<Parameter> headParameters(Block block) {
        Set<Parameter> head = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair<String, Block> child : block.getChildren()) {
            // DJL numbers children: the head added third is "03head"
            if (child.getKey().replaceFirst("^\\d+", "").equals(HEAD)) {
                child.getValue().getParameters().values().forEach(head::add);
            }
        }
        return head;
    }

    /**
     * The prefix under which the file holds the names it lacks, e.g. {@code bert.} for a
     * {@code BertForSequenceClassification} checkpoint read with {@code BertModel}'s names: of the
     * prefixes that put a file tensor at the first absent name, the one that finds most absent
     * names; empty when every name is present or no prefix finds one.
     */
    static String basePrefix(List<String> wanted, Set<String> present) {
        List<String> absent = wanted.stream().filter(name -> !present.contains(name)).toList();
        String best = "";
        long found = 0;
        for (String first : absent) {
            for (String tensor : present) {
                if (!tensor.endsWith("." + first)) {
                    continue;
                }
                String prefix = tensor.substring(0, tensor.length() - first.length());
                long count = absent.stream().filter(name -> present.contains(prefix + name)).count();
                if (count > found) {
                    best = prefix;
                    found = count;
                }
            }
            if (found > 0) {
                break;
            }
        }
        return best;
    }

    /** The shape of the slice, or null when the first axis does not split evenly. */
    private static Shape sliceShape(Shape shape, FileTensor source) {
        if (source.isWhole()) {
            return shape;
        }
        if (shape.dimension() == 0 || shape.get(0) % source.parts() != 0) {
            return null;
        }
        // a copy: Shape hands out its own array
        long[] dimensions = shape.getShape().clone();
        dimensions[0] /= source.parts();
        return new Shape(dimensions);
    }

    /**
     * Equal up to leading axes of size 1, which frameworks add or drop freely (torchvision's class
     * token is (1, 1, D)); the row-major data is the same either way.
     */
    private static boolean sameShape(Shape stored, Shape expected) {
        return withoutLeadingOnes(stored).equals(withoutLeadingOnes(expected));
    }

    private static Shape withoutLeadingOnes(Shape shape) {
        int start = 0;
        while (start < shape.dimension() - 1 && shape.get(start) == 1) {
            start++;
        }
        return shape.slice(start);
    }

    /** A parameter whose first axis is the class count where the file's is another: a classifier of another task. */
    private static Optional<String> classifierHint(Shape stored, Shape expected, int classes) {
        if (stored == null || stored.dimension() != expected.dimension() || expected.dimension() == 0
                || expected.get(0) != classes || stored.get(0) == classes
                || !stored.slice(1).equals(expected.slice(1))) {
            return Optional.empty();
        }
        return Optional.of(String.format("the file's head has %d classes, the task %d (train or export"
                + " the weights with a %d-class head)", stored.get(0), classes, classes));
    }

    private static String listed(List<String> names) {
        List<String> shown = names.subList(0, Math.min(LISTED, names.size()));
        String quoted = shown.get(0).startsWith("'") ? String.join(", ", shown)
                : "'" + String.join("', '", shown) + "'";
        return quoted + (names.size() > shown.size() ? String.format(" and %d more", names.size() - shown.size()) : "");
    }
}
