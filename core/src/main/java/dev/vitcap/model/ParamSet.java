package dev.vitcap.model;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameters of a model under their public names (timm's for the encoder, the PyTorch twin's for
 * the decoders), in creation order, each with its gradient, living on one backend.
 */
public final class ParamSet implements AutoCloseable {
    private final Kernels k;
    private final Map<String, Param> params = new LinkedHashMap<>();

    public ParamSet(Kernels k) {
        this.k = k;
    }

    public Kernels kernels() {
        return k;
    }

    /**
     * Creates a parameter drawn from {@code init} with a zero gradient; with no {@code rng} the values
     * are left unset, for a model whose every weight {@link #load} is about to write.
     */
    public Param add(String name, Init init, Random rng, int... shape) {
        if (params.containsKey(name)) throw new IllegalArgumentException("duplicate parameter " + name);
        Param p = new Param(name, shape.clone(), k.empty(DType.F32, shape), k.zeros(DType.F32, shape));
        if (rng != null) k.write(p.value(), init.draw(p.size(), rng));
        params.put(name, p);
        return p;
    }

    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        return p;
    }

    public Collection<Param> all() {
        return Collections.unmodifiableCollection(params.values());
    }

    public List<Tensor> grads() {
        List<Tensor> g = new ArrayList<>();
        for (Param p : params.values()) g.add(p.grad());
        return g;
    }

    public long count() {
        long n = 0;
        for (Param p : params.values()) n += p.size();
        return n;
    }

    public void zeroGrads() {
        for (Param p : params.values()) k.fill(p.grad(), 0f);
    }

    /**
     * Copies values in by name (the prefix is put before each of this set's names when looking them
     * up); every parameter must be present with its exact shape. Extra entries are ignored.
     */
    public void load(Map<String, WeightSource> values, String prefix) {
        for (Param p : params.values()) {
            WeightSource w = values.get(prefix + p.name());
            if (w == null) throw new IllegalArgumentException("missing weight " + prefix + p.name());
            if (!Arrays.equals(w.shape(), p.shape())) {
                throw new IllegalArgumentException("weight " + prefix + p.name() + " has shape " + Arrays.toString(w.shape())
                        + ", the model expects " + Arrays.toString(p.shape()));
            }
            k.write(p.value(), w.data());
        }
    }

    @Override
    public void close() {
        for (Param p : params.values()) {
            p.value().close();
            p.grad().close();
        }
        params.clear();
    }
}
