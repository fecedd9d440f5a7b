package dev.vitcap.io;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.RenderedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a file under a temporary name beside it, flushes it to the disk and renames it into place,
 * then flushes the folder, so a crash or a kill never leaves half a file and a file once renamed
 * survives a power cut. A failure to write names the file: the system reports a full disk as "No
 * space left on device" alone, or under the temporary name.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A file written under a name derived from its content, and the SHA-256 of that content (hex). */
    public record Written(Path file, String sha256) {
    }

    private interface Save<T> {
        T run() throws IOException;
    }

    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        String name = target.getFileName().toString();
        naming(file, name, () -> {
            moveIntoPlace(writeTemporary(target.getParent(), name, body, null), target, name);
            return null;
        });
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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

    /**
     * Writes {@code dir/STEM.HASH.EXTENSION}, HASH being the first 16 hex digits of the content's
     * SHA-256: a file that never replaces another one's content, so the file naming it can be
     * switched over to it atomically (and the old one is still whole until then).
     */
    public static Written writeContentNamed(Path dir, String stem, String extension, Body body) throws IOException {
        Path folder = dir.toAbsolutePath();
        String name = stem + "." + extension;
        return naming(folder.resolve(name), name, () -> {
            MessageDigest sha = sha256();
            Path tmp = writeTemporary(folder, name, body, sha);
            String hash = HexFormat.of().formatHex(sha.digest());
            Path target = folder.resolve(stem + "." + hash.substring(0, 16) + "." + extension);
            moveIntoPlace(tmp, target, name);
            return new Written(target, hash);
        });
    }

    /** The SHA-256 of a file's content (hex). */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * {@code e} naming {@code file} if it names no file: a stream's or a channel's write error (no space
     * left, an I/O error) is a bare {@link IOException} with the system's words only.
     */
    public static IOException naming(Path file, IOException e) {
        return e.getClass() == IOException.class ? named(file, e.getMessage(), e) : e;
    }

    private static <T> T naming(Path file, String name, Save<T> save) throws IOException {
        String temporary = temporaryPrefix(name);
        try {
            return save.run();
        } catch (FileSystemException e) {
            if (e.getFile() == null || !Path.of(e.getFile()).getFileName().toString().startsWith(temporary)) throw e;
            throw named(file, e.getReason() != null ? e.getReason() : e instanceof AccessDeniedException ? "permission denied" : "cannot be written", e);
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    private static FileSystemException named(Path file, String reason, IOException cause) {
        FileSystemException named = new FileSystemException(file.toString(), null, reason);
        named.initCause(cause);
        return named;
    }

    private static String temporaryPrefix(String name) {
        return "." + name + ".";
    }

    private static Path writeTemporary(Path dir, String name, Body body, MessageDigest digest) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, temporaryPrefix(name), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(digest == null ? out : new DigestOutputStream(out, digest));
            }
            // A body may close the stream itself (Jackson does); any descriptor of the file flushes it.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // Temporary files are created owner-only; the result should read like any other file.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        PausePoints.reach(name + ":written");
        return tmp;
    }

    private static void moveIntoPlace(Path tmp, Path target, String name) throws IOException {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(target.getParent());
        PausePoints.reach(name + ":renamed");
    }

    /** Flushes a folder's entries (the rename) to the disk; file systems that cannot do it are left as they are. */
    public static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform opens a folder for reading (Windows); the rename itself is still atomic.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
    }
}
