package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary worked out from a config names and counts exactly the parameters a real {@link Captioner} creates. */
class ModelSummaryTest {
    static Stream<Arguments> configs() {
        List<Arguments> all = new ArrayList<>();
        for (String preset : List.of("tiny", "small")) {
            for (DecoderConfig.Kind kind : DecoderConfig.Kind.values()) all.add(Arguments.of(preset + " " + kind, ModelConfig.preset(preset, kind)));
        }
        // The switches that change which parameters exist: no qkv bias, no class token, stacked LSTM layers, a region head.
        VitConfig odd = VitConfig.builder().image(24, 16).patch(8).channels(1).normalisation(new float[]{0.5f}, new float[]{0.5f})
                .dim(32).depth(3).heads(4).mlp(48).qkvBias(false).classToken(false).build();
        all.add(Arguments.of("odd encoder, 3-layer show-and-tell, region head", new ModelConfig(odd,
                DecoderConfig.builder(DecoderConfig.Kind.SHOWTELL).vocab(50).emb(12).hidden(20).layers(3).fc(7).build(), 9, new RegionHeadConfig(2, 5))));
        all.add(Arguments.of("attention with region head", ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withRegionHead(new RegionHeadConfig(4, 11))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void countsAndNamesTheParametersTheModelCreates(String name, ModelConfig config) {
        ModelSummary summary = ModelSummary.of(config);
        try (Captioner model = new Captioner(new ReferenceKernels(), config, 1)) {
            assertEquals(model.encoderParams.count(), summary.encoderParams());
            assertEquals(model.decoderParams.count(), summary.decoderParams());
            assertEquals(model.auxParams.count(), summary.auxParams());
            long all = 0;
            for (Captioner.Named n : model.parameters()) all += n.param().size();
            assertEquals(all, summary.total());

            // Each real parameter belongs to exactly one layer, and the layers come in the order the parameters were created.
            Map<ModelSummary.Layer, Long> counted = new LinkedHashMap<>();
            for (Captioner.Named n : model.parameters()) {
                List<ModelSummary.Layer> owners = summary.layers().stream()
                        .filter(l -> n.name().equals(l.part() + "." + l.name()) || n.name().startsWith(l.part() + "." + l.name() + "."))
                        .toList();
                assertEquals(1, owners.size(), n.name() + " belongs to " + owners);
                counted.merge(owners.get(0), (long) n.param().size(), Long::sum);
            }
            assertEquals(summary.layers(), new ArrayList<>(counted.keySet()), "every layer has parameters, in creation order");
            counted.forEach((layer, n) -> assertEquals(n, layer.params(), layer.name()));
        }
    }

    /** The output shapes of the summary are those a forward pass produces, for one image. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void outputShapesAreThoseOfAForwardPass(String name, ModelConfig config) {
        ModelSummary summary = ModelSummary.of(config);
        VitConfig v = config.encoder();
        Kernels k = new ReferenceKernels();
        int[][] caption = {new int[config.maxLength()]};
        for (int i = 0; i < caption[0].length; i++) caption[0][i] = 1 + i % (config.decoder().vocab() - 1);
        try (Captioner model = new Captioner(k, config, 1); Arena a = new Arena(k)) {
            Tensor image = a.keep(k.upload(new float[v.channels() * v.imageHeight() * v.imageWidth()], 1, v.channels(), v.imageHeight(), v.imageWidth()));
            Captioner.Pass pass = model.forward(a, image, CaptionBatch.of(a, caption, -1), PassOptions.reference());
            assertArrayEquals(tail(pass.encoded().out.shape()), summary.layer(ModelSummary.ENCODER, "norm").outputShape());
            int[] logits = pass.decoded().logits().shape();
            assertArrayEquals(new int[]{summary.steps(), config.decoder().vocab()}, new int[]{logits[0], logits[1]});
            assertArrayEquals(new int[]{summary.steps(), config.decoder().vocab()}, summary.layer(ModelSummary.DECODER, "out").outputShape());
            Tensor attention = pass.decoded().attention();
            if (attention != null) {
                int[] s = attention.shape(); // [steps, batch, tokens]
                assertArrayEquals(new int[]{s[0], s[2]}, summary.layer(ModelSummary.DECODER, "full_att").outputShape());
            }
        }
    }

    private static int[] tail(int[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** timm's vit_base_patch16_224 without its classifier has 85,798,656 parameters. */
    @Test
    void theBaseEncoderIsTimmsVitB16() {
        assertEquals(85_798_656L, ModelSummary.of(ModelConfig.preset("base", DecoderConfig.Kind.ATTENTION)).encoderParams());
    }

    @Test
    void theTableListsEveryLayerInAlignedColumnsAndTheTotals() {
        ModelConfig config = ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION).withRegionHead(new RegionHeadConfig(3, 4));
        ModelSummary summary = ModelSummary.of(config);
        String table = summary.table();
        List<String> rows = table.lines().filter(line -> line.contains("   ")).toList(); // columns are three spaces apart
        assertEquals(summary.layers().size() + 1, rows.size(), table); // the layers and the header
        assertEquals(1, rows.stream().mapToInt(String::length).distinct().count(), "every row as wide as the header:\n" + table);
        for (ModelSummary.Layer l : summary.layers()) {
            assertTrue(table.contains(l.name() + " (" + l.kind() + ")"), l.name());
        }
        assertTrue(table.contains("Total params: " + String.format(Locale.ROOT, "%,d", summary.total())), table);
        assertTrue(table.contains("Region head params: " + String.format(Locale.ROOT, "%,d", summary.auxParams())), table);
        assertTrue(summary.total() > 1_000_000 && table.contains(","), "thousands are separated: " + table);
    }

    @Test
    void configsPastTheirBoundsAreRefusedBeforeAnythingIsBuilt() {
        ModelConfig tiny = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION);
        assertEquals("depth must be at most 1024 blocks, not 2000000000", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> tiny.encoder().toBuilder().depth(2_000_000_000).build()).getMessage());
        assertEquals("layers must be at most 64, not 100000", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DecoderConfig.builder(DecoderConfig.Kind.SHOWTELL).vocab(9).layers(100_000).build()).getMessage());
        assertEquals("caption length must be between 2 and 1024 tokens, not 5000", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> tiny.withMaxLength(5000)).getMessage());
    }
}
