package dev.vitcap.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private CaptionDataset read(Path file, DatasetFormat expected) throws DatasetException {
        assertEquals(expected, DatasetFormat.detect(file));
        return CaptionDataset.read(file, dir.resolve("img"));
    }

    @Test
    void cocoCaptionsGroupAnnotationsByImageAndResolveFileNames() throws IOException {
        Path file = write("captions_val2014.json", """
                {"info": {"year": 2014}, "images": [{"id": 42, "file_name": "COCO_val2014_42.jpg", "width": 640},
                                                    {"id": 7, "file_name": "b.jpg"}],
                 "licenses": [],
                 "annotations": [{"image_id": 7, "id": 1, "caption": "A dog runs."},
                                 {"image_id": 42, "id": 2, "caption": "Two cats."},
                                 {"image_id": 7, "id": 3, "caption": "  A brown dog.  "},
                                 {"image_id": 42, "id": 4, "caption": "   "}]}""");
        CaptionDataset data = read(file, DatasetFormat.COCO);
        assertEquals(2, data.size());
        CaptionDataset.Item first = data.items().get(0);
        assertEquals("42", first.imageId());
        assertEquals(dir.resolve("img/COCO_val2014_42.jpg"), first.image());
        assertEquals(List.of("Two cats."), first.captions());
        assertEquals("val", first.split());
        assertEquals(List.of("A dog runs.", "A brown dog."), data.items().get(1).captions());
        assertEquals(1, data.emptyCaptionsDropped());
        assertEquals(List.of("Two cats.", "A dog runs.", "A brown dog."), data.captions());
        assertEquals(3, data.captionCount());
    }

    @Test
    void karpathySplitMapsRestvalToTrainAndPrefersCocoIds() throws IOException {
        Path file = write("dataset_coco.json", """
                {"images": [
                  {"filepath": "val2014", "filename": "COCO_val2014_1.jpg", "imgid": 0, "split": "test", "cocoid": 391895,
                   "sentences": [{"tokens": ["a", "man"], "raw": "A man.", "imgid": 0, "sentid": 0},
                                 {"tokens": ["a", "bike"], "raw": "A bike.", "imgid": 0, "sentid": 1}]},
                  {"filepath": "val2014", "filename": "COCO_val2014_2.jpg", "imgid": 1, "split": "restval", "cocoid": 2,
                   "sentences": [{"tokens": ["sky"], "raw": "Sky."}]},
                  {"filepath": "train2014", "filename": "COCO_train2014_3.jpg", "imgid": 2, "split": "val", "cocoid": 3,
                   "sentences": []}],
                 "dataset": "coco"}""");
        CaptionDataset data = read(file, DatasetFormat.KARPATHY);
        assertEquals(List.of("391895", "2"), data.items().stream().map(CaptionDataset.Item::imageId).toList());
        assertEquals(List.of("test", "train"), data.items().stream().map(CaptionDataset.Item::split).toList());
        assertEquals(dir.resolve("img/val2014/COCO_val2014_1.jpg"), data.items().get(0).image());
        assertEquals(List.of("A man.", "A bike."), data.items().get(0).captions());
        assertEquals(List.of(file + ":images[2]: image 3 has no caption"), data.emptyCaptions());
    }

    @Test
    void karpathyFlickrUsesFileNamesAsIds() throws IOException {
        Path file = write("dataset_flickr8k.json", """
                {"images": [{"sentids": [0], "imgid": 0, "split": "train", "filename": "1000268201_693b08cb0e.jpg",
                             "sentences": [{"raw": "A child in a pink dress .", "tokens": []}]}], "dataset": "flickr8k"}""");
        CaptionDataset.Item item = read(file, DatasetFormat.KARPATHY).items().get(0);
        assertEquals("1000268201_693b08cb0e.jpg", item.imageId());
        assertEquals(dir.resolve("img/1000268201_693b08cb0e.jpg"), item.image());
    }

    @Test
    void flickrTokenFileGroupsCaptionsAndTakesSplitsFromTheListsBesideIt() throws IOException {
        Path file = write("Flickr8k.token.txt", """
                1000268201_693b08cb0e.jpg#0\tA child in a pink dress .
                1000268201_693b08cb0e.jpg#1\tA girl going into a wooden building .

                1001773457_577c3a7d70.jpg#0\tA black dog and a spotted dog are fighting
                1002674143_1b742ab4b8.jpg#0\tA little girl covered in paint .
                """);
        CaptionDataset withoutLists = read(file, DatasetFormat.FLICKR_TOKEN);
        assertEquals(3, withoutLists.size());
        assertEquals(List.of("A child in a pink dress .", "A girl going into a wooden building ."), withoutLists.items().get(0).captions());
        assertEquals(List.of("train"), List.copyOf(withoutLists.splits()));

        write("Flickr_8k.trainImages.txt", "1000268201_693b08cb0e.jpg\n");
        write("Flickr_8k.testImages.txt", "1001773457_577c3a7d70.jpg\n");
        CaptionDataset withLists = read(file, DatasetFormat.FLICKR_TOKEN);
        assertEquals(List.of("train", "test", FlickrTokenReader.UNASSIGNED),
                withLists.items().stream().map(CaptionDataset.Item::split).toList());
    }

    @Test
    void csvFollowsRfc4180QuotingAndTakesAnOptionalSplitColumn() throws IOException {
        Path file = write("captions.csv", "\uFEFFid,Caption,image,split\r\n"
                + "1,\"A dog, running\",dogs/a.jpg,val\r\n"
                + "2,\"He said \"\"hi\"\"\nthen left\",b.jpg,\r\n"
                + "3,Another dog,dogs/a.jpg,val\r\n");
        CaptionDataset data = read(file, DatasetFormat.CSV);
        assertEquals(2, data.size());
        assertEquals(List.of("A dog, running", "Another dog"), data.items().get(0).captions());
        assertEquals("val", data.items().get(0).split());
        assertEquals(dir.resolve("img/dogs/a.jpg"), data.items().get(0).image());
        assertEquals(List.of("He said \"hi\"\nthen left"), data.items().get(1).captions());
        assertEquals("train", data.items().get(1).split());
    }

    @Test
    void csvIsDetectedByItsHeaderWithoutTheExtension() throws IOException {
        Path file = write("captions.txt", "image,caption\na.jpg,one\n");
        assertEquals(List.of("one"), read(file, DatasetFormat.CSV).items().get(0).captions());
    }

    @Test
    void jsonlGroupsLinesOfTheSameImage() throws IOException {
        String lines = """
                {"image": "a.jpg", "caption": "first"}
                {"caption": "second", "image": "a.jpg"}

                {"image": "/abs/b.png", "caption": "third", "split": "test"}
                """;
        CaptionDataset data = read(write("c.jsonl", lines), DatasetFormat.JSONL);
        assertEquals(List.of("first", "second"), data.items().get(0).captions());
        assertEquals(Path.of("/abs/b.png"), data.items().get(1).image());
        assertEquals("test", data.items().get(1).split());
        assertEquals(2, read(write("c.json", lines), DatasetFormat.JSONL).size(), "JSON Lines in a .json file are told by their keys");
    }

    @Test
    void veryLongCaptionsAreKeptWhole() throws IOException {
        String caption = "word ".repeat(2000).strip();
        CaptionDataset data = read(write("long.jsonl", "{\"image\": \"a.jpg\", \"caption\": \"" + caption + "\"}\n"), DatasetFormat.JSONL);
        assertEquals(caption, data.items().get(0).captions().get(0));
    }

    @Test
    void cocoSplitsComeFromWordsOfTheFileName() {
        assertEquals("val", CocoCaptionsReader.splitOf(Path.of("captions_val2017.json")));
        assertEquals("test", CocoCaptionsReader.splitOf(Path.of("coco-test.json")));
        assertEquals("train", CocoCaptionsReader.splitOf(Path.of("captions_train2014.json")));
        assertEquals("train", CocoCaptionsReader.splitOf(Path.of("interval_contest.json")));
    }

    @Test
    void anImageLeftWithoutCaptionsIsDroppedAndNoted() throws IOException {
        Path file = write("captions_train2017.json", """
                {"images": [{"id": 1, "file_name": "1.jpg"}, {"id": 2, "file_name": "2.jpg"}, {"id": 3, "file_name": "3.jpg"}],
                 "annotations": [{"image_id": 1, "caption": "x"}, {"image_id": 3, "caption": " "}]}""");
        CaptionDataset data = read(file, DatasetFormat.COCO);
        assertEquals(List.of("1"), data.items().stream().map(CaptionDataset.Item::imageId).toList());
        assertEquals(List.of(file + ":annotations[1]: empty caption of image 3", file + ":images[1]: image 2 has no caption",
                file + ":images[2]: image 3 has no caption"), data.emptyCaptions());
    }

    @Test
    void aFileWhoseCaptionsAreAllBlankIsOneLineNamingIt() throws IOException {
        Path csv = write("blank.csv", "image,caption\na.jpg,\"  \"\nb.jpg,\n");
        DatasetException blank = assertThrows(DatasetException.class, () -> read(csv, DatasetFormat.CSV));
        assertEquals(csv + ": no captions: all 2 are blank", blank.getMessage());
        Path coco = write("captions_val.json", "{\"images\": [{\"id\": 1, \"file_name\": \"1.jpg\"}], \"annotations\": []}");
        DatasetException none = assertThrows(DatasetException.class, () -> read(coco, DatasetFormat.COCO));
        assertEquals(coco + ": no captions: none for its 1 image", none.getMessage());
    }
}
