package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * COCO's object-detection annotation format ({@code instances_*.json}): {@code images} (id,
 * file_name, width, height), {@code annotations} (image_id, category_id, {@code bbox = [x, y, w,
 * h]} in pixels, iscrowd) and {@code categories} (id, name). Category ids may be any integers (COCO's
 * run 1..90 with gaps); class indices are their ranks in ascending id order.
 *
 * <p>The file is streamed, one entry at a time, so memory holds the boxes and not the JSON tree
 * (COCO's train2017 file is 450 MB, mostly segmentation polygons, which are skipped). Every entry is
 * checked; the first problem fails with the file, the entry (its array position, id and line) and
 * what is wrong.
 */
final class CocoFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CocoFormat() {}

    /** An annotation as read, checked once every image and category is known. */
    private record RawAnnotation(String entry, long imageId, long categoryId, double[] bbox, boolean crowd) {}

    /** An image entry as read. */
    private record RawImage(String entry, long id, String fileName, int width, int height) {}

    /**
     * Reads {@code annotationFile}, whose {@code file_name}s are relative to {@code imageDirectory}.
     *
     * @throws FadException with DATA_MISSING when the file cannot be read, is not COCO JSON, or an
     *     entry is malformed: a box outside its image, an unknown image or category id, an image
     *     file that does not exist
     */
    static AnnotatedSet read(Path annotationFile, Path imageDirectory) {
        requireNonNull(annotationFile, "annotationFile is null");
        requireNonNull(imageDirectory, "imageDirectory is null");
        Map<Long, String> categories = new TreeMap<>();
        List<RawImage> images = null;
        List<RawAnnotation> annotations = null;
        boolean sawCategories = false;
        try (JsonParser parser = JSON.createParser(annotationFile.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw AnnotationErrors.malformed(annotationFile, null,
                        "it is not a JSON object with 'images', 'annotations' and 'categories'");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "images" -> images = readArray(annotationFile, parser, field, value,
                            (node, entry) -> image(annotationFile, node, entry));
                    case "annotations" -> annotations = readArray(annotationFile, parser, field, value,
                            (node, entry) -> annotation(annotationFile, node, entry));
                    case "categories" -> {
                        sawCategories = true;
                        for (String[] category : readArray(annotationFile, parser, field, value,
                                (node, entry) -> category(annotationFile, node, entry))) {
                            long id = Long.parseLong(category[0]);
                            if (categories.putIfAbsent(id, category[1]) != null) {
                                throw AnnotationErrors.malformed(annotationFile, category[2],
                                        "category id " + id + " is used twice");
                            }
                        }
                    }
                    default -> parser.skipChildren(); // info, licenses, segmentation-only extras
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw AnnotationErrors.malformed(annotationFile, null, String.format("it is not valid JSON (%s%s)",
                    e.getOriginalMessage(), where == null ? "" : ", line " + where.getLineNr() + ", column "
                            + where.getColumnNr()), e);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    String.format("Cannot read annotation file '%s': %s.", annotationFile, e.getMessage()), e);
        }
        for (String[] missing : new String[][] {
                {"images", images == null ? "" : null},
                {"annotations", annotations == null ? "" : null},
                {"categories", sawCategories ? null : ""}}) {
            if (missing[1] != null) {
                throw AnnotationErrors.malformed(annotationFile, null, "it has no '" + missing[0] + "' array");
            }
        }
        return resolve(annotationFile, imageDirectory, categories, images, annotations);
    }

    private static AnnotatedSet resolve(Path annotationFile, Path imageDirectory, Map<Long, String> categories,
            List<RawImage> images, List<RawAnnotation> annotations) {
        if (categories.isEmpty()) {
            throw AnnotationErrors.malformed(annotationFile, null, "its 'categories' array is empty");
        }
        Map<Long, Integer> classIndex = new LinkedHashMap<>();
        for (long id : categories.keySet()) {
            classIndex.put(id, classIndex.size());
        }
        Map<Long, RawImage> imagesById = new LinkedHashMap<>();
        for (RawImage image : images) {
            if (imagesById.putIfAbsent(image.id(), image) != null) {
                throw AnnotationErrors.malformed(annotationFile, image.entry(), "image id " + image.id()
                        + " is used twice");
            }
        }
        Map<Long, List<AnnotatedObject>> objects = new LinkedHashMap<>();
        for (RawAnnotation annotation : annotations) {
            RawImage image = imagesById.get(annotation.imageId());
            if (image == null) {
                throw AnnotationErrors.malformed(annotationFile, annotation.entry(), "image_id "
                        + annotation.imageId() + " names no entry of 'images'");
            }
            Integer category = classIndex.get(annotation.categoryId());
            if (category == null) {
                throw AnnotationErrors.malformed(annotationFile, annotation.entry(), "category_id "
                        + annotation.categoryId() + " names no entry of 'categories' (ids " + describe(categories)
                        + ")");
            }
            double[] bbox = annotation.bbox();
            objects.computeIfAbsent(image.id(), id -> new ArrayList<>()).add(AnnotationErrors.box(annotationFile,
                    annotation.entry() + " on image '" + image.fileName() + "'", bbox[0], bbox[1],
                    bbox[0] + bbox[2], bbox[1] + bbox[3], image.width(), image.height(), category, annotation.crowd()));
        }
        List<AnnotatedImage> result = new ArrayList<>(images.size());
        for (RawImage image : images) {
            Path file = imageDirectory.resolve(image.fileName());
            if (!Files.isRegularFile(file)) {
                throw AnnotationErrors.malformed(annotationFile, image.entry(), "image file '" + file
                        + "' does not exist (file_name is relative to the image folder '" + imageDirectory + "')");
            }
            result.add(new AnnotatedImage(file, image.entry() + " ('" + image.fileName() + "')", image.width(),
                    image.height(), objects.getOrDefault(image.id(), List.of())));
        }
        return new AnnotatedSet(List.copyOf(categories.values()), result);
    }

    private static String describe(Map<Long, String> categories) {
        String listed = categories.entrySet().stream().limit(12).map(e -> e.getKey() + " '" + e.getValue() + "'")
                .collect(Collectors.joining(", "));
        return categories.size() > 12 ? listed + ", …" : listed;
    }

    private interface EntryReader<T> {
        T read(JsonNode node, String entry);
    }

    private static <T> List<T> readArray(Path file, JsonParser parser, String field, JsonToken start,
            EntryReader<T> reader) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw AnnotationErrors.malformed(file, null, "'" + field + "' is not an array");
        }
        List<T> entries = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int line = parser.currentLocation().getLineNr();
            JsonNode node = parser.readValueAsTree();
            String entry = field + "[" + entries.size() + "]";
            if (node == null || !node.isObject()) {
                throw AnnotationErrors.malformed(file, entry + " (line " + line + ")", "it is not a JSON object");
            }
            JsonNode id = node.get("id");
            String named = entry + " (" + (id != null && id.isNumber() ? "id " + id.asText() + ", " : "") + "line "
                    + line + ")";
            entries.add(reader.read(node, named));
        }
        return entries;
    }

    private static RawImage image(Path file, JsonNode node, String entry) {
        long id = integer(file, node, "id", entry);
        String fileName = text(file, node, "file_name", entry);
        long width = integer(file, node, "width", entry);
        long height = integer(file, node, "height", entry);
        if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw AnnotationErrors.malformed(file, entry, "width and height must be positive, got " + width + " × "
                    + height);
        }
        return new RawImage(entry, id, fileName, (int) width, (int) height);
    }

    private static String[] category(Path file, JsonNode node, String entry) {
        return new String[] {Long.toString(integer(file, node, "id", entry)), text(file, node, "name", entry), entry};
    }

    private static RawAnnotation annotation(Path file, JsonNode node, String entry) {
        long imageId = integer(file, node, "image_id", entry);
        long categoryId = integer(file, node, "category_id", entry);
        JsonNode bbox = node.get("bbox");
        if (bbox == null || !bbox.isArray() || bbox.size() != 4) {
            throw AnnotationErrors.malformed(file, entry, "'bbox' must be [x, y, width, height], got "
                    + (bbox == null ? "nothing" : bbox.toString()));
        }
        double[] values = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!bbox.get(i).isNumber()) {
                throw AnnotationErrors.malformed(file, entry, "'bbox' must hold 4 numbers, got " + bbox);
            }
            values[i] = bbox.get(i).asDouble();
        }
        JsonNode crowd = node.get("iscrowd");
        boolean isCrowd = false;
        if (crowd != null && !crowd.isNull()) {
            if (crowd.isBoolean()) {
                isCrowd = crowd.asBoolean();
            } else if (crowd.isIntegralNumber() && (crowd.asLong() == 0 || crowd.asLong() == 1)) {
                isCrowd = crowd.asLong() == 1;
            } else {
                throw AnnotationErrors.malformed(file, entry, "'iscrowd' must be 0 or 1, got " + crowd);
            }
        }
        return new RawAnnotation(entry, imageId, categoryId, values, isCrowd);
    }

    private static long integer(Path file, JsonNode node, String key, String entry) {
        JsonNode value = node.get(key);
        if (value == null || !value.isNumber() || value.asDouble() != Math.rint(value.asDouble())) {
            throw AnnotationErrors.malformed(file, entry, "'" + key + "' must be an integer, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.asLong();
    }

    private static String text(Path file, JsonNode node, String key, String entry) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw AnnotationErrors.malformed(file, entry, "'" + key + "' must be a non-empty string, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.asText();
    }

    /**
     * Writes {@code images} as a COCO file: category ids {@code 1..C} in class order, image and
     * annotation ids from 1, {@code file_name}s relative to {@code imageDirectory}.
     */
    static void write(Path annotationFile, Path imageDirectory, List<String> classNames, List<AnnotatedImage> images)
            throws IOException {
        Files.createDirectories(annotationFile.toAbsolutePath().getParent());
        try (JsonGenerator json = JSON.getFactory().createGenerator(annotationFile.toFile(),
                com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("categories");
            for (int c = 0; c < classNames.size(); c++) {
                json.writeStartObject();
                json.writeNumberField("id", c + 1);
                json.writeStringField("name", classNames.get(c));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("images");
            for (int i = 0; i < images.size(); i++) {
                AnnotatedImage image = images.get(i);
                json.writeStartObject();
                json.writeNumberField("id", i + 1);
                json.writeStringField("file_name",
                        imageDirectory.relativize(image.file()).toString().replace('\\', '/'));
                json.writeNumberField("width", image.width());
                json.writeNumberField("height", image.height());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("annotations");
            int id = 1;
            for (int i = 0; i < images.size(); i++) {
                for (AnnotatedObject object : images.get(i).objects()) {
                    json.writeStartObject();
                    json.writeNumberField("id", id++);
                    json.writeNumberField("image_id", i + 1);
                    json.writeNumberField("category_id", object.category() + 1);
                    json.writeArrayFieldStart("bbox");
                    for (double value : new double[] {object.x1(), object.y1(), object.width(), object.height()}) {
                        writeNumber(json, value);
                    }
                    json.writeEndArray();
                    json.writeFieldName("area");
                    writeNumber(json, object.width() * object.height());
                    json.writeNumberField("iscrowd", object.ignored() ? 1 : 0);
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** Whole numbers without a fraction, as COCO's own files write pixel-aligned boxes. */
    private static void writeNumber(JsonGenerator json, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else {
            json.writeNumber(value);
        }
    }
}
