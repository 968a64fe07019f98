package org.fadkd.vision.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withPrecision;

import org.fadkd.vision.data.ImageTransforms.Image;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

/** Boxes move with the image: letterbox, flip, scale and crop. */
final class TestInputPlacement {
    @Test
    void testLetterboxScalesTheLongerSideAndKeepsTheAspect() {
        InputPlacement placement = InputPlacement.letterbox(50, 200, 100);
        assertThat(placement).isEqualTo(new InputPlacement(50, 200, 100, 50, 25, 0, 0, false));
        assertThat(placement.place(List.of(new AnnotatedObject(20, 40, 100, 100, 3, true)), 0.3))
                .containsExactly(new AnnotatedObject(5, 10, 25, 25, 3, true));
    }

    @Test
    void testFlipMirrorsTheBoxInsideTheResizedImage() {
        InputPlacement flipped = new InputPlacement(100, 100, 50, 100, 50, 0, 0, true);
        assertThat(flipped.place(List.of(new AnnotatedObject(10, 20, 30, 40, 0, false)), 0.3))
                .containsExactly(new AnnotatedObject(70, 20, 90, 40, 0, false));
    }

    @Test
    void testCropClipsBoxesAndDropsSlivers() {
        // a 100 × 100 image zoomed to 200 × 200 and shifted by (-100, -50): the input sees x 100..200, y 50..150
        InputPlacement crop = new InputPlacement(100, 100, 100, 200, 200, -100, -50, false);
        List<AnnotatedObject> placed = crop.place(List.of(
                new AnnotatedObject(60, 30, 80, 40, 0, false), // (120, 60, 160, 80) - (100, 50): inside
                new AnnotatedObject(40, 30, 60, 40, 1, false), // (80..120) -> half visible, kept
                new AnnotatedObject(46, 30, 51, 40, 2, false), // (92..102) -> 20 % visible: dropped
                new AnnotatedObject(0, 0, 10, 10, 3, false)), 0.3); // outside: dropped
        assertThat(placed).containsExactly(new AnnotatedObject(20, 10, 60, 30, 0, false),
                new AnnotatedObject(0, 10, 20, 30, 1, false));
    }

    @Test
    void testThePixelsFollowTheBoxes() {
        // a white rectangle on black; wherever random placements put it, the box must sit on it
        int width = 60;
        int height = 40;
        AnnotatedObject object = new AnnotatedObject(12, 8, 36, 30, 0, false);
        Image image = rectangle(width, height, object);
        for (int seed = 0; seed < 30; seed++) {
            InputPlacement placement = InputPlacement.random(48, width, height, new SplittableRandom(seed), 0.6, 1.6,
                    0.5);
            Image placed = placement.place(image, new float[] {0.5f, 0.5f, 0.5f});
            List<AnnotatedObject> boxes = placement.place(List.of(object), 0.01);
            assertThat(boxes).as("seed " + seed).hasSize(1);
            AnnotatedObject box = boxes.get(0);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    double cx = x + 0.5;
                    double cy = y + 0.5;
                    float value = placed.values()[y * 48 + x];
                    // well inside the box: white; well outside: black or the padding's grey
                    if (cx > box.x1() + 1.5 && cx < box.x2() - 1.5 && cy > box.y1() + 1.5 && cy < box.y2() - 1.5) {
                        assertThat(value).as("seed %d inside at (%d, %d)", seed, x, y).isCloseTo(1f, withPrecision(1e-4f));
                    } else if (cx < box.x1() - 1.5 || cx > box.x2() + 1.5 || cy < box.y1() - 1.5 || cy > box.y2() + 1.5) {
                        assertThat(value).as("seed %d outside at (%d, %d)", seed, x, y).isLessThanOrEqualTo(0.5f);
                    }
                }
            }
        }
    }

    @Test
    void testRandomPlacementsCoverTheRangesAsked() {
        boolean flipped = false;
        boolean straight = false;
        boolean cropped = false;
        for (int seed = 0; seed < 200; seed++) {
            InputPlacement placement = InputPlacement.random(64, 128, 64, new SplittableRandom(seed), 0.5, 2, 0.5);
            double factor = placement.width() / 64.0; // the letterbox width is 64
            assertThat(factor).isBetween(0.49, 2.01);
            assertThat(placement.height()).isCloseTo((int) Math.round(64 * factor * 0.5), within(1));
            flipped |= placement.flip();
            straight |= !placement.flip();
            cropped |= placement.left() < 0;
        }
        assertThat(flipped && straight && cropped).isTrue();
    }

    private static Image rectangle(int width, int height, AnnotatedObject box) {
        float[] values = new float[3 * width * height];
        for (int c = 0; c < 3; c++) {
            for (int y = (int) box.y1(); y < box.y2(); y++) {
                for (int x = (int) box.x1(); x < box.x2(); x++) {
                    values[(c * height + y) * width + x] = 1f;
                }
            }
        }
        return new Image(3, height, width, values);
    }
}
