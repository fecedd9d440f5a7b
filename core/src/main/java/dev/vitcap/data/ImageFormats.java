package dev.vitcap.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The image formats vitcap reads ({@link ImagePreprocessor}), by file extension and by media type. */
public final class ImageFormats {
    private static final Map<String, String> BY_EXTENSION = Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png",
            "gif", "image/gif", "bmp", "image/bmp");
    /** {@code image/jpeg}, {@code image/png}, {@code image/gif}, {@code image/bmp}. */
    public static final Set<String> MEDIA_TYPES = Set.copyOf(BY_EXTENSION.values());

    private ImageFormats() {
    }

    /** The media type of an image file by its extension (any case), or null when it is not one vitcap reads. */
    public static String mediaType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
