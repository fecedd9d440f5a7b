package dev.vitcap.kernel;

import dev.vitcap.model.FixtureCheck;
import dev.vitcap.model.VitConfig;
import dev.vitcap.model.WeightSource;
import dev.vitcap.testing.Fixtures;
import dev.vitcap.train.TrainingFixtureCheck;
import dev.vitcap.weights.TimmArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every backend must do: reproduce the reference fixtures (timm's ViT forward and backward,
 * torch.nn.LSTM, the PyTorch twin's two decoders, and ten of the twin's training steps). Each backend's
 * test module extends this with its own kernels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    private Kernels kernels;

    protected abstract Kernels open();

    protected final Kernels kernels() {
        if (kernels == null) kernels = open();
        return kernels;
    }

    @AfterAll
    void closeKernels() {
        if (kernels != null) kernels.close();
    }

    public static void assertAllPass(List<Check> checks) {
        assertFalse(checks.isEmpty(), "no checks ran");
        String failures = checks.stream().filter(c -> !c.passed()).map(Check::toString).collect(Collectors.joining("\n"));
        assertTrue(failures.isEmpty(), "failed checks:\n" + failures);
    }

    @Test
    void reproducesTorchLstm() {
        assertAllPass(FixtureCheck.run(kernels(), Fixtures.tensors("lstm-a.safetensors")));
    }

    @Test
    void reproducesTwinAttentionDecoder() {
        assertAllPass(FixtureCheck.run(kernels(), Fixtures.tensors("decoder-a.safetensors")));
    }

    @Test
    void reproducesTwinShowTellDecoder() {
        assertAllPass(FixtureCheck.run(kernels(), Fixtures.tensors("showtell-a.safetensors")));
    }

    @Test
    void reproducesTwinRightToLeftAttentionDecoder() {
        assertAllPass(FixtureCheck.run(kernels(), Fixtures.tensors("decoder-r2l-a.safetensors")));
    }

    @Test
    void reproducesTwinRightToLeftShowTellDecoder() {
        assertAllPass(FixtureCheck.run(kernels(), Fixtures.tensors("showtell-r2l-a.safetensors")));
    }

    @Test
    void reproducesTimmVisionTransformer() {
        var about = Fixtures.json("vit-a.json");
        VitConfig cfg = TimmArgs.vitConfig(about.get("timm_args"), (float) about.path("layer_norm_eps").asDouble(1e-6));
        Map<String, WeightSource> io = Fixtures.tensors("vit-a-io.safetensors");
        Check c = FixtureCheck.vit(kernels(), cfg, Fixtures.tensors("vit-a.safetensors"), io.get("input"), io.get("forward_features"));
        assertTrue(c.passed(), c.toString());
    }

    @Test
    void reproducesTimmVisionTransformerBackward() {
        var about = Fixtures.json("vit-b.json");
        VitConfig cfg = TimmArgs.vitConfig(about.get("timm_args"), (float) about.path("layer_norm_eps").asDouble(1e-6));
        assertAllPass(FixtureCheck.vitBackward(kernels(), cfg, Fixtures.tensors("vit-b.safetensors")));
    }

    @Test
    void reproducesTenTrainingStepsOfTheTwin() {
        assertAllPass(TrainingFixtureCheck.run(kernels(), Fixtures.json("train-a.json"), Fixtures.tensors("train-a.safetensors")));
    }
}
