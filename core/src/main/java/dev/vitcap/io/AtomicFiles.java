package dev.vitcap.io;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.RenderedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a file under a temporary name beside it and renames it into place, so a crash never leaves half a file. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file}. A failure to write names the file: the system reports a full disk as "No space
     * left on device" alone, or under the temporary name.
     */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        String temporary = "." + target.getFileName() + ".";
        try {
            replace(target, temporary, body);
        } catch (FileSystemException e) {
            if (e.getFile() == null || !Path.of(e.getFile()).getFileName().toString().startsWith(temporary)) throw e;
            throw named(file, e.getReason() != null ? e.getReason() : e instanceof AccessDeniedException ? "permission denied" : "cannot be written", e);
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    /**
     * {@code e} naming {@code file} if it names no file: a stream's or a channel's write error (no space
     * left, an I/O error) is a bare {@link IOException} with the system's words only.
     */
    public static IOException naming(Path file, IOException e) {
        return e.getClass() == IOException.class ? named(file, e.getMessage(), e) : e;
    }

    private static FileSystemException named(Path file, String reason, IOException cause) {
        FileSystemException named = new FileSystemException(file.toString(), null, reason);
        named.initCause(cause);
        return named;
    }

    private static void replace(Path target, String temporary, Body body) throws IOException {
        Path dir = target.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, temporary, ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
            // Temporary files are created owner-only; the result should read like any other file.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@code image} as a PNG file. It is encoded in memory first: ImageIO otherwise caches through a
     * temporary file of its own, which a full disk leaves to fail again as the JVM exits.
     */
    public static void writePng(Path file, RenderedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG encoder in this Java");
        }
        write(file, png::writeTo);
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
