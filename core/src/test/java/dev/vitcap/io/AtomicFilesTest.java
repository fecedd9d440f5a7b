package dev.vitcap.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteErrorWithoutAFileNamesTheFileBeingWritten() throws IOException {
        Path target = dir.resolve("results.json");
        // What a full disk gives a stream: the system's words and no file.
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.write(target, out -> { throw new IOException("No space left on device"); }));
        assertEquals(target + ": No space left on device", e.getMessage());
        assertEquals(0, entries(), "no temporary file left behind");
    }

    @Test
    void aRenameOntoAFolderNamesTheTargetNotTheTemporaryFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("results.json"));
        Files.writeString(folder.resolve("inside"), "keeps the folder from being replaced");
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(folder, "[]"));
        assertTrue(e.getMessage().startsWith(folder + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    @Test
    void pngsAreWrittenWhole() throws IOException {
        BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 2, 0x123456);
        Path png = dir.resolve("a.png");
        AtomicFiles.writePng(png, image);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(7, back.getWidth());
        assertEquals(0x123456, back.getRGB(3, 2) & 0xffffff);
    }

    private long entries() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.count();
        }
    }
}
