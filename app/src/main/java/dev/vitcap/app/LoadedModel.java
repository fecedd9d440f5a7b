package dev.vitcap.app;

import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import dev.vitcap.weights.WeightsException;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint opened for captioning: the backend, the model with its weights, and its vocabulary. */
record LoadedModel(Kernels kernels, Captioner model, Vocabulary vocabulary) implements AutoCloseable {

    static LoadedModel open(Path checkpoint, BackendOption backend) throws IOException {
        Checkpoint c = Checkpoint.load(checkpoint);
        if (c.vocabulary() == null) throw new WeightsException(checkpoint + ": the checkpoint has no vocabulary");
        Vocabulary vocabulary = Vocabulary.fromJson(c.vocabulary(), checkpoint.toString(), PtbTokenizer.instance()::tokenize);
        Backends.Selection s = backend.select();
        Kernels k = s.kernels();
        Captioner model = new Captioner(k, c.model(), 0);
        try {
            c.restore(model, null);
        } catch (WeightsException e) {
            model.close();
            k.close();
            throw new WeightsException(checkpoint + ": " + e.getMessage());
        }
        return new LoadedModel(k, model, vocabulary);
    }

    @Override
    public void close() {
        model.close();
        kernels.close();
    }
}
