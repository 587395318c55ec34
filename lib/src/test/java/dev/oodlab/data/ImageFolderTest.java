package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir Path dir;

    private static void png(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void readsClassSubfoldersInSortedOrder() throws IOException {
        png(dir.resolve("b-cat/1.png"), 4, 4, 0x336699);
        png(dir.resolve("a-dog/1.png"), 4, 4, 0x000000);
        png(dir.resolve("a-dog/2.png"), 4, 4, 0xffffff);
        Files.writeString(dir.resolve("a-dog/README.txt"), "not an image");
        ImageSet set = ImageFolder.readLabelled(dir, "pets", 3, 4, 4);
        assertEquals(3, set.size());
        assertEquals(2, set.numClasses());
        assertArrayEquals(new int[] {0, 0, 1}, set.labels());
        float[] cat = set.image(2);
        assertEquals(0x33 / 255f, cat[0]);
        assertEquals(0x66 / 255f, cat[16]);
        assertEquals(0x99 / 255f, cat[32]);
    }

    @Test
    void greyIsTheMeanOfTheColourChannels() throws IOException {
        png(dir.resolve("x.png"), 2, 2, 0x306090);
        ImageSet set = ImageFolder.readUnlabelled(dir, "x", 1, 2, 2);
        assertEquals((0x30 + 0x60 + 0x90) / 3f / 255f, set.pixels()[0], 1e-6);
    }

    @Test
    void wrongImageSizeNamesTheFile() throws IOException {
        png(dir.resolve("ok.png"), 28, 28, 0);
        png(dir.resolve("zbig.png"), 32, 28, 0);
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> ImageFolder.readUnlabelled(dir, "x", 1, 28, 28));
        assertTrue(e.getMessage().contains("zbig.png: image is 32x28"), e.getMessage());
    }

    @Test
    void corruptImageNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("broken.png"), "this is no png");
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> ImageFolder.readUnlabelled(dir, "x", 1, 28, 28));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }

    @Test
    void folderWithoutImagesIsRejected() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "x");
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> ImageFolder.readUnlabelled(dir, "x", 1, 28, 28));
        assertTrue(e.getMessage().contains("holds no image files"), e.getMessage());
    }
}
