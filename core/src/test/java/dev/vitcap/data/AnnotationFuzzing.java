package dev.vitcap.data;

import dev.vitcap.testing.ReaderContract;

import java.nio.file.Path;

/** What the fuzz tests of the annotation formats share: detection and the format's reader, each held to the reader contract. */
final class AnnotationFuzzing {
    private AnnotationFuzzing() {
    }

    /** Writes the input as {@code name} (the name is part of the format: COCO's split, CSV's extension) and reads it both ways. */
    static void check(String name, DatasetFormat format, byte[] input) throws Exception {
        Path file = ReaderContract.write(name, input);
        ReaderContract.check(file, DatasetException.class, DatasetFormat::detect);
        ReaderContract.check(file, DatasetException.class, f -> format.read(f, f.getParent()));
    }
}
