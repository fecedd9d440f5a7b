package dev.vitcap.optim;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Param;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW} runs it, one fused kernel per parameter, with the moments and
 * the step count kept per parameter (a parameter frozen for a while starts its count when it starts
 * training, as in PyTorch).
 */
public final class AdamW implements AutoCloseable {
    public final float beta1, beta2, eps, weightDecay;
    private final Kernels k;
    private final Map<Param, State> state = new LinkedHashMap<>();

    /** The moments of one parameter and how many updates it has had. */
    public static final class State {
        public final Tensor m, v;
        public int step;

        State(Tensor m, Tensor v) {
            this.m = m;
            this.v = v;
        }
    }

    public AdamW(Kernels k, float beta1, float beta2, float eps, float weightDecay) {
        this.k = k;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** PyTorch's defaults with weight decay 0.01. */
    public static AdamW standard(Kernels k) {
        return new AdamW(k, 0.9f, 0.999f, 1e-8f, 0.01f);
    }

    public State state(Param p) {
        return state.computeIfAbsent(p, q -> new State(k.zeros(DType.F32, q.shape()), k.zeros(DType.F32, q.shape())));
    }

    /** Updates {@code params} with learning rate {@code lr} from their gradients times {@code gradScale}. */
    public void step(Iterable<Param> params, float lr, float gradScale) {
        for (Param p : params) {
            State s = state(p);
            s.step++;
            k.adamw(p.value(), p.grad(), s.m, s.v, lr, beta1, beta2, eps, weightDecay, s.step, gradScale);
        }
    }

    @Override
    public void close() {
        for (State s : state.values()) {
            s.m.close();
            s.v.close();
        }
        state.clear();
    }
}
