package org.fadkd.vision.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A malformed annotation file fails naming the file, the entry and the problem, as a user error. */
final class TestMalformedAnnotations {
    @TempDir
    Path root;

    private static final String CATEGORIES = "\"categories\": [{\"id\": 7, \"name\": \"cat\"}]";
    private static final String IMAGES = "\"images\": [{\"id\": 3, \"file_name\": \"a.png\", \"width\": 20,"
            + " \"height\": 10}]";

    private Path coco(String json) throws IOException {
        Files.createDirectories(root.resolve("images"));
        Files.write(root.resolve("images/a.png"), new byte[] {1});
        return Files.writeString(root.resolve("instances.json"), json);
    }

    private FadException readCoco(String json) throws IOException {
        Path file = coco(json);
        return org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> CocoFormat.read(file, root.resolve("images")), FadException.class);
    }

    @Test
    void testValidCocoReads() throws IOException {
        Path file = coco("{" + IMAGES + ", \"annotations\": [{\"id\": 1, \"image_id\": 3, \"category_id\": 7,"
                + " \"bbox\": [2, 1, 5, 4], \"iscrowd\": 0}, {\"id\": 2, \"image_id\": 3, \"category_id\": 7,"
                + " \"bbox\": [-0.5, 0, 20.5, 10], \"iscrowd\": 1}], " + CATEGORIES + "}");
        AnnotatedSet set = CocoFormat.read(file, root.resolve("images"));
        assertThat(set.classNames()).containsExactly("cat");
        // within a pixel of the border: clipped, not refused
        assertThat(set.images().get(0).objects()).containsExactly(new AnnotatedObject(2, 1, 7, 5, 0, false),
                new AnnotatedObject(0, 0, 20, 10, 0, true));
    }

    @Test
    void testBadJson() throws IOException {
        FadException error = readCoco("{\"images\": [\n{\"id\": 3,,}]}");
        assertThat(error.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING);
        assertThat(error).hasMessageContaining("instances.json").hasMessageContaining("is not valid JSON")
                .hasMessageContaining("line 2");
    }

    @Test
    void testBoxOutsideTheImage() throws IOException {
        FadException error = readCoco("{" + IMAGES + ",\n \"annotations\": [\n{\"id\": 41, \"image_id\": 3,"
                + " \"category_id\": 7, \"bbox\": [15, 2, 8, 3]}], " + CATEGORIES + "}");
        assertThat(error.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING);
        assertThat(error).hasMessageContaining("instances.json").hasMessageContaining("annotations[0] (id 41, line 3)")
                .hasMessageContaining("box (15, 2, 23, 5) (x1, y1, x2, y2) lies outside the 20 × 10 image");
    }

    @Test
    void testEmptyBox() throws IOException {
        assertThat(readCoco("{" + IMAGES + ", \"annotations\": [{\"id\": 1, \"image_id\": 3, \"category_id\": 7,"
                + " \"bbox\": [1, 1, 0, 3]}], " + CATEGORIES + "}")).hasMessageContaining("is empty");
    }

    @Test
    void testUnknownCategoryId() throws IOException {
        assertThat(readCoco("{" + IMAGES + ", \"annotations\": [{\"id\": 5, \"image_id\": 3, \"category_id\": 8,"
                + " \"bbox\": [1, 1, 2, 2]}], " + CATEGORIES + "}"))
                .hasMessageContaining("annotations[0] (id 5, line 1)")
                .hasMessageContaining("category_id 8 names no entry of 'categories' (ids 7 'cat')");
    }

    @Test
    void testUnknownImageId() throws IOException {
        assertThat(readCoco("{" + IMAGES + ", \"annotations\": [{\"id\": 5, \"image_id\": 4, \"category_id\": 7,"
                + " \"bbox\": [1, 1, 2, 2]}], " + CATEGORIES + "}"))
                .hasMessageContaining("image_id 4 names no entry of 'images'");
    }

    @Test
    void testMissingImageFile() throws IOException {
        assertThat(readCoco("{\"images\": [{\"id\": 3, \"file_name\": \"b.png\", \"width\": 20, \"height\": 10}],"
                + " \"annotations\": [], " + CATEGORIES + "}"))
                .hasMessageContaining("images[0] (id 3, line 1)")
                .hasMessageContaining("image file '" + root.resolve("images/b.png") + "' does not exist");
    }

    @Test
    void testMissingArraysAndFields() throws IOException {
        assertThat(readCoco("{" + IMAGES + ", " + CATEGORIES + "}")).hasMessageContaining("no 'annotations' array");
        assertThat(readCoco("{\"images\": [{\"id\": 3, \"width\": 20, \"height\": 10}], \"annotations\": [], "
                + CATEGORIES + "}")).hasMessageContaining("'file_name' must be a non-empty string, got nothing");
        assertThat(readCoco("{" + IMAGES + ", \"annotations\": [{\"image_id\": 3, \"category_id\": 7,"
                + " \"bbox\": [1, 1, 2]}], " + CATEGORIES + "}"))
                .hasMessageContaining("'bbox' must be [x, y, width, height], got [1,1,2]");
    }

    private Path voc(String id, String xml) throws IOException {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.write(root.resolve("JPEGImages/a.jpg"), new byte[] {1});
        Files.createDirectories(root.resolve("ImageSets/Main"));
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), id + "\n");
        Files.createDirectories(root.resolve("Annotations"));
        return Files.writeString(root.resolve("Annotations/" + id + ".xml"), xml);
    }

    private static String vocXml(String filename, String objects) {
        return "<annotation><filename>" + filename + "</filename><size><width>20</width><height>10</height>"
                + "<depth>3</depth></size>" + objects + "</annotation>";
    }

    private static String object(String name, String difficult, int xmin, int ymin, int xmax, int ymax) {
        return "<object><name>" + name + "</name><difficult>" + difficult + "</difficult><bndbox><xmin>" + xmin
                + "</xmin><ymin>" + ymin + "</ymin><xmax>" + xmax + "</xmax><ymax>" + ymax + "</ymax></bndbox></object>";
    }

    @Test
    void testValidVocReadsOneBasedBoxesAsContinuous() throws IOException {
        voc("a", vocXml("a.jpg", object("cat", "0", 1, 1, 20, 10) + object("dog", "1", 3, 2, 7, 5)));
        AnnotatedSet set = VocFormat.read(root, "train", List.of("dog", "cat"));
        assertThat(set.images().get(0).objects()).containsExactly(new AnnotatedObject(0, 0, 20, 10, 1, false),
                new AnnotatedObject(2, 1, 7, 5, 0, true));
    }

    @Test
    void testVocUnknownClass() throws IOException {
        Path xml = voc("a", vocXml("a.jpg", object("cat", "0", 1, 1, 5, 5) + object("cow", "0", 1, 1, 5, 5)));
        assertThatThrownBy(() -> VocFormat.read(root, "train", List.of("cat")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Annotation file '" + xml + "', object 2 ('cow')")
                .hasMessageContaining("class 'cow' is not one of the dataset's classes (cat)");
    }

    @Test
    void testVocBoxOutsideTheImage() throws IOException {
        Path xml = voc("a", vocXml("a.jpg", object("cat", "0", 1, 1, 25, 5)));
        assertThatThrownBy(() -> VocFormat.read(root, "train", List.of("cat")))
                .hasMessageContaining("'" + xml + "', object 1 ('cat') <bndbox> (1, 1, 25, 5)")
                .hasMessageContaining("lies outside the 20 × 10 image");
    }

    @Test
    void testVocBadXml() throws IOException {
        Path xml = voc("a", "<annotation><filename>a.jpg</filename>\n<size></annotation>");
        assertThatThrownBy(() -> VocFormat.read(root, "train", List.of("cat")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("'" + xml + "': it is not valid XML").hasMessageContaining("line 2");
    }

    @Test
    void testVocMissingImageAndAnnotation() throws IOException {
        Path xml = voc("a", vocXml("b.jpg", object("cat", "0", 1, 1, 5, 5)));
        assertThatThrownBy(() -> VocFormat.read(root, "train", List.of("cat")))
                .hasMessageContaining("'" + xml + "', <filename>")
                .hasMessageContaining("image file '" + root.resolve("JPEGImages/b.jpg") + "' does not exist");
        Files.writeString(root.resolve("ImageSets/Main/train.txt"), "a\nzz\n");
        Files.writeString(xml, vocXml("a.jpg", ""));
        assertThatThrownBy(() -> VocFormat.read(root, "train", List.of("cat")))
                .hasMessageContaining("train.txt', line 2 ('zz')")
                .hasMessageContaining("its annotation file '" + root.resolve("Annotations/zz.xml") + "' does not exist");
    }

    @Test
    void testVocRefusesDoctypes() throws IOException {
        // no external entity is ever resolved from an annotation file
        voc("a", "<!DOCTYPE annotation [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + vocXml("a.jpg", ""));
        assertThatThrownBy(() -> VocFormat.read(root, "train", List.of("cat")))
                .isInstanceOf(FadException.class).hasMessageContaining("DOCTYPE");
    }
}
