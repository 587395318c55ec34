package dev.oodlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.data.ImageSet;
import java.awt.image.BufferedImage;
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
}
