package dev.vitcap.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventDisableTiming;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

/**
 * The one pinned host buffer every host transfer goes through. An upload is queued and returns at
 * once; the buffer is reused only after that copy has finished (an event marks it). A download
 * waits for the stream, since the caller wants the values now.
 */
final class HostStaging implements AutoCloseable {
    private final CUstream_st stream;
    private final CUevent_st lastUpload = new CUevent_st();
    private Pointer buffer = new Pointer();
    private long capacity;

    HostStaging(CUstream_st stream) {
        this.stream = stream;
        Cuda.check(cudaEventCreateWithFlags(lastUpload, cudaEventDisableTiming), "cudaEventCreateWithFlags");
    }

    /** Fills the buffer with {@code bytes} from the host and queues their copy to {@code device}. */
    void upload(long device, long bytes, java.util.function.Consumer<BytePointer> fill) {
        BytePointer host = acquire(bytes);
        fill.accept(host);
        Cuda.check(cudaMemcpyAsync(Cuda.at(device), host, bytes, cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync (upload)");
        Cuda.check(cudaEventRecord(lastUpload, stream), "cudaEventRecord");
    }

    /** Copies {@code bytes} from {@code device} once the queued work is done, and hands them over. */
    void download(long device, long bytes, java.util.function.Consumer<BytePointer> take) {
        BytePointer host = acquire(bytes);
        Cuda.check(cudaMemcpyAsync(host, Cuda.at(device), bytes, cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync (download)");
        Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize (the queued kernels failed)");
        take.accept(host);
    }

    private BytePointer acquire(long bytes) {
        Cuda.check(cudaEventSynchronize(lastUpload), "cudaEventSynchronize");
        if (bytes > capacity) {
            if (capacity > 0) Cuda.check(cudaFreeHost(buffer), "cudaFreeHost");
            long size = Math.max(bytes, 1 << 20);
            buffer = new Pointer();
            Cuda.check(cudaMallocHost(buffer, size), "cudaMallocHost(" + size + ")");
            capacity = size;
        }
        return new BytePointer(buffer).capacity(capacity);
    }

    @Override
    public void close() {
        if (capacity > 0) cudaFreeHost(buffer);
        capacity = 0;
        cudaEventDestroy(lastUpload);
    }
}
