package dev.vitcap.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed annotation file gives one line that names the file and the place. */
class DatasetErrorsTest {
    @TempDir
    Path dir;

    private String error(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        return error(file);
    }

    private String error(Path file) {
        DatasetException e = assertThrows(DatasetException.class, () -> CaptionDataset.read(file, dir));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
        return message.substring(file.toString().length());
    }

    private static void assertStartsWith(String prefix, String message) {
        assertTrue(message.startsWith(prefix), message);
    }

    @Test
    void missingEmptyAndDirectory() throws IOException {
        assertEquals(": no such file", error(dir.resolve("nope.json")));
        assertEquals(": empty file", error("empty.json", ""));
        assertEquals(": empty file (only blank lines)", error("blank.txt", "\n  \n"));
        assertEquals(": is a directory, expected a file", error(Files.createDirectory(dir.resolve("sub"))));
    }

    @Test
    void unknownFormatShowsWhatWasExpectedAndTheStart() throws IOException {
        String message = error("notes.txt", "hello world\nmore");
        assertTrue(message.contains("not a caption file") && message.endsWith("it begins: hello world"), message);
        assertTrue(error("list.json", "[1, 2]").contains("not a caption file"));
        assertTrue(error("other.json", "{\"foo\": {\"bar\": [1]}}").contains("JSON without 'images'"));
        assertTrue(error("odd.json", "{\"images\": [{\"id\": 1}]}").contains("images[0] has neither 'sentences'"));
    }

    @Test
    void badJsonNamesLineAndColumn() throws IOException {
        assertEquals(":2:19: bad JSON: '}' where ']' should close the list begun at line 2, column 18", error("captions_train.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}],\n  \"annotations\": [}"));
        assertEquals(":1:46: bad JSON: the text ends before the JSON does (truncated?)", error("dataset_coco.json", "{\"images\": [{\"sentences\": [], \"filename\": \"a\""));
        assertEquals(":1:21: more text after the end of the JSON value", error("captions_val.json", "{\"annotations\": []} {\"annotations\": []}"));
    }

    @Test
    void missingKeysAreNamedWithTheirPlace() throws IOException {
        assertEquals(": top level: missing key 'annotations'", error("c.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}]}"));
        assertEquals(": images[1]: missing key 'file_name'",
                error("c.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}, {\"id\": 2}], \"annotations\": []}"));
        assertEquals(": annotations[0]: missing key 'caption'",
                error("c.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 1}]}"));
        assertEquals(": images[0].sentences[1]: missing key 'raw'",
                error("k.json", "{\"images\": [{\"filename\": \"a\", \"split\": \"train\", \"sentences\": [{\"raw\": \"x\"}, {\"tokens\": []}]}]}"));
        assertEquals(": images[0]: missing key 'split'", error("k.json", "{\"images\": [{\"filename\": \"a\", \"sentences\": []}]}"));
        assertEquals(": line 2: missing key 'caption'", error("c.jsonl", "{\"image\": \"a\", \"caption\": \"x\"}\n{\"image\": \"b\"}\n"));
    }

    @Test
    void wrongValuesAreNamedWithTheirPlace() throws IOException {
        assertEquals(":1:36: images[0].file_name: expected a string, found a list", error("c.json", "{\"images\": [{\"id\": 1, \"file_name\": [\"a\"]}], \"annotations\": []}"));
        assertEquals(": images[0]: unknown split 'dev' (expected train, restval, val or test)",
                error("k.json", "{\"images\": [{\"filename\": \"a\", \"split\": \"dev\", \"sentences\": []}]}"));
    }

    @Test
    void annotationsOfUnknownImagesAndDuplicateImages() throws IOException {
        assertEquals(": annotations[1]: image_id 9 is not in images[]", error("c.json",
                "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 1, \"caption\": \"x\"}, {\"image_id\": 9, \"caption\": \"y\"}]}"));
        assertEquals(": images[1]: image id 1 is listed twice", error("c.json",
                "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}, {\"id\": 1, \"file_name\": \"b.jpg\"}], \"annotations\": []}"));
        assertEquals(": no images listed", error("c.json", "{\"images\": [], \"annotations\": []}"));
    }

    @Test
    void badLinesOfLineFormats() throws IOException {
        assertEquals(": line 2: expected IMAGE#N<TAB>caption", error("Flickr8k.token.txt", "a.jpg#0\tA dog\na.jpg A cat\n"));
        assertEquals(":2:27: bad JSON: unexpected '}' where a value belongs", error("c.jsonl", "{\"image\": \"a\", \"caption\": \"x\"}\n{\"image\": \"b\", \"caption\": }\n"));
        assertEquals(": line 1: expected an object, found a list (each line is {\"image\": ..., \"caption\": ...})", error("c.jsonl", "[1]\n"));
        assertEquals(": line 3: image b.jpg is in split 'test' here but in 'train' earlier",
                error("s.jsonl", "{\"image\": \"b.jpg\", \"caption\": \"x\"}\n\n{\"image\": \"b.jpg\", \"caption\": \"y\", \"split\": \"test\"}\n"));
    }

    @Test
    void badCsv() throws IOException {
        assertEquals(": line 1: CSV header must name the columns image and caption (found: file,text)", error("c.csv", "file,text\na,b\n"));
        assertEquals(": line 3: expected at least 2 columns, found 1", error("c.csv", "image,caption\na.jpg,x\nb.jpg\n"));
        assertEquals(": line 2: empty image", error("c.csv", "image,caption\n,x\n"));
        assertEquals(":3:1: bad CSV: a quoted value is never closed", error("c.csv", "image,caption\na.jpg,\"open quote\n"));
        assertEquals(":2:11: bad CSV: unexpected 'y' where ',' or the end of the line belongs", error("c.csv", "image,caption\na.jpg,\"x\"y\n"));
    }

    @Test
    void imageNamesNoPathCanHoldAreNamedWithTheirPlace() throws IOException {
        assertEquals(": line 2: 'a\\u0000.jpg' cannot be a file name", error("c.csv", "image,caption\na\u0000.jpg,x\n"));
        assertEquals(": images[0]: 'b\\u0000' cannot be a file name",
                error("captions_val.json", "{\"images\": [{\"id\": 1, \"file_name\": \"b\\u0000\"}], \"annotations\": []}"));
    }

    @Test
    void notUtf8() throws IOException {
        Path file = Files.write(dir.resolve("c.jsonl"), new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        assertEquals(": line 1: not UTF-8 text", error(file));
    }
}
