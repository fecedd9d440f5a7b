package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendException;
import dev.vitcap.kernel.LstmSequence;
import dev.vitcap.kernel.Tensor;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnDropoutStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNDataStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.cuda.global.cudnn.CUDNN_DATA_FLOAT;
import static org.bytedeco.cuda.global.cudnn.CUDNN_FWD_MODE_TRAINING;
import static org.bytedeco.cuda.global.cudnn.CUDNN_LINEAR_INPUT;
import static org.bytedeco.cuda.global.cudnn.CUDNN_LSTM;
import static org.bytedeco.cuda.global.cudnn.CUDNN_RNN_ALGO_STANDARD;
import static org.bytedeco.cuda.global.cudnn.CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED;
import static org.bytedeco.cuda.global.cudnn.CUDNN_RNN_DOUBLE_BIAS;
import static org.bytedeco.cuda.global.cudnn.CUDNN_RNN_PADDED_IO_DISABLED;
import static org.bytedeco.cuda.global.cudnn.CUDNN_UNIDIRECTIONAL;
import static org.bytedeco.cuda.global.cudnn.CUDNN_WGRAD_MODE_ADD;
import static org.bytedeco.cuda.global.cudnn.cudnnCreate;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateDropoutDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateRNNDataDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateRNNDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateTensorDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroy;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyDropoutDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyRNNDataDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyRNNDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyTensorDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnGetErrorString;
import static org.bytedeco.cuda.global.cudnn.cudnnGetRNNTempSpaceSizes;
import static org.bytedeco.cuda.global.cudnn.cudnnGetRNNWeightParams;
import static org.bytedeco.cuda.global.cudnn.cudnnGetRNNWeightSpaceSize;
import static org.bytedeco.cuda.global.cudnn.cudnnGetTensorNdDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnRNNBackwardData_v8;
import static org.bytedeco.cuda.global.cudnn.cudnnRNNBackwardWeights_v8;
import static org.bytedeco.cuda.global.cudnn.cudnnRNNForward;
import static org.bytedeco.cuda.global.cudnn.cudnnSetDropoutDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetRNNDataDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetRNNDescriptor_v8;
import static org.bytedeco.cuda.global.cudnn.cudnnSetStream;
import static org.bytedeco.cuda.global.cudnn.cudnnSetTensorNdDescriptor;

/**
 * {@link dev.vitcap.kernel.Kernels#lstmForward} and {@code lstmBackward} as single cuDNN calls
 * ({@code cudnnRNNForward}, {@code cudnnRNNBackwardData_v8}, {@code cudnnRNNBackwardWeights_v8}):
 * CUDNN_LSTM with PyTorch's two biases, time-major packed sequences all of full length.
 *
 * <p>cuDNN keeps every weight in one packed buffer. Its gate order is PyTorch's (input, forget, cell,
 * output); linear layers 0–3 are the input matrices and 4–7 the recurrent ones, each a row-major
 * {@code [hidden, in]} block, which is what one gate's rows of {@code weight_ih}/{@code weight_hh} are.
 * Where each block lives is asked once per shape ({@code cudnnGetRNNWeightParams}); every forward pass
 * copies the current weights in (adjacent blocks in one copy) and every backward pass adds the
 * gradient blocks to the model's gradients.
 */
final class CudnnLstm implements AutoCloseable {
    private final CudaKernels k;
    private final cudnnContext handle = new cudnnContext();
    private final cudnnDropoutStruct noDropout = new cudnnDropoutStruct();
    private final int mathType;
    private final Map<Shape, Plan> plans = new HashMap<>();

    private record Shape(int layers, int input, int hidden) {
    }

    /** The four tensors of a layer, as named by PyTorch. */
    private enum Part {
        W_IH, W_HH, B_IH, B_HH;

        Tensor value(LstmSequence.Layer l) {
            return switch (this) {
                case W_IH -> l.wIh();
                case W_HH -> l.wHh();
                case B_IH -> l.bIh();
                case B_HH -> l.bHh();
            };
        }

        Tensor gradient(LstmSequence.Layer l) {
            return switch (this) {
                case W_IH -> l.dWIh();
                case W_HH -> l.dWHh();
                case B_IH -> l.dBIh();
                case B_HH -> l.dBHh();
            };
        }
    }

    /** {@code length} floats of a layer's {@code part} at {@code paramOffset} live at {@code spaceOffset} in cuDNN's buffer. */
    private record Region(int layer, Part part, long paramOffset, long spaceOffset, long length) {
        boolean continuedBy(Region r) {
            return r.layer == layer && r.part == part && r.paramOffset == paramOffset + length && r.spaceOffset == spaceOffset + length;
        }
    }

    CudnnLstm(CudaKernels k, CUstream_st stream, Precision precision) {
        this.k = k;
        this.mathType = precision.dnnMathType;
        check(cudnnCreate(handle), "cudnnCreate");
        check(cudnnSetStream(handle, stream), "cudnnSetStream");
        check(cudnnCreateDropoutDescriptor(noDropout), "cudnnCreateDropoutDescriptor");
        // No dropout between layers: no random states are needed.
        check(cudnnSetDropoutDescriptor(noDropout, handle, 0f, null, 0, 0), "cudnnSetDropoutDescriptor");
    }

    static void check(int status, String call) {
        if (status != 0) throw new BackendException(call + " failed: " + cudnnGetErrorString(status).getString());
    }

    /** cuDNN's stack shares one hidden size, and each layer above the first reads the one below. */
    static boolean supports(List<LstmSequence.Layer> layers) {
        int hidden = layers.get(0).hidden();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).hidden() != hidden || (l > 0 && layers.get(l).input() != hidden)) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ per-shape state

    /** The RNN descriptor of one stack shape and where its weights live in the packed buffer. */
    private final class Plan implements AutoCloseable {
        final Shape shape;
        final cudnnRNNStruct rnn = new cudnnRNNStruct();
        final long weightBytes;
        final List<Region> regions;
        final Map<Long, Sequence> sequences = new HashMap<>();

        Plan(Shape s) {
            shape = s;
            check(cudnnCreateRNNDescriptor(rnn), "cudnnCreateRNNDescriptor");
            check(cudnnSetRNNDescriptor_v8(rnn, CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, CUDNN_RNN_DOUBLE_BIAS, CUDNN_UNIDIRECTIONAL,
                    CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, mathType, s.input(), s.hidden(), s.hidden(), s.layers(),
                    noDropout, CUDNN_RNN_PADDED_IO_DISABLED), "cudnnSetRNNDescriptor_v8");
            SizeTPointer size = new SizeTPointer(1);
            check(cudnnGetRNNWeightSpaceSize(handle, rnn, size), "cudnnGetRNNWeightSpaceSize");
            weightBytes = size.get();
            regions = locateWeights();
        }

        private List<Region> locateWeights() {
            List<Region> found = new ArrayList<>();
            cudnnTensorStruct mDesc = new cudnnTensorStruct(), bDesc = new cudnnTensorStruct();
            check(cudnnCreateTensorDescriptor(mDesc), "cudnnCreateTensorDescriptor");
            check(cudnnCreateTensorDescriptor(bDesc), "cudnnCreateTensorDescriptor");
            PointerPointer<Pointer> mAddr = new PointerPointer<>(1), bAddr = new PointerPointer<>(1);
            int h = shape.hidden();
            try (DeviceTensor space = k.bytes(weightBytes)) {
                for (int l = 0; l < shape.layers(); l++) {
                    int in = l == 0 ? shape.input() : h;
                    for (int lin = 0; lin < 8; lin++) {
                        check(cudnnGetRNNWeightParams(handle, rnn, l, weightBytes, Cuda.at(space), lin, mDesc, mAddr, bDesc, bAddr),
                                "cudnnGetRNNWeightParams");
                        boolean recurrent = lin >= 4;
                        int gate = lin % 4, cols = recurrent ? h : in;
                        found.add(region(l, recurrent ? Part.W_HH : Part.W_IH, (long) gate * h * cols, mAddr, mDesc, space, (long) h * cols));
                        found.add(region(l, recurrent ? Part.B_HH : Part.B_IH, (long) gate * h, bAddr, bDesc, space, h));
                    }
                }
            } finally {
                cudnnDestroyTensorDescriptor(mDesc);
                cudnnDestroyTensorDescriptor(bDesc);
            }
            return merge(found);
        }

        private Region region(int layer, Part part, long paramOffset, PointerPointer<Pointer> address, cudnnTensorStruct desc,
                              DeviceTensor space, long expected) {
            int[] type = new int[1], dims = new int[1], dimA = new int[8], strideA = new int[8];
            check(cudnnGetTensorNdDescriptor(desc, 8, type, dims, dimA, strideA), "cudnnGetTensorNdDescriptor");
            long elements = 1;
            for (int i = 0; i < dims[0]; i++) elements *= dimA[i];
            if (elements != expected) {
                throw new BackendException("cuDNN's " + part + " block of layer " + layer + " has shape "
                        + Arrays.toString(Arrays.copyOf(dimA, dims[0])) + ", " + expected + " floats expected");
            }
            long bytes = address.get(0).address() - space.address();
            return new Region(layer, part, paramOffset, bytes / DeviceTensor.ELEMENT_BYTES, elements);
        }

        /** The descriptors and temporary sizes of one (steps, batch), made once. */
        Sequence sequence(int steps, int batch) {
            return sequences.computeIfAbsent(((long) steps << 32) | batch, key -> new Sequence(this, steps, batch));
        }

        @Override
        public void close() {
            sequences.values().forEach(Sequence::close);
            cudnnDestroyRNNDescriptor(rnn);
        }
    }

    /** Joins regions that continue each other on both sides, so each is one copy. */
    private static List<Region> merge(List<Region> regions) {
        List<Region> merged = new ArrayList<>();
        for (Region r : regions) {
            Region last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.continuedBy(r)) {
                merged.set(merged.size() - 1, new Region(last.layer, last.part, last.paramOffset, last.spaceOffset, last.length + r.length));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    private final class Sequence implements AutoCloseable {
        final cudnnRNNDataStruct x = new cudnnRNNDataStruct(), y = new cudnnRNNDataStruct();
        final cudnnTensorStruct state = new cudnnTensorStruct();
        final DeviceTensor lengths;
        final long workBytes, reserveBytes;

        Sequence(Plan plan, int steps, int batch) {
            Shape s = plan.shape;
            int[] full = new int[batch];
            Arrays.fill(full, steps);
            check(cudnnCreateRNNDataDescriptor(x), "cudnnCreateRNNDataDescriptor");
            check(cudnnCreateRNNDataDescriptor(y), "cudnnCreateRNNDataDescriptor");
            check(cudnnSetRNNDataDescriptor(x, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED, steps, batch, s.input(), full, null),
                    "cudnnSetRNNDataDescriptor(x)");
            check(cudnnSetRNNDataDescriptor(y, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED, steps, batch, s.hidden(), full, null),
                    "cudnnSetRNNDataDescriptor(y)");
            check(cudnnCreateTensorDescriptor(state), "cudnnCreateTensorDescriptor");
            check(cudnnSetTensorNdDescriptor(state, CUDNN_DATA_FLOAT, 3, new int[]{s.layers(), batch, s.hidden()},
                    new int[]{batch * s.hidden(), s.hidden(), 1}), "cudnnSetTensorNdDescriptor");
            lengths = k.ints(full);
            SizeTPointer work = new SizeTPointer(1), reserve = new SizeTPointer(1);
            check(cudnnGetRNNTempSpaceSizes(handle, plan.rnn, CUDNN_FWD_MODE_TRAINING, x, work, reserve), "cudnnGetRNNTempSpaceSizes");
            workBytes = work.get();
            reserveBytes = reserve.get();
        }

        IntPointer deviceLengths() {
            return new IntPointer(Cuda.at(lengths));
        }

        @Override
        public void close() {
            cudnnDestroyRNNDataDescriptor(x);
            cudnnDestroyRNNDataDescriptor(y);
            cudnnDestroyTensorDescriptor(state);
            lengths.close();
        }
    }

    // ------------------------------------------------------------------ forward and backward

    /** What the backward pass needs: the inputs and outputs (the caller's), the weights it ran with and cuDNN's reserve. */
    private record Saved(Plan plan, Sequence seq, List<LstmSequence.Layer> layers, DeviceTensor x, DeviceTensor h0,
                         DeviceTensor c0, DeviceTensor y, DeviceTensor weights, DeviceTensor reserve) implements LstmSequence.Saved {
        @Override
        public void close() {
            weights.close();
            reserve.close();
        }
    }

    static boolean owns(LstmSequence.Saved saved) {
        return saved instanceof Saved;
    }

    LstmSequence.Saved forward(List<LstmSequence.Layer> layers, int steps, int batch, DeviceTensor x, DeviceTensor h0, DeviceTensor c0,
                               DeviceTensor y, DeviceTensor hN, DeviceTensor cN) {
        LstmSequence.Layer first = layers.get(0);
        Plan plan = plans.computeIfAbsent(new Shape(layers.size(), first.input(), first.hidden()), Plan::new);
        Sequence seq = plan.sequence(steps, batch);
        DeviceTensor weights = k.bytes(plan.weightBytes), reserve = k.bytes(seq.reserveBytes);
        for (Region r : plan.regions) {
            k.copyDevice(CudaKernels.d(r.part.value(layers.get(r.layer))), r.paramOffset, weights, r.spaceOffset, r.length);
        }
        try (DeviceTensor work = k.bytes(seq.workBytes)) {
            check(cudnnRNNForward(handle, plan.rnn, CUDNN_FWD_MODE_TRAINING, seq.deviceLengths(), seq.x, Cuda.at(x), seq.y, Cuda.at(y),
                    seq.state, Cuda.at(h0), Cuda.at(hN), seq.state, Cuda.at(c0), Cuda.at(cN), plan.weightBytes, Cuda.at(weights),
                    seq.workBytes, Cuda.at(work), seq.reserveBytes, Cuda.at(reserve)), "cudnnRNNForward");
        }
        return new Saved(plan, seq, List.copyOf(layers), x, h0, c0, y, weights, reserve);
    }

    /** dy, dhN, dcN may be null (zero); dx may be null (not wanted). */
    void backward(LstmSequence.Saved saved, DeviceTensor dy, DeviceTensor dhN, DeviceTensor dcN, DeviceTensor dx,
                  DeviceTensor dh0, DeviceTensor dc0) {
        Saved s = (Saved) saved;
        Plan plan = s.plan();
        Sequence seq = s.seq();
        long rows = s.y().size() / plan.shape.hidden();
        List<DeviceTensor> temps = new ArrayList<>();
        try {
            DeviceTensor dyOrZero = dy != null ? dy : keep(temps, k.zeroed(k.bytes(rows * plan.shape.hidden() * DeviceTensor.ELEMENT_BYTES)));
            DeviceTensor dxOrScratch = dx != null ? dx : keep(temps, k.bytes(rows * plan.shape.input() * DeviceTensor.ELEMENT_BYTES));
            DeviceTensor work = keep(temps, k.bytes(seq.workBytes));
            check(cudnnRNNBackwardData_v8(handle, plan.rnn, seq.deviceLengths(), seq.y, Cuda.at(s.y()), Cuda.at(dyOrZero), seq.x,
                    Cuda.at(dxOrScratch), seq.state, Cuda.at(s.h0()), Cuda.at(dhN), Cuda.at(dh0), seq.state, Cuda.at(s.c0()),
                    Cuda.at(dcN), Cuda.at(dc0), plan.weightBytes, Cuda.at(s.weights()), seq.workBytes, Cuda.at(work),
                    seq.reserveBytes, Cuda.at(s.reserve())), "cudnnRNNBackwardData_v8");
            // cuDNN only adds into its gradient buffer, so it starts from zero and is added to ours after.
            DeviceTensor dWeights = keep(temps, k.zeroed(k.bytes(plan.weightBytes)));
            check(cudnnRNNBackwardWeights_v8(handle, plan.rnn, CUDNN_WGRAD_MODE_ADD, seq.deviceLengths(), seq.x, Cuda.at(s.x()),
                    seq.state, Cuda.at(s.h0()), seq.y, Cuda.at(s.y()), plan.weightBytes, Cuda.at(dWeights), seq.workBytes,
                    Cuda.at(work), seq.reserveBytes, Cuda.at(s.reserve())), "cudnnRNNBackwardWeights_v8");
            for (Region r : plan.regions) {
                Tensor grad = r.part.gradient(s.layers().get(r.layer));
                k.axpby(1f, dWeights.view(r.spaceOffset, (int) r.length), 1f, grad.view(r.paramOffset, (int) r.length));
            }
        } finally {
            temps.forEach(DeviceTensor::close);
        }
    }

    private static DeviceTensor keep(List<DeviceTensor> temps, DeviceTensor t) {
        temps.add(t);
        return t;
    }

    @Override
    public void close() {
        plans.values().forEach(Plan::close);
        plans.clear();
        cudnnDestroyDropoutDescriptor(noDropout);
        cudnnDestroy(handle);
    }
}
