package dev.oodlab.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.data.ImageSet;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    /** Three 2×2 grey images: image i has every pixel i / 2. */
    private static ImageSet three() {
        float[] p = new float[12];
        for (int i = 0; i < 12; i++) {
            p[i] = (i / 4) / 2f;
        }
        return new ImageSet("t", p, null, 0, 1, 2, 2);
    }

    @Test
    void gridHasOneScaledCellPerImage() {
        BufferedImage img = ImageGrid.of(three()).count(3).columns(2).scale(5).render();
        // 2 columns of 10 px + 3 pads of 4 px; 2 rows likewise
        assertEquals(2 * 10 + 3 * 4, img.getWidth());
        assertEquals(2 * 10 + 3 * 4, img.getHeight());
        // image 0 (black) at the first cell, image 1 (grey 128) at the second
        assertEquals(0x000000, img.getRGB(4, 4) & 0xffffff);
        assertEquals(0x808080, img.getRGB(4 + 10 + 4 + 9, 4 + 9) & 0xffffff);
        // image 2 (white) in the second row
        assertEquals(0xffffff, img.getRGB(4, 4 + 10 + 4) & 0xffffff);
    }

    @Test
    void captionsMustMatchTheImages() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ImageGrid.of(three()).count(3).captions("a").render());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(three()).indices(5));
    }

    @Test
    void classCaptionsNameEachShownImagesClass() {
        // labels 2, 0, 1; shown in the order 2, 0
        ImageSet labelled = new ImageSet("l", new float[12], new int[] {2, 0, 1}, 3, 1, 2, 2);
        ImageGrid grid = ImageGrid.of(labelled).classCaptions(List.of("a", "b", "c")).indices(2, 0);
        assertArrayEquals(new String[] {"b", "c"}, grid.shownCaptions());
        // explicit captions win
        assertArrayEquals(new String[] {"x", "y"}, grid.captions("x", "y").shownCaptions());
        // the caption row is drawn: 14 px more than without captions
        int plain = ImageGrid.of(labelled).indices(2, 0).scale(1).render().getHeight();
        int captioned =
                ImageGrid.of(labelled)
                        .indices(2, 0)
                        .scale(1)
                        .classCaptions(List.of("a", "b", "c"))
                        .render()
                        .getHeight();
        assertEquals(plain + 14, captioned);
    }

    @Test
    void classCaptionsNeedLabelsAndANamePerClass() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ImageGrid.of(three()).classCaptions(List.of("a")));
        ImageSet labelled = new ImageSet("l", new float[12], new int[] {2, 0, 1}, 3, 1, 2, 2);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageGrid.of(labelled).classCaptions(List.of("a", "b")));
        assertEquals("2 class names for the 3 classes of l", e.getMessage());
    }
}
